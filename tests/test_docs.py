"""The docs agree with the code: the README's layout table lists every module and nothing else, the
layers import in the order ARCHITECTURE.md gives, the engine never imports Streamlit, and every engine
module has its test module in the mirrored place."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "policy_engine"
LAYERS = ["method", "project", "diagnostics", "wizard", "workshop", "store", "documents"]
SHARED = {"i18n", "seedfile", "literal", "incidents"}  # below every layer
EDGES = {"cli", "bench", "__main__", "web"}  # above every layer


def modules() -> set[str]:
    return {
        p.relative_to(ROOT).as_posix()
        for p in ENGINE.rglob("*.py")
        if p.name != "__init__.py" and "migrations" not in p.parts
    }


def layout_paths() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([^`\s]+)`", section))


def imports(path: Path) -> set[str]:
    """The policy_engine modules a file imports (`policy_engine.x.y` → "x")."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "policy_engine" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_the_layout_table_lists_every_module():
    listed = layout_paths()
    missing = sorted(m for m in modules() if m not in listed)
    assert missing == [], f"modules not in the README's Layout table: {missing}"


def mirrored_test(module: str) -> str:
    """policy_engine/<layer>/<m>.py → tests/<layer>/test_<m>.py; policy_engine/<m>.py → tests/test_<m>.py."""
    parts = Path(module).relative_to("policy_engine").parts
    return Path("tests", *parts[:-1], f"test_{parts[-1]}").as_posix()


def test_every_engine_module_has_its_mirrored_test_module():
    """Tests mirror the package one to one, as Datasette's do (../shared/STYLE.md): a module without
    its test module is a module nobody has said what it must do."""
    engine = {m for m in modules() if Path(m).name != "__main__.py"}
    missing = sorted(mirrored_test(m) for m in engine if not (ROOT / mirrored_test(m)).exists())
    assert missing == [], f"engine modules without their test module: {missing}"


def test_every_path_in_the_layout_table_exists():
    gone = sorted(p for p in layout_paths() if "/" in p and not (ROOT / p.rstrip("/").replace("*.yaml", "")).exists())
    assert gone == [], f"the README's Layout table names paths that do not exist: {gone}"


def test_architecture_names_every_layer_in_order():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    order = " → ".join(f"`{layer}`" for layer in LAYERS)
    assert order in text
    assert sorted(p.name for p in ENGINE.iterdir() if (p / "__init__.py").exists()) == sorted(LAYERS)


def test_each_layer_imports_only_the_layers_before_it():
    wrong = []
    for path in ENGINE.rglob("*.py"):
        rel = path.relative_to(ENGINE).parts
        if "migrations" in rel or len(rel) == 1:
            continue
        layer = rel[0]
        allowed = set(LAYERS[: LAYERS.index(layer) + 1]) | SHARED
        for target in imports(path) - allowed:
            wrong.append(f"{path.relative_to(ROOT)} imports policy_engine.{target}")
    assert wrong == []


def test_shared_modules_import_no_layer():
    for name in SHARED:
        assert imports(ENGINE / f"{name}.py") <= SHARED, name


def test_the_engine_never_imports_streamlit():
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "streamlit" for a in node.names), path
            elif isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "streamlit", path
