"""The shape of helpers/: public modules flat, each feature's private code in one folder, and no
import circles (imports inside functions count too: a circle held together by a late import is
still a circle)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
# Each private folder and the public modules that are its faces: the folder never imports them.
FACES = {"_maps": {"maps"}, "_quiz": {"quiz"}, "_journal": {"journal"},
         "_capstone": {"settlement", "roleplay"}, "_cite": {"cite"}, "_glossary": {"glossary"},
         "_common": set()}


def module_name(path):
    parts = path.relative_to(HELPERS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in HELPERS.rglob("*.py")}


def imports(path):
    """Every helpers module that ``path`` imports, at the top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            base = ".".join(filter(None, [base if node.level else "", node.module or ""]))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    # a package is imported before its modules: an edge to one's own package is no circle
    ancestors = {name.rsplit(".", n)[0] for n in range(1, name.count(".") + 1)}
    return {m for m in found if m in MODULES and m != name and m not in ancestors}


GRAPH = {name: imports(path) for name, path in MODULES.items()}


def cycle(graph):
    """One import circle as a list of modules, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_sees_imports_inside_functions():
    """Not vacuous: late imports are edges (settlement.designer imports the designer late)."""
    assert "helpers._capstone.designer" in GRAPH["helpers.settlement"]
    assert "helpers.quiz" in GRAPH["helpers.journal"]  # journal.respond(id) reads the banks
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circle_among_the_course_modules():
    found = cycle(GRAPH)
    assert found is None, "import circle: " + " -> ".join(found)


@pytest.mark.parametrize("folder", sorted(FACES))
def test_a_feature_folder_never_imports_its_public_face(folder):
    faces = {f"helpers.{face}" for face in FACES[folder]}
    for name, deps in GRAPH.items():
        if name.startswith(f"helpers.{folder}."):
            assert not deps & faces, f"{name} imports {deps & faces}"


def test_private_code_lives_in_feature_folders_with_empty_inits():
    flat = [p.name for p in HELPERS.glob("_*.py") if p.name != "__init__.py"]
    assert flat == []
    for folder in FACES:
        assert (HELPERS / folder / "__init__.py").read_text(encoding="utf-8") == ""


def test_no_module_is_found_by_name_at_run_time():
    """Dependencies are imports the graph can see (the package's lazy loader aside)."""
    for name, path in MODULES.items():
        if name != "helpers":
            assert "import_module" not in path.read_text(encoding="utf-8"), name


def test_build_scripts_can_import_a_piece_without_the_stack():
    """Empty __init__ files: the pure pieces load without pandas, plotly or ipywidgets."""
    code = ("import sys, helpers._maps.sphere, helpers._common.dates, helpers._common.checker, "
            "helpers._capstone.rules, helpers._quiz.kinds; "
            "print(sorted(m for m in ('pandas', 'plotly', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=HELPERS.parent, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr
