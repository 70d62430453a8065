"""Thin views (issue 14): every ui/ module and page script stays under about 400 lines;
a module that grows past that is split by topic (see docs/architecture.md)."""

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
LIMIT = 400
FILES = sorted([*(ROOT / "ui").rglob("*.py"), *(ROOT / "pages").glob("*.py")])


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_under_about_400_lines(path: pathlib.Path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= LIMIT, f"{path.relative_to(ROOT)} has {n} lines: split it by topic"
