"""One set of versions: constraints.txt pins every dependency, and the README's commands
and CI install through it, so that the service and its tests run on the same versions."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEVELOPMENT = (ROOT / "docs/development.md").read_text(encoding="utf-8")


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_the_readme_commands_and_ci_install_the_pinned_versions() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^pip install .*$", quick_start, flags=re.M)
    assert commands == [
        "pip install -c constraints.txt -e . && timeline serve",
        "pip install -c constraints.txt -e '.[test]' && pytest",
    ]
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert re.findall(r"^pip install .*$", ci, flags=re.M) == [
        "pip install -q -c constraints.txt -e '.[test]' && pytest"
    ]
    assert "docs/development.md" in quick_start
    assert "pip freeze --exclude-editable" in DEVELOPMENT  # how to upgrade it


def test_every_requirement_of_the_project_is_pinned_to_a_version_it_accepts() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _pins()
    requirements = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        requirements += extra
    for text in requirements:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in constraints.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), (text, pins[name])


def test_this_environment_runs_the_pinned_versions() -> None:
    """Every installed distribution but the project and the installers is pinned, at the
    version installed: python-dateutil, which ``.[test]`` alone would take down to
    2.9.0.post0 while ``.`` alone takes the newest, is the same for both."""
    pins = _pins()
    assert pins["python-dateutil"] == metadata.version("python-dateutil")
    unpinned, different = [], []
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name in ("timeline", "pip", "setuptools", "wheel"):
            continue
        if name not in pins:
            unpinned.append(name)
        elif pins[name] != dist.version:
            different.append((name, dist.version, pins[name]))
    assert (unpinned, different) == ([], [])
