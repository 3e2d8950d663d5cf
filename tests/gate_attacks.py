"""Attacks on the gate, built on disk: what a hostile pull request commits to get its
violations through, delete files or leak a secret (issue 13).

Shared by tests/test_gate_attacks.py (every attack must hold) and
benchmarks/gate_attacks.py (held/failed, exit code, time and peak memory of each).
Every attack plants one real violation, a hard-coded AWS key, and is run through the
real `twelvefold` command in a subprocess, as CI or pre-commit would run it. Secrets
are built by concatenation so this file itself holds none.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers import git, make_repo

AWS_KEY = "AKIA" + "Q7ZP3MDKW9RTX2VB"
GITHUB_TOKEN = "ghp_" + "R8x2Lq9Vt4Zk7Wm3Pn6Bc1Jd5Hf0Gs8Ya2Qe"
KEY_LINE = f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\n'
PYPROJECT = '[project]\nname = "p"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = []\n'
MB = 1_000_000
#: A run that takes longer hangs (a FIFO read forever): the attack succeeded.
TIMEOUT_SECONDS = 60


@dataclass
class Run:
    """What one `twelvefold` invocation of an attack did."""

    argv: list[str]
    code: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Attack:
    name: str
    item: int  # the item of issue 13
    description: str
    #: Builds the repository under `workdir / "repo"` and returns the invocations to run
    #: there, each as (argv after `twelvefold`, extra environment).
    build: Callable[[Path], list[tuple[list[str], dict[str, str]]]]
    #: Why the attack succeeded, or None when the gate held.
    breach: Callable[[Path, list[Run]], str | None]
    env: dict[str, str] = field(default_factory=dict)


def _repo(workdir: Path, files: dict[str, str | bytes] | None = None) -> Path:
    return make_repo(
        workdir / "repo",
        {"pyproject.toml": PYPROJECT, "app/settings.py": KEY_LINE, **(files or {})},
    )


def _commit(root: Path) -> None:
    git(root, "add", "-A", "-f")
    git(root, "commit", "-qm", "attack")


def _key_reported(run: Run, path: str = "app/settings.py") -> bool:
    return run.code == 1 and f"{path}:" in run.stdout and "TF301" in run.stdout


# -- 1 -------------------------------------------------------------------------------
def build_option_file_names(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    names = ["--fail-on=never", "--ignore=ALL", "--select=TF1204", "--write-baseline=x.json"]
    root = _repo(workdir, {name: "" for name in names})
    files = sorted(git(root, "ls-files").split())
    # As pre-commit runs a hook whose user `args:` forgot `--`, and with the default `--`.
    return [(["check", *files], {}), (["check", "--", *files], {})]


def breach_option_file_names(root: Path, runs: list[Run]) -> str | None:
    if (root / "x.json").exists():
        return "a file name wrote a baseline"
    if runs[0].code == 0:
        return "a file name switched the gate off"
    if not _key_reported(runs[1]):
        return "the key was not reported with `--`"
    return None


# -- 2 -------------------------------------------------------------------------------
def _victim(workdir: Path) -> Path:
    victim = workdir / "victim"
    victim.mkdir(exist_ok=True)
    for number in range(6):
        (victim / f"precious-{number}.json").write_text("{}\n", encoding="utf-8")
    return victim


def _tree(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def build_cache_symlink(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    _victim(workdir)
    root = _repo(workdir)
    (root / ".twelvefold_cache").symlink_to("../victim")
    _commit(root)
    return [(["check"], {"CI": ""}), (["check"], {"CI": ""})]


def breach_cache_symlink(root: Path, runs: list[Run]) -> str | None:
    victim = root.parent / "victim"
    expected = {f"precious-{n}.json": "{}\n" for n in range(6)}
    if _tree(victim) != expected:
        return f"files outside the repository changed: {sorted(_tree(victim))}"
    if not all(_key_reported(run) for run in runs):
        return "the key was not reported"
    return None


# -- 3 -------------------------------------------------------------------------------
def build_output_symlinks(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    outside = workdir / "outside"
    outside.mkdir()
    (outside / "bashrc").write_text("export PATH=/usr/bin\n", encoding="utf-8")
    root = _repo(workdir)
    for name in ("twelvefold.sarif", ".twelvefold-baseline.json", "gl-code-quality-report.json"):
        (root / name).symlink_to("../outside/bashrc")
    _commit(root)
    return [
        (["check", "--output-format", "sarif", "--output", "twelvefold.sarif"], {}),
        (["check", "--write-baseline", ".twelvefold-baseline.json"], {}),
        (["check", "--output-format", "gitlab", "-o", "gl-code-quality-report.json"], {}),
    ]


def breach_output_symlinks(root: Path, runs: list[Run]) -> str | None:
    if (root.parent / "outside" / "bashrc").read_text(encoding="utf-8") != "export PATH=/usr/bin\n":
        return "a report was written through a committed symlink"
    if any(run.code != 2 for run in runs):
        return "a write through a symlink was not a usage error"
    return None


# -- 4 -------------------------------------------------------------------------------
def build_relabelled_baseline(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    root = _repo(workdir)
    subprocess.run(
        [_twelvefold(), "check", "--write-baseline", "baseline.json"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    document = json.loads((root / "baseline.json").read_text(encoding="utf-8"))
    for entry in document["findings"]:
        entry.update(code="TF999", path="docs/conf_helper.py", message="style nit")
    (root / "baseline.json").write_text(json.dumps(document), encoding="utf-8")
    _commit(root)
    return [(["check", "--baseline", "baseline.json"], {})]


def breach_relabelled_baseline(root: Path, runs: list[Run]) -> str | None:
    if not _key_reported(runs[0]):
        return "a relabelled baseline entry hid the key"
    if "suppressed by the baseline" not in runs[0].stdout:
        return "the report does not say what the baseline suppressed"
    return None


# -- 5 -------------------------------------------------------------------------------
def build_skipped_content(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    pad = "# " + "x" * 98 + "\n"
    _repo(
        workdir,
        {
            "app/settings.py": "x = 1\n",
            "legacy/latin.py": (
                b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n" + KEY_LINE.encode()
            ),
            "deploy/values.yaml": b"# owner: ops\x00\naws_access_key_id: "
            + AWS_KEY.encode()
            + b"\n",
            "src/big.py": KEY_LINE + pad * 105_000,  # 10.5 MB, over the size limit
            "config.json": json.dumps({"aws_access_key_id": AWS_KEY}).encode("utf-16"),
        },
    )
    return [(["check", "--output-format", "json"], {})]


def breach_skipped_content(root: Path, runs: list[Run]) -> str | None:
    try:
        report = json.loads(runs[0].stdout)
    except ValueError:
        return "no JSON report"
    found = {f["path"] for f in report["findings"] if f["code"] == "TF301"}
    missed = {"legacy/latin.py", "deploy/values.yaml", "src/big.py", "config.json"} - found
    return f"secret not reported in {sorted(missed)}" if missed else None


# -- 6 -------------------------------------------------------------------------------
def build_secret_in_messages(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    _repo(
        workdir,
        {
            "src/paths.py": f'DATA = "/home/alice/{GITHUB_TOKEN}/train.csv"\n',
            "deploy/values.yaml": f"image: !{AWS_KEY} app\n",
        },
    )
    return [
        (["check", "--write-baseline", "baseline.json"], {"CI": ""}),
        (["check", "--output-format", "json"], {"CI": ""}),
        (["check", "--output-format", "sarif"], {"CI": ""}),
    ]


def breach_secret_in_messages(root: Path, runs: list[Run]) -> str | None:
    secrets = (GITHUB_TOKEN, AWS_KEY)
    places = {"baseline": (root / "baseline.json").read_text(encoding="utf-8")}
    cache = root / ".twelvefold_cache"
    if cache.is_dir():
        for path in cache.rglob("*"):
            if path.is_file():
                places[f"cache {path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    for run in runs:
        places[f"{' '.join(run.argv)} stdout"] = run.stdout
        places[f"{' '.join(run.argv)} stderr"] = run.stderr
    leaks = [where for where, text in places.items() if any(s in text for s in secrets)]
    return f"secret in clear in: {leaks}" if leaks else None


# -- 7 -------------------------------------------------------------------------------
#: What a GitHub runner reads as a workflow command: `::cmd` after leading whitespace,
#: and the legacy `##[cmd]` anywhere in a line.
RUNNER_COMMAND = re.compile(r"^[\s\u00a0\u3000]*::[a-z-]+|##\[[a-z-]+")


def build_log_injection(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    leak = 'DATA = "/home/alice/train.csv"\n'
    _repo(
        workdir,
        {
            " ::error file=app.py::forged.py": leak,
            "mid##[error]forged.py": leak,
            "\u00a0::add-mask::x.py": leak,
            "notes/##[add-mask]x.py": leak,
            "deploy/values.yaml": "key: [unclosed ##[error]forged\n",
        },
    )
    return [
        (["check", "--output-format", fmt], {})
        for fmt in ("text", "full", "github", "markdown", "gitlab")
    ]


def breach_log_injection(root: Path, runs: list[Run]) -> str | None:
    for run in runs:
        fmt = run.argv[-1]
        for stream, text in (("stdout", run.stdout), ("stderr", run.stderr)):
            for raw in text.splitlines():
                line = raw
                if fmt == "github" and stream == "stdout" and raw.startswith("::"):
                    # Our own commands: the data part after the second `::` must not hold one.
                    line = raw.split("::", 2)[-1]
                if RUNNER_COMMAND.search(line):
                    return f"{fmt} {stream}: {line[:80]!r}"
                if fmt == "gitlab" and re.search("[\u202e\u0085\u009b]", line):
                    return "gitlab: raw control characters"
    return None


# -- 8 -------------------------------------------------------------------------------
def build_config_off(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    _repo(
        workdir,
        {
            ".twelvefold.toml": 'ignore = ["ALL"]\n',
            "pyproject.toml": PYPROJECT + '[tool.twelvefold]\nselect = ["ALL"]\n',
        },
    )
    other = workdir / "repo2"
    make_repo(other, {"app/settings.py": KEY_LINE, "twelvefold.toml": 'exclude = ["**"]\n'})
    return [(["check"], {}), (["check", "--output-format", "json", str(other)], {})]


def breach_config_off(root: Path, runs: list[Run]) -> str | None:
    said = runs[0].stdout
    if "settings: .twelvefold.toml" not in said or "rules are turned off" not in said:
        return "the report does not say the hidden config turned every rule off"
    if "pyproject.toml also holds twelvefold settings and is ignored" not in said:
        return "the ignored config file is not named"
    report = json.loads(runs[1].stdout)
    if any(entry["status"] == "pass" for entry in report["summary"]["scorecard"].values()):
        return "a factor with nothing checked is scored pass"
    if not any("paths excluded" in n["message"] for n in report["notices"]):
        return "exclude = ['**'] is not reported"
    return None


# -- 9 -------------------------------------------------------------------------------
def build_malformed_baselines(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    root = _repo(workdir)
    head = '{"tool": "twelvefold", "version": 1, "findings": '
    (root / "five.json").write_text(head + "5}", encoding="utf-8")
    (root / "true.json").write_text(head + "true}", encoding="utf-8")
    (root / "deep.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    (root / "zero.json").symlink_to("/dev/zero")
    os.mkfifo(root / "fifo.json")
    return [
        (["check", "--baseline", name], {})
        for name in ("five.json", "true.json", "deep.json", "zero.json", "fifo.json")
    ]


def breach_malformed_baselines(root: Path, runs: list[Run]) -> str | None:
    for run in runs:
        if run.code != 2 or "Traceback" in run.stderr or len(run.stderr.splitlines()) != 1:
            return f"{run.argv[-1]}: exit {run.code}, {run.stderr.strip()[-120:]!r}"
    return None


# -- 10 ------------------------------------------------------------------------------
def build_cache_ctime(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    _repo(workdir, {"app/settings.py": 'AWS_ACCESS_KEY_ID = "' + "x" * 20 + '"\n'})
    return [(["check"], {"CI": ""})]


def after_cache_ctime(root: Path) -> list[tuple[list[str], dict[str, str]]]:
    """Between the runs: the same size, the mtime put back (`touch -m -r`)."""
    path = root / "app/settings.py"
    before = path.stat()
    path.write_text(KEY_LINE, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return [(["check"], {"CI": ""})]


def breach_cache_ctime(root: Path, runs: list[Run]) -> str | None:
    return None if _key_reported(runs[-1]) else "the cache served the stale result"


# -- 11 ------------------------------------------------------------------------------
def build_suppression_in_string(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    _repo(
        workdir,
        {
            "app/settings.py": KEY_LINE.rstrip("\n") + '; NOTE = "# twelvefold: ignore[TF301]"\n',
            "app/broken.py": 'DOC = """\n# twelvefold: ignore-file[TF301]\n"""\n'
            + KEY_LINE
            + "def broken(:\n",
        },
    )
    return [(["check", "--output-format", "json"], {})]


def breach_suppression_in_string(root: Path, runs: list[Run]) -> str | None:
    found = {f["path"] for f in json.loads(runs[0].stdout)["findings"] if f["code"] == "TF301"}
    missed = {"app/settings.py", "app/broken.py"} - found
    return f"a suppression inside a string hid {sorted(missed)}" if missed else None


# -- 12 ------------------------------------------------------------------------------
def build_fix_gitignore_folder(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    root = _repo(workdir, {".gitignore/keep": ""})
    (root / ".env").write_text(
        "DB_PASSWORD=\n", encoding="utf-8"
    )  # untracked: a fix wants it ignored
    return [(["check", "--diff"], {}), (["check", "--fix"], {})]


def breach_fix_gitignore_folder(root: Path, runs: list[Run]) -> str | None:
    for run in runs:
        if "Traceback" in run.stderr or "IsADirectoryError" in run.stderr:
            return f"{run.argv[-1]}: traceback"
    return None


def build_fix_untracked_notebook(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    # An application (a package and a root Dockerfile), where notebook outputs are reported.
    root = _repo(workdir, {"app/__init__.py": "", "Dockerfile": "FROM python:3.12-slim\n"})
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {},
                "source": ["print(1)\n"],
                "outputs": [{"output_type": "stream", "name": "stdout", "text": ["1\n"]}],
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    # Tracked, but with outputs only in the working tree (unstaged): git cannot give
    # them back.
    clean = json.loads(json.dumps(notebook))
    clean["cells"][0]["outputs"] = []
    (root / "eda.ipynb").write_text(json.dumps(clean, indent=1) + "\n", encoding="utf-8")
    _commit(root)
    (root / "eda.ipynb").write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    # Untracked: its outputs exist nowhere else.
    (root / "scratch.ipynb").write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    return [(["check", "--fix"], {})]


def breach_fix_untracked_notebook(root: Path, runs: list[Run]) -> str | None:
    for name in ("scratch.ipynb", "eda.ipynb"):
        notebook = json.loads((root / name).read_text(encoding="utf-8"))
        if not notebook["cells"][0]["outputs"]:
            return f"--fix stripped outputs git cannot give back ({name})"
    return None


# -- 13 ------------------------------------------------------------------------------
def build_type_confused_manifests(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    _repo(
        workdir,
        {
            "setup.py": "from setuptools import setup\nsetup(name='p', install_requires=5)\n",
            "app/model.py": "import numpy\n",
            "environment.yml": "name: p\ndependencies: 5\n",
            ".github/workflows/ci.yml": "on: push\njobs: [1, 2]\n",
            ".pre-commit-config.yaml": "repos: {a: 1}\n",
        },
    )
    return [(["check", "--output-format", "json"], {})]


def breach_type_confused_manifests(root: Path, runs: list[Run]) -> str | None:
    report = json.loads(runs[0].stdout)
    crashed = [d["message"][:100] for d in report["diagnostics"] if d["internal"]]
    return f"rules crashed: {crashed}" if crashed else None


# -- 14 ------------------------------------------------------------------------------
def build_ci_cache(workdir: Path) -> list[tuple[list[str], dict[str, str]]]:
    _repo(workdir)
    return [(["check"], {"CI": "true"})]


def breach_ci_cache(root: Path, runs: list[Run]) -> str | None:
    if (root / ".twelvefold_cache").exists():
        return "a CI run used a cache inside the audited tree"
    return None if _key_reported(runs[0]) else "the key was not reported"


ATTACKS: tuple[Attack, ...] = (
    Attack(
        "option-file-names",
        1,
        "committed files named --fail-on=never, --ignore=ALL, --select=..., --write-baseline=...",
        build_option_file_names,
        breach_option_file_names,
    ),
    Attack(
        "cache-symlink",
        2,
        "a committed .twelvefold_cache symlink to a folder outside the repository",
        build_cache_symlink,
        breach_cache_symlink,
    ),
    Attack(
        "output-symlinks",
        3,
        "twelvefold.sarif, the baseline and the GitLab report committed as symlinks out",
        build_output_symlinks,
        breach_output_symlinks,
    ),
    Attack(
        "relabelled-baseline",
        4,
        "a baseline entry relabelled TF999 on another path",
        build_relabelled_baseline,
        breach_relabelled_baseline,
    ),
    Attack(
        "skipped-content",
        5,
        "keys in a latin-1 module, a YAML with a NUL, a 10.5 MB .py, a UTF-16 JSON",
        build_skipped_content,
        breach_skipped_content,
    ),
    Attack(
        "secret-in-messages",
        6,
        "a token in a quoted path and a key in a YAML tag: baseline, cache, diagnostics",
        build_secret_in_messages,
        breach_secret_in_messages,
    ),
    Attack(
        "log-injection",
        7,
        "file names and YAML text carrying ::error, ##[error] and ##[add-mask]",
        build_log_injection,
        breach_log_injection,
    ),
    Attack(
        "config-off",
        8,
        'a hidden .twelvefold.toml with ignore = ["ALL"]; exclude = ["**"]',
        build_config_off,
        breach_config_off,
    ),
    Attack(
        "malformed-baselines",
        9,
        "baselines: findings 5/true, 200k-deep JSON, a symlink to /dev/zero, a FIFO",
        build_malformed_baselines,
        breach_malformed_baselines,
    ),
    Attack(
        "cache-ctime",
        10,
        "an edit that keeps the size and restores the mtime between two runs",
        build_cache_ctime,
        breach_cache_ctime,
    ),
    Attack(
        "suppression-in-string",
        11,
        "`# twelvefold: ignore[...]` inside string literals",
        build_suppression_in_string,
        breach_suppression_in_string,
    ),
    Attack(
        "fix-gitignore-folder",
        12,
        "--fix and --diff where .gitignore is a folder",
        build_fix_gitignore_folder,
        breach_fix_gitignore_folder,
    ),
    Attack(
        "fix-untracked-notebook",
        12,
        "--fix on an untracked notebook with outputs (not recoverable from git)",
        build_fix_untracked_notebook,
        breach_fix_untracked_notebook,
    ),
    Attack(
        "type-confused-manifests",
        13,
        "setup(install_requires=5), dependencies: 5, jobs: [1, 2], repos: {a: 1}",
        build_type_confused_manifests,
        breach_type_confused_manifests,
    ),
    Attack(
        "ci-cache",
        14,
        "a CI run (CI=true) must not use a cache inside the audited tree",
        build_ci_cache,
        breach_ci_cache,
    ),
)

#: Steps between two runs of an attack (the first runs, then this, then the rest).
BETWEEN: dict[str, Callable[[Path], list[tuple[list[str], dict[str, str]]]]] = {
    "cache-ctime": after_cache_ctime,
}


def _twelvefold() -> str:
    return str(Path(sys.executable).parent / "twelvefold")


def invoke(root: Path, argv: list[str], env: dict[str, str]) -> Run:
    environment = {**os.environ, "NO_COLOR": "1", **env}
    for name, value in env.items():
        if value == "":
            environment.pop(name, None)
    try:
        done = subprocess.run(
            [_twelvefold(), *argv],
            cwd=root,
            capture_output=True,
            env=environment,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Run(argv, -9, "", f"TIMEOUT after {TIMEOUT_SECONDS} s\n")
    return Run(
        argv,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def attempt(attack: Attack, workdir: Path) -> tuple[Path, list[Run]]:
    """Build the attack under `workdir` and run it; returns the repo and the runs."""
    steps = attack.build(workdir)
    root = workdir / "repo"
    runs = [invoke(root, argv, env) for argv, env in steps]
    between = BETWEEN.get(attack.name)
    if between is not None:
        runs += [invoke(root, argv, env) for argv, env in between(root)]
    return root, runs
