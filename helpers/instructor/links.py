"""Links in Markdown text (files and notebook cells): find them, and drop those a release lacks.

A link is ``[text](target)``, an image ``![alt](target)``, a reference ``[id]: target``, or an
HTML ``href=``/``src=``. Links inside code (fenced blocks, backticks) are not links. A link is
*dangling* when its target is a local path the release does not have, or names a notebook
(``NAME.ipynb``, also inside a web address such as a Binder badge's) the release does not have.

:func:`drop_missing` rewrites text for a release: a table row or a line of nothing but links
that leads to a missing notebook goes (a lesson dropped from ``course.yml`` leaves the course
tables); any other dangling link becomes its plain text.
"""

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["Link", "find", "local_path", "notebooks_named", "dangling", "drop_missing"]

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_NOTEBOOK = re.compile(r"([\w%.-]+)\.ipynb(?![\w])")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_REFERENCE = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?([^\s>]+)>?.*$", re.MULTILINE)
_HTML = re.compile(r"""\b(?:href|src)\s*=\s*(["'])([^"']+)\1""", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """One link in a text: the span of the whole link, the span of its text, its target."""

    start: int
    end: int
    text_start: int
    text_end: int
    target: str
    kind: str  # "inline", "image", "reference", "html"


def _mask_code(text):
    """``text`` with code (fenced blocks and backtick spans) blanked out, same length."""
    out, fence = [], None
    for line in text.splitlines(keepends=True):
        found = _FENCE.match(line)
        if fence:
            out.append(re.sub(r"[^\n]", " ", line))
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence):
                fence = None
            continue
        if found:
            fence = found.group(1)
            out.append(re.sub(r"[^\n]", " ", line))
            continue
        out.append(re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group(0)), line))
    return "".join(out)


def _opening(masked, close):
    """Index of the ``[`` matching the ``]`` at ``close`` (or -1)."""
    depth = 0
    for i in range(close, -1, -1):
        ch = masked[i]
        if i > 0 and masked[i - 1] == "\\":
            continue
        if ch == "]":
            depth += 1
        elif ch == "[":
            depth -= 1
            if depth == 0:
                return i
        elif ch == "\n" and i < close and masked[i - 1:i] == "\n":
            return -1  # links do not cross a blank line
    return -1


def _closing(masked, open_paren):
    """Index of the ``)`` closing the ``(`` at ``open_paren`` (or -1)."""
    depth = 0
    for i in range(open_paren, len(masked)):
        ch = masked[i]
        if ch == "(" and masked[i - 1:i] != "\\":
            depth += 1
        elif ch == ")" and masked[i - 1:i] != "\\":
            depth -= 1
            if depth == 0:
                return i
        elif ch == "\n" and masked[i + 1:i + 2] == "\n":
            return -1
    return -1


def find(text):
    """Every link in ``text`` (Markdown and HTML), in order of position."""
    masked = _mask_code(text)
    links = []
    for found in re.finditer(r"\]\(", masked):
        close = found.start()
        start = _opening(masked, close)
        end = _closing(masked, close + 1)
        if start < 0 or end < 0:
            continue
        inner = text[close + 2:end].strip()
        target = inner[1:inner.index(">")] if inner.startswith("<") and ">" in inner else (
            inner.split()[0] if inner else "")
        image = start > 0 and masked[start - 1] == "!"
        links.append(Link(start - 1 if image else start, end + 1, start + 1, close, target,
                          "image" if image else "inline"))
    for found in _REFERENCE.finditer(masked):
        links.append(Link(found.start(), found.end(), found.start(1), found.end(1),
                          text[found.start(2):found.end(2)], "reference"))
    for found in _HTML.finditer(masked):
        links.append(Link(found.start(2), found.end(2), found.start(2), found.start(2),
                          text[found.start(2):found.end(2)], "html"))
    return sorted(links, key=lambda link: (link.start, -link.end))


def local_path(target):
    """The path part of a link to a local file (URL-decoded, no ``#part`` or ``?query``), or
    None for a web address, an e-mail address or a link within the page."""
    if not target or target.startswith(("#", "//")) or _SCHEME.match(target):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    return path or None


def notebooks_named(target):
    """The notebook file names (``NAME.ipynb``) a link's target names, web addresses included."""
    return [unquote(name) + ".ipynb" for name in _NOTEBOOK.findall(unquote(target))]


def resolve(base, path):
    """The release path a local link from file ``base`` leads to (None: outside the release)."""
    if path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
    return None if joined == ".." or joined.startswith("../") else joined


def dangling(base, link, exists, notebook_exists):
    """Why ``link`` in release file ``base`` leads nowhere (None when it is fine).
    ``exists(path)``: is that release path a file or folder; ``notebook_exists(name)``: is there
    a notebook of that file name."""
    path = local_path(link.target)
    if path is not None:
        where = resolve(base, path)
        if where is None:
            return f"'{link.target}' points outside the release"
        if not exists(where):
            return f"'{link.target}' is not in the release"
    for name in notebooks_named(link.target):
        if not notebook_exists(name):
            return f"'{link.target}' names the notebook {name}, which is not in the release"
    return None


def _only_links(line, links):
    """True when the line holds nothing but these links (and spaces)."""
    rest = list(line)
    for link in links:
        for i in range(link.start, link.end):
            rest[i] = " "
    return not "".join(rest).strip()


def drop_missing(text, base, exists, notebook_exists):
    """``text`` (of release file ``base``) without links to what the release lacks: see the
    module's docstring. Returns ``(new text, [(what was done, target)])``."""
    done, lines, kept = [], text.splitlines(keepends=True), []
    for line in lines:
        links = [lk for lk in find(line) if lk.kind != "html"]
        to_missing_notebook = [lk for lk in links if dangling(base, lk, exists, notebook_exists)
                               and notebooks_named(lk.target)]
        if to_missing_notebook and (line.lstrip().startswith("|") or _only_links(line, links)):
            done.append(("removed the line", to_missing_notebook[0].target))
            continue
        kept.append(line)
    text = "".join(kept)
    # Other dangling links keep their text (an image its alt text), innermost first.
    while True:
        links = [lk for lk in find(text) if lk.kind in ("inline", "image")
                 and dangling(base, lk, exists, notebook_exists)]
        innermost = [lk for lk in links if not any(
            o is not lk and lk.start <= o.start and o.end <= lk.end for o in links)]
        if not innermost:
            return text, done
        link = innermost[-1]
        text = text[:link.start] + text[link.text_start:link.text_end] + text[link.end:]
        done.append(("kept only the text of the link", link.target))
