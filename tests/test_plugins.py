"""Third-party rules through the `twelvefold.rules` entry-point group.

A plugin is a distribution on sys.path: a package plus a `.dist-info` folder whose
`entry_points.txt` names it, which is exactly what `pip install` leaves behind. The CLI
runs in a subprocess so each test gets a fresh rule registry.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from tests.helpers import make_repo

PLUGIN_RULES = '''
from twelvefold.model import Severity, Violation
from twelvefold.rule import FileRule


class PrintDebugging(FileRule):
    """## What it does
    Reports `breakpoint()` calls left in Python code.

    ## Why is this bad?
    A forgotten breakpoint hangs a batch job waiting for a debugger.
    """

    code = "{code}"
    name = "{name}"
    factor = 12
    severity = Severity.ERROR
    summary = "breakpoint() left in code"
    fix = "Remove the breakpoint() call."
    kinds = frozenset({{"python"}})
    prefilter = b"breakpoint("

    def check(self, file):
        for number, line in enumerate(file.lines, start=1):
            if "breakpoint(" in line and not line.lstrip().startswith("#"):
                yield Violation("`breakpoint()` left in code", line=number)
'''


def make_plugin(
    site: Path,
    dist: str,
    module: str,
    *,
    code: str = "ACME101",
    name: str = "breakpoint-left",
    entry: str | None = None,
    body: str | None = None,
) -> Path:
    """An installed-looking distribution `dist` in `site` providing `module`."""
    package = site / module
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "rules.py").write_text(
        body if body is not None else PLUGIN_RULES.format(code=code, name=name), encoding="utf-8"
    )
    info = site / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[twelvefold.rules]\n{module} = {entry or module + '.rules'}\n", encoding="utf-8"
    )
    return site


def twelvefold(
    site: Path | None, *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site) if site else "", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "twelvefold", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "project",
        {
            "pyproject.toml": '[project]\nname = "p"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = []\n',
            "job.py": "def run(x):\n    breakpoint()\n    return x\n",
            "notes.py": "# breakpoint() is how you would debug this\n",
        },
    )


def test_plugin_rule_is_listed_with_its_origin(tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "acme-twelvefold-rules", "acme_rules")
    result = twelvefold(site, "rules")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("ACME101"))
    assert "breakpoint-left" in line and "[acme-twelvefold-rules]" in line
    builtin = next(line for line in result.stdout.splitlines() if line.startswith("TF301"))
    assert "[" not in builtin  # built-in rules carry no origin tag
    data = json.loads(twelvefold(site, "rules", "--output-format", "json").stdout)
    origins = {rule["code"]: rule["origin"] for rule in data}
    assert origins["ACME101"] == "acme-twelvefold-rules"
    assert origins["TF301"] == "twelvefold"
    explained = twelvefold(site, "explain", "ACME101")
    assert (
        "From: acme-twelvefold-rules" in explained.stdout and "## What it does" in explained.stdout
    )


def test_plugin_rule_runs_like_a_builtin_rule(tmp_path: Path, project: Path) -> None:
    site = make_plugin(tmp_path / "site", "acme-twelvefold-rules", "acme_rules")
    result = twelvefold(
        site, "check", str(project), "--output-format", "json", "--select", "ACME101"
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["path"], f["line"], f["factor"]) for f in findings] == [
        ("ACME101", "job.py", 2, 12)
    ]
    # Configuration applies to plugin rules as to built-in ones.
    ignored = twelvefold(
        site, "check", str(project), "--ignore", "ACME101", "--output-format", "json"
    )
    assert all(f["code"] != "ACME101" for f in json.loads(ignored.stdout)["findings"])


def test_entry_point_may_name_one_rule_class(tmp_path: Path, project: Path) -> None:
    site = make_plugin(
        tmp_path / "site", "acme-one", "acme_one", entry="acme_one.rules:PrintDebugging"
    )
    result = twelvefold(
        site, "check", str(project), "--select", "ACME101", "--output-format", "json"
    )
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["ACME101"]


def test_plugin_colliding_with_a_builtin_code_is_refused_with_a_clear_message(
    tmp_path: Path, project: Path
) -> None:
    site = make_plugin(
        tmp_path / "site", "evil-rules", "evil_rules", code="TF301", name="fake-secret-rule"
    )
    result = twelvefold(site, "check", str(project))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (
        "plugin 'evil-rules'" in result.stderr
        and "TF301" in result.stderr
        and "already used" in result.stderr
    )
    listed = twelvefold(site, "rules")
    assert listed.returncode == 2
    # The built-in rule is untouched and the refused plugin registered nothing.
    assert "hard-coded-secret" in listed.stdout and "fake-secret-rule" not in listed.stdout


def test_plugin_reusing_a_builtin_class_name_and_code_is_refused(tmp_path: Path) -> None:
    body = PLUGIN_RULES.format(code="TF301", name="fake-secret-rule").replace(
        "class PrintDebugging", "class HardCodedSecret"
    )
    site = make_plugin(tmp_path / "site", "sneaky-rules", "sneaky_rules", body=body)
    result = twelvefold(site, "rules")
    assert result.returncode == 2 and "already used" in result.stderr
    assert "hard-coded-secret" in result.stdout and "fake-secret-rule" not in result.stdout


def test_two_plugins_with_the_same_code_refuse_the_second(tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "aaa-rules", "aaa_rules")
    make_plugin(site, "bbb-rules", "bbb_rules", name="other-breakpoint")
    result = twelvefold(site, "rules")
    assert result.returncode == 2
    assert "plugin 'bbb-rules'" in result.stderr and "ACME101" in result.stderr
    assert "[aaa-rules]" in result.stdout and "other-breakpoint" not in result.stdout


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("raise RuntimeError('boom')\n", "RuntimeError: boom"),
        ("X = 1\n", "defines no rule"),
    ],
)
def test_broken_plugin_is_refused_without_a_traceback(
    tmp_path: Path, body: str, expected: str
) -> None:
    site = make_plugin(tmp_path / "site", "broken-rules", "broken_rules", body=body)
    result = twelvefold(site, "rules")
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_entry_point_that_is_not_a_rule_is_refused(tmp_path: Path) -> None:
    body = (
        PLUGIN_RULES.format(code="ACME101", name="breakpoint-left")
        + "\n\ndef helper():\n    pass\n"
    )
    site = make_plugin(tmp_path / "site", "odd-rules", "odd_rules", entry="odd_rules.rules:helper")
    (site / "odd_rules" / "rules.py").write_text(body, encoding="utf-8")
    result = twelvefold(site, "rules")
    assert result.returncode == 2 and "neither a module nor a rule class" in result.stderr
    assert "ACME101" not in result.stdout


def _wheel(path: Path, dist: str, module: str) -> Path:
    """A minimal pure-Python wheel, built by hand (no build backend, no network)."""
    name = dist.replace("-", "_")
    wheel = path / f"{name}-1.0-py3-none-any.whl"
    info = f"{name}-1.0.dist-info"
    files = {
        f"{module}/__init__.py": "",
        f"{module}/rules.py": PLUGIN_RULES.format(code="ACME101", name="breakpoint-left"),
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/entry_points.txt": f"[twelvefold.rules]\n{module} = {module}.rules\n",
    }
    record = "".join(f"{name_},,\n" for name_ in [*files, f"{info}/RECORD"])
    with zipfile.ZipFile(wheel, "w") as archive:
        for member, text in {**files, f"{info}/RECORD": record}.items():
            archive.writestr(member, text)
    return wheel


def test_plugin_installed_by_an_installer_is_found(tmp_path: Path, project: Path) -> None:
    uv = subprocess.run(["uv", "--version"], capture_output=True, check=False)
    if uv.returncode != 0:
        pytest.skip("uv is not available")
    wheel = _wheel(tmp_path, "acme-installed-rules", "acme_installed")
    target = tmp_path / "target"
    subprocess.run(
        ["uv", "pip", "install", "--offline", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (target / "acme_installed" / "rules.py").is_file()
    result = twelvefold(
        target, "check", str(project), "--select", "ACME101", "--output-format", "json"
    )
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["ACME101"]
    assert "[acme-installed-rules]" in twelvefold(target, "rules").stdout


def test_no_plugins_no_change(tmp_path: Path) -> None:
    result = twelvefold(None, "rules")
    assert result.returncode == 0 and "ACME" not in result.stdout
    assert textwrap.dedent(result.stderr).strip() == ""
