"""The typed plugin API: `twelvefold.plugin` is all a plugin imports, and it type-checks.

The package ships `py.typed`, so mypy reads twelvefold's own annotations when it checks
a plugin; a plugin that breaks the contract's types is an error, not a guess.
"""

from __future__ import annotations

import importlib.resources
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from twelvefold import plugin as plugin_api

from tests.helpers import make_repo
from tests.test_plugins import make_plugin, twelvefold

PLUGIN = textwrap.dedent(
    '''
    from collections.abc import Iterator

    from twelvefold.plugin import FileRule, Severity, SourceFile, Violation


    class NoBreakpoint(FileRule):
        """## What it does
        Reports `breakpoint()` left in code.
        """

        code = "ACME101"
        name = "breakpoint-left"
        factor = 12
        severity = Severity.ERROR
        summary = "breakpoint() left in code"
        fix = "Remove the breakpoint() call."
        kinds = frozenset({"python"})
        prefilter = b"breakpoint("

        def check(self, file: SourceFile) -> Iterator[Violation]:
            for number, line in enumerate(file.lines, start=1):
                if "breakpoint(" in line:
                    yield Violation("`breakpoint()` left in code", line=number)
    '''
)


def mypy(*args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("mypy", path=str(Path(sys.executable).parent))
    if binary is None:
        pytest.skip("mypy is not installed")
    return subprocess.run(
        [binary, "--strict", "--no-incremental", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_package_type_checks_strictly() -> None:
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(root / "pyproject.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if "No module named mypy" in done.stderr:
        pytest.skip("mypy is not installed")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_public_name_is_importable() -> None:
    for name in plugin_api.__all__:
        assert getattr(plugin_api, name) is not None, name


def test_the_package_is_marked_typed() -> None:
    assert importlib.resources.files("twelvefold").joinpath("py.typed").is_file()


def test_a_plugin_written_against_the_api_runs(tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "acme-rules", "acme_rules", body=PLUGIN)
    repo = make_repo(tmp_path / "repo", {"job.py": "def run(x):\n    breakpoint()\n"})
    done = twelvefold(site, "check", "--no-cache", "--output-format", "json", "--", str(repo))
    found = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "ACME101"]
    assert [(f["path"], f["line"]) for f in found] == [("job.py", 2)], done.stderr


def test_the_plugin_type_checks_and_a_broken_one_does_not(tmp_path: Path) -> None:
    good = tmp_path / "good_rules.py"
    good.write_text(PLUGIN, encoding="utf-8")
    done = mypy(str(good))
    assert done.returncode == 0, done.stdout
    broken = tmp_path / "broken_rules.py"
    broken.write_text(
        PLUGIN.replace("severity = Severity.ERROR", 'severity = "error"'), encoding="utf-8"
    )
    done = mypy(str(broken))
    assert done.returncode == 1 and "broken_rules.py:15: error" in done.stdout, done.stdout


def test_the_wheel_ships_the_typing_marker_and_the_settings_schema(tmp_path: Path) -> None:
    builders = pytest.importorskip("hatchling.builders.wheel")
    root = Path(__file__).resolve().parent.parent
    (wheel,) = builders.WheelBuilder(str(root)).build(
        directory=str(tmp_path), versions=["standard"]
    )
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"twelvefold/py.typed", "twelvefold/twelvefold.schema.json"} <= names
    assert "twelvefold/plugin.py" in names
