"""Imports flow shop -> production -> staffing -> workshop, never upward."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["workshop", "staffing", "production", "shop"]


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", LAYERS)
def test_no_module_imports_a_higher_layer(package):
    higher = set(LAYERS[LAYERS.index(package) + 1:])
    offenders = [
        f"{path.relative_to(ROOT)} imports {sorted(imported_packages(path) & higher)}"
        for path in (ROOT / package).rglob("*.py")
        if imported_packages(path) & higher
    ]
    assert offenders == []


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from shop.models import Customer\nimport production\n")
    assert imported_packages(module) == {"shop", "production"}
