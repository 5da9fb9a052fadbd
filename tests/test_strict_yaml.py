"""The strict YAML loader gives the same result with and without libyaml (issue 15).

``strict_yaml.loads`` parses with libyaml's scanner and parser when PyYAML has them, and with the
pure-Python loader otherwise or after any error. Both must give equal data on every YAML file of
the course, and the same refusals, word for word, on text a course file could hold by mistake.
"""

from pathlib import Path

import pytest
import yaml

from helpers._common import strict_yaml

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    p for pattern in ("*.yml", "*.yaml") for p in ROOT.rglob(pattern)
    if not any(part.startswith(".") or part in ("node_modules", "build") for part in
               p.relative_to(ROOT).parts))

pytestmark = pytest.mark.skipif(strict_yaml.CStrictLoader is None,
                                reason="PyYAML is built without libyaml here")


def _python_only(raw, label, monkeypatch):
    with monkeypatch.context() as mp:
        mp.setattr(strict_yaml, "CStrictLoader", None)
        return strict_yaml.loads(raw, label)


def test_every_course_file_is_found():
    """Are the course's own files among those compared (data/, its exercise banks and roles,
    course.yml)?"""
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert "course.yml" in names and "data/conditions.yml" in names
    assert any(n.startswith("data/exercises/") for n in names)
    assert any(n.startswith("data/roles/") for n in names)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_libyaml_and_python_loaders_agree_on_every_file(path, monkeypatch):
    """Does each YAML file of the repository load to equal data (and types) both ways?"""
    raw = path.read_bytes()
    fast = strict_yaml.loads(raw, path.name)
    slow = _python_only(raw, path.name, monkeypatch)
    assert fast == slow
    assert repr(fast) == repr(slow)  # same types too (1 vs 1.0 vs "1", True vs "yes")


def test_the_c_loader_really_runs():
    """Is the fast path libyaml's (so the comparison above compares two different parsers)?"""
    loader = strict_yaml.CStrictLoader("a: 1\n")
    try:
        assert isinstance(loader, yaml.cyaml.CParser)
        assert loader.get_single_data() == {"a": 1}
    finally:
        loader.dispose()


TRICKY = [
    "a: 1\nb: [1, 2, {c: d}]\n",
    "text: No\nwhen: 2019-01-22\nok: yes\nflag: true\nF: False\n",
    "x: 1.0\ny: 0x10\nz: ~\nw: .inf\nv: 1_000\nu: '1'\n",
    "long: |\n  line one\n  line two\n\nfolded: >\n  a\n  b\n",
    "a: &anchor 1\nb: *anchor\n",
    "a: !!python/object:os.system ls\n",
    "a: !custom x\n",
    "a: 1\na: 2\n",
    "a: 1\n b: 2\n",
    "a: [1, 2\n",
    "a:\tb\n",
    "\ta: b\n",
    "- a\n- b: c\n  d: e\n",
    "a: 'unterminated\n",
    "a: \"esc \\u00e9 \\x41\"\n",
    "? complex\n: key\n",
    "{a: 1}: b\n",
    "[" * 45 + "]" * 45 + "\n",
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 45)),
    "%YAML 1.1\n---\na: 1\n",
    "---\na: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "naming: 北方領土 / Южные Курилы\n",
    "key with spaces: value: with colon\n",
    "a: b #comment\nc: 'd #not a comment'\n",
    "- [a, b]: c\n",
    "@a: b\n",
    "a: `b`\n",
]


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_same_result_or_same_refusal_on_tricky_text(text, monkeypatch):
    """Data, or the problem (file, line, message), is the same with libyaml as without."""
    raw = text.encode()
    fast = strict_yaml.loads(raw, "f.yml")
    slow = _python_only(raw, "f.yml", monkeypatch)
    assert repr(fast) == repr(slow)


def test_refusals_still_refuse():
    """Do anchors, tags, repeated keys and deep nesting still come back as problems (not data)
    through the fast path?"""
    for text in ("a: &x 1\nb: *x\n", "a: !!python/name:os.system x\n", "a: 1\na: 2\n",
                 "[" * 45 + "]" * 45 + "\n"):
        data, problems = strict_yaml.loads(text.encode(), "f.yml")
        assert data is None and len(problems) == 1 and problems[0].file == "f.yml", text
