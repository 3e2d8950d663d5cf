"""The checker against repositories crafted to hurt it or the CI that runs it.

It must never import, execute or build the audited code; never read through a symlink
out of the root; finish with bounded time and memory on absurd inputs, say what it
skipped, and still check the rest; and give byte-identical, path-free output.
Figures for each hostile input come from `benchmarks/hostile.py`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from twelvefold.config import Config
from twelvefold.engine import RunResult, Target, run

from tests.helpers import GIT_ENV, git, make_repo
from tests.hostile_cases import CASES, PLANTED_FILES, PLANTED_PATH, PLANTED_SECRET, Case

TWELVEFOLD = str(Path(sys.executable).parent / "twelvefold")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TWELVEFOLD, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **GIT_ENV, **(env or {})},
        check=False,
    )


def check_in_process(root: Path) -> RunResult:
    return run([Target(root)], Config(), jobs=1)


def planted_found(result: RunResult) -> bool:
    return any(f.code == "TF301" and f.path == PLANTED_PATH for f in result.findings)


# --- never import, execute or build the audited code ----------------------------------

PYTHON_TRAP = "import pathlib; pathlib.Path({marker!r}).write_text('ran')\n"
SHELL_TRAP = "#!/bin/sh\ntouch {marker!r}\n"

#: Python files something might import or run: packaging, test, nox, site hooks, and
#: modules that shadow the checker's own lazy imports when the cwd is on sys.path.
PYTHON_TRAPS = (
    "setup.py",
    "conftest.py",
    "tests/conftest.py",
    "noxfile.py",
    "sitecustomize.py",
    "usercustomize.py",
    "__init__.py",
    "src/pkg/__init__.py",
    "__main__.py",
    "yaml.py",
    "pathspec.py",
    "packaging/__init__.py",
    "tomli.py",
    "json/__init__.py",
    "ast.py",
    "tokenize.py",
    "fnmatch.py",
    "hashlib.py",
    "concurrent/__init__.py",
)
GIT_HOOKS = (
    "pre-commit",
    "post-checkout",
    "post-index-change",
    "reference-transaction",
    "fsmonitor-watchman",
    "pre-auto-gc",
)


def _trap_repo(root: Path, markers: Path) -> list[str]:
    """A committed repository whose every executable part leaves a marker; their names."""

    def marker(name: str) -> str:
        return str(markers / name.replace("/", "__"))

    files: dict[str, str] = {name: PYTHON_TRAP.format(marker=marker(name)) for name in PYTHON_TRAPS}
    files["evil.pth"] = (
        "import pathlib; pathlib.Path(" + repr(marker("evil.pth")) + ").write_text('ran')\n"
    )
    files["Makefile"] = f"all:\n\ttouch {marker('Makefile')}\n"
    files["tox.ini"] = f"[testenv]\ncommands = touch {marker('tox.ini')}\n"
    files["nb.ipynb"] = json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "metadata": {},
                    "outputs": [],
                    "execution_count": None,
                    "source": [
                        PYTHON_TRAP.format(marker=marker("nb.ipynb")),
                        f"!touch {marker('nb.ipynb.bang')}\n",
                    ],
                }
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )
    files["pyproject.toml"] = (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "backend"\nbackend-path = ["."]\n'
        '[project]\nname = "trap"\nversion = "0"\nrequires-python = ">=3.10"\n'
    )
    files["backend.py"] = PYTHON_TRAP.format(marker=marker("backend.py"))
    files[".envrc"] = f"touch {marker('.envrc')}\n"
    files[".pre-commit-config.yaml"] = (
        f"repos:\n- repo: local\n  hooks:\n  - id: t\n    name: t\n    entry: touch {marker('pre-commit-config')}\n    language: system\n"
    )
    make_repo(root, {**PLANTED_FILES, **files})
    names = [*PYTHON_TRAPS, "evil.pth", "Makefile", "tox.ini", "nb.ipynb", "backend.py"]

    hooks = root / ".git" / "hooks"
    for hook in GIT_HOOKS:
        (hooks / hook).write_text(SHELL_TRAP.format(marker=marker(f"hook-{hook}")))
        (hooks / hook).chmod(0o755)
    fsmonitor = root / "fsmonitor.sh"
    fsmonitor.write_text(SHELL_TRAP.format(marker=marker("fsmonitor")))
    fsmonitor.chmod(0o755)
    git(root, "config", "core.fsmonitor", str(fsmonitor))
    git(root, "config", "core.hooksPath", str(hooks))
    for name in ("pager", "editor", "sshCommand"):
        git(root, "config", f"core.{name}", f"touch {marker('core.' + name)}")
    git(root, "config", "diff.external", str(fsmonitor))
    git(root, "config", "filter.trap.clean", f"touch {marker('filter-clean')}")
    git(root, "config", "filter.trap.smudge", f"touch {marker('filter-smudge')}")
    git(root, "config", "filter.trap.process", f"touch {marker('filter-process')}")
    (root / ".gitattributes").write_text("* filter=trap\n")
    (root / "app" / "settings.py").write_text(PLANTED_FILES[PLANTED_PATH] + "# edited\n")  # dirty
    return names


def test_the_git_trap_is_armed(tmp_path: Path) -> None:
    """The fsmonitor trap fires under plain `git status`, so its absence below means
    the checker disarmed it, not that the trap was broken."""
    markers = tmp_path / "markers"
    markers.mkdir()
    _trap_repo(tmp_path / "repo", markers)
    subprocess.run(
        ["git", "-C", str(tmp_path / "repo"), "status"],
        capture_output=True,
        check=False,
        env={**os.environ, **GIT_ENV},
    )
    assert (markers / "fsmonitor").exists()


@pytest.mark.parametrize("inside", [True, False], ids=["cwd-inside", "cwd-outside"])
@pytest.mark.parametrize("launcher", ["script", "module"])
def test_never_executes_audited_code(tmp_path: Path, inside: bool, launcher: str) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    root = tmp_path / "repo"
    _trap_repo(root, markers)
    command = [TWELVEFOLD] if launcher == "script" else [sys.executable, "-m", "twelvefold"]
    for args in (["check"], ["check", "--output-format", "json"], ["check", "app/settings.py"]):
        if not inside and args[-1] == "app/settings.py":
            continue
        result = subprocess.run(
            [*command, *args, *([] if inside else [str(root)])],
            cwd=root if inside else tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env={k: v for k, v in {**os.environ, **GIT_ENV}.items() if k != "PYTHONSAFEPATH"},
            check=False,
        )
        assert result.returncode == 1, result.stderr
        assert "TF301" in result.stdout
        ran = sorted(path.name for path in markers.iterdir())
        assert ran == [], f"audited code ran: {ran}"


# --- symlinks --------------------------------------------------------------------------


def _paths(result: RunResult) -> Iterator[str]:
    for finding in result.findings:
        if finding.path is not None:
            yield finding.path
    for diagnostic in result.diagnostics:
        if diagnostic.path is not None:
            yield diagnostic.path


def _assert_inside(path: str) -> None:
    assert not path.startswith("/") and ".." not in path.split("/") and "\\" not in path, path


@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_symlinks_are_never_followed(tmp_path: Path, use_git: bool) -> None:
    root = tmp_path / "repo"
    next(case for case in CASES if case.name == "symlinks").build(root)
    if use_git:
        make_repo(root, {})  # commits the links themselves, as git stores them
    result = check_in_process(root)
    assert planted_found(result)
    for path in _paths(result):
        _assert_inside(path)
    leaked = [
        f
        for f in result.findings
        if f.path and ("escape" in f.path or "loop" in f.path or "up/" in f.path)
    ]
    assert leaked == []
    assert result.internal_errors == []


def test_symlink_loops_and_links_out_in_cli(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    next(case for case in CASES if case.name == "symlinks").build(root)
    result = cli("check", "--output-format", "json", ".", cwd=root, timeout=60)
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert {f["path"] for f in report["findings"] if f["code"] == "TF301"} == {PLANTED_PATH}
    for finding in report["findings"]:
        if finding["path"] is not None:
            _assert_inside(finding["path"])


def test_file_argument_through_a_symlink_out_of_the_repo_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    next(case for case in CASES if case.name == "symlinks").build(root)
    make_repo(root, {})
    result = cli("check", "escape.py", cwd=root, timeout=60)
    assert result.returncode == 2
    assert "escape.py" in result.stderr and "outside the repository" in result.stderr


def test_config_symlinked_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    next(case for case in CASES if case.name == "symlinked-config").build(root)
    started = time.monotonic()
    result = cli("check", ".", cwd=root, timeout=60)
    assert time.monotonic() - started < 30
    assert result.returncode == 2
    assert "pyproject.toml" in result.stderr and "symlink out of the repository" in result.stderr


def test_config_symlinked_inside_the_root_is_read(tmp_path: Path) -> None:
    root = make_repo(
        tmp_path / "repo",
        {**PLANTED_FILES, "conf/twelvefold.toml": 'ignore = ["TF301"]\n'},
        git_init=False,
    )
    (root / "twelvefold.toml").symlink_to("conf/twelvefold.toml")
    result = cli("check", "--output-format", "json", ".", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    assert [f for f in json.loads(result.stdout)["findings"] if f["code"] == "TF301"] == []


def test_gitignore_symlinked_to_a_device_is_not_read(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", PLANTED_FILES, git_init=False)
    (root / ".gitignore").symlink_to("/dev/zero")
    started = time.monotonic()
    result = check_in_process(root)
    assert time.monotonic() - started < 30
    assert planted_found(result)


# --- resource limits -------------------------------------------------------------------

#: Bounds asserted for every hostile input (measured figures: benchmarks/hostile.py).
MAX_SECONDS = 60
MAX_PEAK_MB = 400


#: Runs a command and writes its own peak RSS (kB, from wait4) to argv[1]. A small
#: launcher, because Linux carries a parent's peak over fork and exec: measured straight
#: from pytest (hundreds of MB), every child would look that big.
_LAUNCHER = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def _run_measured(root: Path, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """The CLI on `root`, with its wall time and its own peak RSS (MB)."""
    peak_file = cwd / "peak-rss-kb"
    started = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _LAUNCHER,
            str(peak_file),
            TWELVEFOLD,
            "check",
            "--output-format",
            "json",
            str(root),
        ],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **GIT_ENV},
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=MAX_SECONDS * 2)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"no result after {MAX_SECONDS * 2} s")
    seconds = time.monotonic() - started
    peak = int(peak_file.read_text()) / 1024
    completed = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    return completed, seconds, peak


def _build(case: Case, root: Path) -> None:
    # In a child process: building a 50 MB notebook here would grow pytest itself.
    code = (
        "import sys; from pathlib import Path; from tests.hostile_cases import CASES; "
        f"[c for c in CASES if c.name == {case.name!r}][0].build(Path({str(root)!r}))"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        check=True,
        env={**os.environ, **GIT_ENV},
    )


RESOURCE_CASES = [
    pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.slow else [])
    for case in CASES
    if case.name not in ("symlinks", "symlinked-config")  # asserted above: other outcomes
]


@pytest.mark.parametrize("case", RESOURCE_CASES)
def test_hostile_input_is_bounded_and_the_rest_is_checked(tmp_path: Path, case: Case) -> None:
    root = tmp_path / "repo"
    _build(case, root)
    result, seconds, peak_mb = _run_measured(root, tmp_path)
    assert result.returncode == 1, result.stderr[-2000:]
    report = json.loads(result.stdout)
    found = {(f["code"], f["path"]) for f in report["findings"]}
    assert ("TF301", PLANTED_PATH) in found, "the rest of the repository was not checked"
    messages = [f"{d['path']}: {d['message']}" for d in report["diagnostics"]]
    if case.diagnostic:
        assert any(case.diagnostic in message for message in messages), messages
    assert not [d for d in report["diagnostics"] if d["internal"]], messages
    assert seconds < MAX_SECONDS, f"{case.name}: {seconds:.1f} s"
    assert peak_mb < MAX_PEAK_MB, f"{case.name}: {peak_mb:.0f} MB"


def test_yaml_alias_bomb_is_refused_with_a_diagnostic() -> None:
    from twelvefold.sources import SourceFile

    from tests.hostile_cases import _LAUGHS

    for path in (".github/workflows/ci.yml", "docker-compose.yml"):
        source = SourceFile(path, "yaml", (_LAUGHS + "\nkey: *a9\n").encode())
        started = time.monotonic()
        assert source.yaml is None
        assert time.monotonic() - started < 5
        assert any("alias bomb" in message for message in source.diagnostics)
    # Ordinary anchors and aliases (CI files use them) still load.
    normal = SourceFile(
        "ci.yml", "yaml", b"base: &base {image: python}\njob: *base\nother: [*base, *base]\n"
    )
    assert normal.yaml == {
        "base": {"image": "python"},
        "job": {"image": "python"},
        "other": [{"image": "python"}] * 2,
    }


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("python", "x = " + "[" * 100_000 + "]" * 100_000),
        ("python", "x = " + "f(" * 100_000 + ")" * 100_000),
        ("notebook", '{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("toml", "x = " + "[" * 100_000 + "]" * 100_000),
        ("yaml", "x: " + "[" * 100_000 + "]" * 100_000),
        ("yaml", "- " * 100_000 + "x"),
    ],
    ids=["py-lists", "py-calls", "notebook", "toml", "yaml-flow", "yaml-block"],
)
def test_deep_nesting_is_a_diagnostic_not_a_crash(kind: str, text: str) -> None:
    from twelvefold.sources import SourceFile

    suffix = {"python": "py", "notebook": "ipynb", "toml": "toml", "yaml": "yml"}[kind]
    source = SourceFile(f"deep.{suffix}", kind, text.encode())
    parsed = {
        "python": lambda: source.python.tree,  # type: ignore[union-attr]
        "notebook": lambda: source.notebook,
        "toml": lambda: source.toml,
        "yaml": lambda: source.yaml,
    }[kind]()
    assert parsed is None
    assert source.diagnostics, "a skipped file must say why"


# --- unreadable, vanishing and changing files ------------------------------------------


def _repo_with(tmp_path: Path, extra: dict[str, str | bytes]) -> Path:
    return make_repo(tmp_path / "repo", {**PLANTED_FILES, **extra})


def _diagnostics(result: RunResult, path: str) -> list[str]:
    return [d.message for d in result.diagnostics if d.path == path]


@pytest.mark.skipif(
    IS_ROOT, reason="running as root: chmod 000 does not stop root reading; simulated below"
)
def test_unreadable_file_chmod(tmp_path: Path) -> None:
    root = _repo_with(tmp_path, {"src/locked.py": 'API_TOKEN = "x"\n'})
    (root / "src" / "locked.py").chmod(0)
    try:
        result = check_in_process(root)
    finally:
        (root / "src" / "locked.py").chmod(0o644)
    assert planted_found(result)
    assert any("unreadable" in m for m in _diagnostics(result, "src/locked.py"))


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo_with(
        tmp_path, {"src/locked.py": 'API_TOKEN = "x"\n', "requirements-dev.txt": "pytest\n"}
    )
    real_open = os.open

    def refusing_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).endswith(("locked.py", "requirements-dev.txt")):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing_open)
    result = check_in_process(root)
    assert planted_found(result)
    assert any("unreadable (Permission denied)" in m for m in _diagnostics(result, "src/locked.py"))
    assert result.internal_errors == []


def _after_discovery(monkeypatch: pytest.MonkeyPatch, change: object) -> None:
    """Run `change(root)` between discovery and reading, as a concurrent writer would."""
    import twelvefold.engine as engine

    real = engine.discover

    def discover_then_change(root: Path, *args: object, **kwargs: object) -> object:
        found = real(root, *args, **kwargs)
        change(root)  # type: ignore[operator]
        return found

    monkeypatch.setattr(engine, "discover", discover_then_change)


def test_file_deleted_during_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo_with(tmp_path, {"src/gone.py": 'import os\nAPI_TOKEN = os.environ["T"]\n'})
    _after_discovery(monkeypatch, lambda r: (r / "src" / "gone.py").unlink())
    result = check_in_process(root)
    assert planted_found(result)
    assert any("unreadable" in m for m in _diagnostics(result, "src/gone.py"))
    assert result.internal_errors == []


def test_file_grown_past_the_limit_during_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo_with(tmp_path, {"src/grows.py": 'API_TOKEN = "x"\n'})
    _after_discovery(
        monkeypatch, lambda r: (r / "src" / "grows.py").write_bytes(b"#" * (11 * 2**20))
    )
    result = check_in_process(root)
    assert planted_found(result)
    assert any("size limit" in m for m in _diagnostics(result, "src/grows.py"))


def test_file_swapped_for_a_symlink_during_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text(f'TOKEN = "{PLANTED_SECRET}"\n')
    root = _repo_with(tmp_path, {"src/swap.py": 'API_TOKEN = "x"\n'})

    def swap(r: Path) -> None:
        (r / "src" / "swap.py").unlink()
        (r / "src" / "swap.py").symlink_to(outside)

    _after_discovery(monkeypatch, swap)
    result = check_in_process(root)
    assert planted_found(result)
    assert [f for f in result.findings if f.path == "src/swap.py"] == []
    assert any("unreadable" in m for m in _diagnostics(result, "src/swap.py"))


@pytest.mark.parametrize("name", ["src/fifo.py", "requirements-dev.txt", "pyproject.toml"])
def test_file_swapped_for_a_fifo_during_the_run_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    root = _repo_with(tmp_path, {name: '[project]\nname = "x"\nAPI_TOKEN = "x"\n'})

    def swap(r: Path) -> None:
        (r / name).unlink()
        os.mkfifo(r / name)

    _after_discovery(monkeypatch, swap)

    def timeout(*_: object) -> None:
        raise TimeoutError("the checker blocked opening a FIFO")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    try:
        result = check_in_process(root)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert planted_found(result)
    assert any("not a regular file" in m for m in _diagnostics(result, name))


# --- determinism and output hygiene ----------------------------------------------------


def _determinism_repo(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = dict(PLANTED_FILES)
    for index in range(30):
        files[f"pkg/mod_{index:02d}.py"] = (
            f'import os\nimport requests\nDATA = "/home/user{index}/data.csv"\nAPI_TOKEN = "{PLANTED_SECRET[:-2]}{index:02d}"\n'
        )
    files["notebooks/a.ipynb"] = json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "metadata": {},
                    "outputs": [],
                    "execution_count": None,
                    "source": ["!pip install torch\n", 'DB = "postgresql://u:Q7zP3mDkW9rT@db/x"\n'],
                }
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )
    files["broken.toml"] = "x = [\n"
    files["broken.yml"] = "a: [\n"
    return make_repo(tmp_path / "repo", files)


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_output_is_byte_identical_across_runs_seeds_cwds_and_jobs(
    tmp_path: Path, output_format: str
) -> None:
    root = _determinism_repo(tmp_path)
    other = tmp_path / "elsewhere" / "deeper"
    other.mkdir(parents=True)
    runs = [
        cli("check", "--output-format", output_format, cwd=root, env={"PYTHONHASHSEED": "0"}),
        cli("check", "--output-format", output_format, ".", cwd=root, env={"PYTHONHASHSEED": "1"}),
        cli(
            "check",
            "--output-format",
            output_format,
            str(root),
            cwd=other,
            env={"PYTHONHASHSEED": "random"},
        ),
        cli(
            "check",
            "--output-format",
            output_format,
            str(root),
            cwd=tmp_path,
            env={"PYTHONHASHSEED": "12345"},
        ),
    ]
    help_text = cli("check", "--help", cwd=root).stdout
    if "--jobs" in help_text:
        runs.append(cli("check", "--output-format", output_format, "--jobs", "1", cwd=root))
        runs.append(cli("check", "--output-format", output_format, "--jobs", "2", cwd=root))
    outputs = {(run.returncode, run.stdout, run.stderr) for run in runs}
    assert len(outputs) == 1, "output differs between runs"
    ((code, stdout, stderr),) = outputs
    assert code == 1
    for text in (stdout, stderr):
        assert str(tmp_path) not in text and str(Path.home()) + "/" not in text.replace(
            "/home/user", ""
        )
        assert not re.search(r"\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d", text), "timestamp in output"
    if output_format == "json":
        for finding in json.loads(stdout)["findings"]:
            if finding["path"] is not None:
                _assert_inside(finding["path"])


def test_in_process_runs_are_identical_whatever_the_job_count(tmp_path: Path) -> None:
    root = _determinism_repo(tmp_path)
    results = [run([Target(root)], Config(), jobs=jobs) for jobs in (1, 2, 1)]
    as_data = [
        ([f.to_dict() for f in r.findings], [(d.path, d.message) for d in r.diagnostics])
        for r in results
    ]
    assert as_data[0] == as_data[1] == as_data[2]
    assert as_data[0][0], "the repository has findings to compare"


# --- text/json output cannot inject into a terminal or log ------------------------------

#: File names a stranger can commit: newlines, ANSI escapes, workflow commands, bidi.
CRAFTED_NAMES = [
    "evil\n::error file=x::pwned.py",
    "ansi\x1b[31mred\x1b[0m\x1b]0;title\x07.py",
    "percent%0A::warning::x.py",
    "bidi\u202eyp.txt\u202c.py",
    "c1\x9b31m.py",
    "cr\rreturn.py",
    "tab\there.py",
    "-leading-dash.py",
]


def _injection_repo(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = dict(PLANTED_FILES)
    for name in CRAFTED_NAMES:
        files[f"src/{name}"] = (
            f'import os\nAPI_TOKEN = "{PLANTED_SECRET}"\nDATA = "/home/alice/x\x1b[2J.csv"\n'
        )
    return make_repo(tmp_path / "repo", files, git_init=False)


def test_text_output_escapes_crafted_names_and_messages(tmp_path: Path) -> None:
    root = _injection_repo(tmp_path)
    for output_format in ("text", "full"):
        result = cli("check", "--output-format", output_format, ".", cwd=root)
        assert result.returncode == 1, result.stderr
        for stream in (result.stdout, result.stderr):
            assert not re.search(
                "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", stream
            ), repr(stream)
        finding_lines = [
            line for line in result.stdout.splitlines() if "TF301" in line and "src/" in line
        ]
        # One line per crafted file: a newline in a name cannot forge another finding.
        assert len([line for line in finding_lines if not line.startswith(" ")]) == len(
            CRAFTED_NAMES
        )
        assert not any(line.startswith("::") for line in result.stdout.splitlines())
        assert PLANTED_SECRET not in result.stdout + result.stderr


def test_json_output_round_trips_crafted_names_and_escapes_controls(tmp_path: Path) -> None:
    root = _injection_repo(tmp_path)
    result = cli("check", "--output-format", "json", ".", cwd=root)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    paths = {f["path"] for f in report["findings"] if f["code"] == "TF301"}
    assert paths == {PLANTED_PATH} | {f"src/{name}" for name in CRAFTED_NAMES}
    # The document itself carries no raw control, C1 or bidi character to a terminal.
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", result.stdout)
    assert PLANTED_SECRET not in result.stdout + result.stderr


def test_git_is_not_required(tmp_path: Path) -> None:
    """No git on PATH: discovery walks the tree instead of failing."""
    root = make_repo(tmp_path / "repo", PLANTED_FILES)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python_dir = Path(sys.executable).parent
    result = cli(
        "check", "--output-format", "json", ".", cwd=root, env={"PATH": f"{bin_dir}:{python_dir}"}
    )
    assert shutil.which("git", path=f"{bin_dir}:{python_dir}") is None
    assert result.returncode == 1, result.stderr
    assert any(f["path"] == PLANTED_PATH for f in json.loads(result.stdout)["findings"])
