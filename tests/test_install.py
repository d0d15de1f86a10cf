"""A fresh machine installs newsmon from the lock files with the pip `python3 -m venv` brings."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

# Evaluation harnesses compare against textacy, which only the test extra installs.
NEEDS_TEST_EXTRA = {"pipeline.eval.baseline"}


def locked(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match:
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def declared(extras: tuple[str, ...]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    return [Requirement(r) for r in wanted]


def all_modules() -> list[str]:
    names = []
    for package in ("pipeline", "workers"):
        root = ROOT / package
        names.append(package)
        for info in pkgutil.walk_packages([str(root)], prefix=f"{package}."):
            if ".migrations" not in info.name:
                names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize(
    ("lock", "extras"),
    [("requirements.lock", ("deploy",)), ("requirements-test.lock", ("deploy", "test"))],
)
def test_lock_pins_every_declared_dependency_within_its_range(
    lock: str, extras: tuple[str, ...]
) -> None:
    pins = locked(ROOT / lock)
    assert len(pins) > 50
    for requirement in declared(extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is declared but not pinned in {lock}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} pins {name}=={pins[name]}, outside {requirement}"
        )
    # The bundled pip cannot resolve lxml's html_clean extra that jusText asks for.
    assert "lxml-html-clean" in pins


def test_every_module_imports_here() -> None:
    for name in all_modules():
        importlib.import_module(name)


@pytest.mark.slow
def test_a_venv_built_from_the_lock_with_the_bundled_pip_imports_every_module(
    tmp_path: Path,
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = venv / "bin" / "pip"
    version = subprocess.run([pip, "--version"], capture_output=True, text=True, check=True)
    install = subprocess.run(
        [pip, "install", "-q", "-r", "requirements.lock", "-e", "."],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert install.returncode == 0, f"{version.stdout}\n{install.stdout}\n{install.stderr}"
    modules = [m for m in all_modules() if m not in NEEDS_TEST_EXTRA]
    script = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    check = subprocess.run(
        [venv / "bin" / "python", "-c", script, *modules],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr[-3000:]
    help_run = subprocess.run(
        [venv / "bin" / "newsmon", "--help"], capture_output=True, text=True, timeout=60
    )
    assert help_run.returncode == 0 and "reprocess" in help_run.stdout
