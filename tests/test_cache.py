"""The per-file result cache: a cached run prints exactly what a cold run prints.

Every test compares real CLI output (text and JSON) of a warm run with a `--no-cache`
run of the same tree, and counts the files the engine actually read, so a cache that
silently stops working (or silently serves stale results) fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import ClassVar, NamedTuple

import pytest
from twelvefold import cache, engine, file_pass, memo
from twelvefold.cache import FileOutcome, ResultCache

from tests.helpers import TABLE_OUTPUT, git, make_repo, run_cli

PROJECT = {
    "pyproject.toml": (
        '[project]\nname = "churn"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
        'dependencies = ["pandas==2.2.2"]\n\n[tool.twelvefold]\nselect = ["F2", "F3"]\n'
    ),
    "src/churn/__init__.py": "",
    "src/churn/train.py": (
        "import os\n\nimport pandas as pd\n\n"
        "DB_PASSWORD = 'Xk8#pq2!Lm9z'\n"
        "df = pd.read_csv('/home/alice/churn/train.csv')\n"
    ),
    "src/churn/serve.py": "import os\n\nTOKEN = os.environ['HF_TOKEN']\n",
    "src/churn/broken.py": "import yaml\n\ndef oops(:\n",  # a syntax error: a diagnostic, every run
    "notebooks/explore.ipynb": json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": {},
                    "outputs": [],
                    "source": ["import pandas as pd\n", "api_key = 'q9Zt7Lp2Xw8Rv4Ks'\n"],
                }
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    ),
    "config/settings.yaml": "database:\n  password: 'Pq7!xZ2#kLm9'\n",
}


@pytest.fixture(autouse=True)
def user_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own per-user cache key and the default cache folder."""
    home = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv(cache.CACHE_DIR_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)  # in CI the cache in the tree is off
    return home


@pytest.fixture(autouse=True)
def memo_for_fresh_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """The trees here are seconds old: without this, the run memo's guard against files
    changing within one clock tick would keep every test away from the memo, and these
    tests would not cover it. `test_a_file_changed_just_now_leaves_no_memo` covers the
    guard."""
    monkeypatch.setattr(memo, "RACY_WINDOW_NS", 0)


@pytest.fixture
def no_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file looks just changed, so no run memoizes: the per-file layer alone."""
    monkeypatch.setattr(memo, "RACY_WINDOW_NS", 10**20)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", PROJECT)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths the per-file pass reads (a cache hit reads nothing)."""
    seen: list[str] = []
    original = file_pass.read_file

    def counting(root, entry, diagnostics):  # type: ignore[no-untyped-def]
        seen.append(entry.path)
        return original(root, entry, diagnostics)

    monkeypatch.setattr(file_pass, "read_file", counting)
    return seen


cli = run_cli


def outputs(capsys: pytest.CaptureFixture[str], repo: Path, *extra: str) -> list[tuple]:
    """(exit code, stdout, stderr) for the text, full and JSON formats."""
    return [
        cli(capsys, "check", str(repo), "--output-format", fmt, *extra)
        for fmt in ("text", "full", "json")
    ]


def cache_files(repo: Path) -> list[Path]:
    return sorted((repo / cache.CACHE_DIR_NAME).glob("*.json"))


def test_warm_run_prints_exactly_what_a_cold_run_prints_and_reads_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: list[str]
) -> None:
    cold = outputs(capsys, repo, "--no-cache")
    assert not (repo / cache.CACHE_DIR_NAME).exists()  # --no-cache writes nothing
    assert reads, "the cold run must read the files"
    first = outputs(capsys, repo)  # fills the cache
    reads.clear()
    warm = outputs(capsys, repo)
    assert warm == first == cold
    assert reads == []
    findings = json.loads(cold[2][1])["findings"]
    assert {f["code"] for f in findings} >= {"TF301"}  # the test would fail on an empty run
    assert "syntax error" in cold[0][2]  # diagnostics are replayed from the cache too


def test_cache_folder_is_ignored_by_git_and_by_discovery(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "check", str(repo))
    folder = repo / cache.CACHE_DIR_NAME
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_changed_file_is_checked_again(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: list[str]
) -> None:
    outputs(capsys, repo)
    (repo / "src/churn/serve.py").write_text("GITHUB_TOKEN = 'ghp_" + "a1B2" * 9 + "'\n")
    reads.clear()
    warm = outputs(capsys, repo)
    assert reads == ["src/churn/serve.py"]
    assert warm == outputs(capsys, repo, "--no-cache")
    assert "src/churn/serve.py:1" in warm[0][1]


def test_same_size_same_mtime_edit_is_still_seen(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An edit that keeps size and mtime (a fast editor, a coarse clock) changes the inode
    when written by replacement; git checkouts do the same."""
    outputs(capsys, repo)
    path = repo / "src/churn/serve.py"
    info = path.stat()
    replacement = path.with_suffix(".new")
    replacement.write_text("import os\n\nTOKEN = os.environ['HF_TOKXN']\n")
    os.replace(replacement, path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    assert outputs(capsys, repo) == outputs(capsys, repo, "--no-cache")


def test_touched_but_unchanged_file_is_hashed_not_checked(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = outputs(capsys, repo)
    checked: list[str] = []
    original = file_pass.FilePass.process

    def counting(self, task):  # type: ignore[no-untyped-def]
        checked.append(task.path)
        return original(self, task)

    monkeypatch.setattr(file_pass.FilePass, "process", counting)
    for path in (repo / "src/churn").iterdir():
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert outputs(capsys, repo) == first
    assert checked == []


@pytest.mark.parametrize(
    "config_change",
    [
        'select = ["F2", "F3"]\nignore = ["TF301"]\n',
        'select = ["F2", "F3"]\n[severity]\nTF301 = "warning"\n',
        'select = ["F2", "F3"]\n[per-file-ignores]\n"src/**" = ["TF301"]\n',
        'select = ["F3"]\n',
    ],
)
def test_a_config_change_invalidates(
    repo: Path, capsys: pytest.CaptureFixture[str], config_change: str
) -> None:
    outputs(capsys, repo)
    (repo / "twelvefold.toml").write_text(config_change)
    warm = outputs(capsys, repo)
    assert warm == outputs(capsys, repo, "--no-cache")
    assert warm != outputs(capsys, repo, "--no-cache", "--config", str(repo / "pyproject.toml"))


@pytest.fixture
def word_rule() -> Iterator[str]:
    """A scratch file rule with an option, removed from the registry afterwards."""
    from twelvefold import kinds as file_kinds
    from twelvefold.model import Severity, Violation
    from twelvefold.registry import all_rules
    from twelvefold.rule import REGISTRY, FileRule

    all_rules()
    before = dict(REGISTRY)

    class MentionsWord(FileRule):
        """## What it does\nReports a line that mentions the configured word."""

        code, name, factor, severity = "TF1295", "mentions-word", 12, Severity.WARNING
        summary = fix = "x"
        kinds = frozenset({file_kinds.PYTHON})
        options: ClassVar[dict[str, str]] = {"word": "pandas"}

        def check(self, file):  # type: ignore[no-untyped-def]
            for number, line in enumerate(file.lines, start=1):
                if self.settings["word"] in line:
                    yield Violation(f"mentions {self.settings['word']}", line=number)

    yield MentionsWord.code
    REGISTRY.clear()
    REGISTRY.update(before)


def test_a_rule_option_change_invalidates(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: list[str], word_rule: str
) -> None:
    (repo / "twelvefold.toml").write_text(f'select = ["{word_rule}"]\n')
    first = outputs(capsys, repo)
    assert "mentions pandas" in first[0][1]
    (repo / "twelvefold.toml").write_text(
        f'select = ["{word_rule}"]\n[options.mentions-word]\nword = "environ"\n'
    )
    reads.clear()
    warm = outputs(capsys, repo)
    assert warm == outputs(capsys, repo, "--no-cache")
    assert "mentions environ" in warm[0][1] and "mentions pandas" not in warm[0][1]
    assert reads


def test_a_new_tool_version_invalidates(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    reads: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import twelvefold

    outputs(capsys, repo)
    reads.clear()
    outputs(capsys, repo)
    assert reads == []
    monkeypatch.setattr(twelvefold, "__version__", "99.0.0")
    outputs(capsys, repo)
    assert "src/churn/train.py" in reads


def test_an_edited_rule_module_invalidates(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    reads: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outputs(capsys, repo)
    real = cache.code_fingerprint
    monkeypatch.setattr(
        cache, "code_fingerprint", lambda modules: [*real(modules), ("edited.py", 1, 1)]
    )
    reads.clear()
    outputs(capsys, repo)
    assert reads


def test_corrupt_cache_is_ignored_and_replaced(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: list[str], no_memo: None
) -> None:
    first = outputs(capsys, repo)
    [stored] = cache_files(repo)
    for garbage in (b"{not json", b'{"format": 1, "files": {"src/churn/train.py": [1, 2]}}', b""):
        stored.write_bytes(garbage)
        assert outputs(capsys, repo) == first
    # One corrupt entry among good ones: only that file is checked again.
    data = json.loads(stored.read_text())
    data["files"]["src/churn/train.py"][4] = {"garbage": 1, "F2": "x"}
    entry = data["files"]["src/churn/serve.py"]
    entry[4] = {variant: {"c": True, "f": [["wrong", "shape"]]} for variant in entry[4]}
    stored.write_text(json.dumps(data))
    reads.clear()
    assert outputs(capsys, repo)[0] == first[0]
    assert sorted(set(reads)) == ["src/churn/serve.py", "src/churn/train.py"]


def test_a_planted_cache_from_another_user_is_never_used(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    reads: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A repository can commit a `.twelvefold_cache/`; its file names are derived from a
    per-user key it cannot know, so a forged "no findings" entry never matches."""
    first = outputs(capsys, repo)
    [stored] = cache_files(repo)
    data = json.loads(stored.read_text())
    for entry in data["files"].values():
        entry[4] = {variant: {"c": True} for variant in entry[4]}  # "nothing found"
    stored.write_text(json.dumps(data))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    reads.clear()
    assert outputs(capsys, repo) == first
    assert "src/churn/train.py" in reads


def test_pre_commit_runs_share_the_cache_and_match_cold_runs(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    reads: list[str],
) -> None:
    monkeypatch.chdir(repo)
    (repo / "src/churn/bad.yaml").write_text("key: [unclosed\n")  # a parse diagnostic
    staged = ("src/churn/train.py", "notebooks/explore.ipynb")
    full_cold = cli(capsys, "check", "--output-format", "json", "--no-cache")
    staged_cold = cli(capsys, "check", *staged, "--output-format", "json", "--no-cache")
    assert cli(capsys, "check", "--output-format", "json") == full_cold
    reads.clear()
    # A pre-commit run after a full run reads nothing: the staged files' entries match,
    # and the other files' facts come from the full run's entries.
    assert cli(capsys, "check", *staged, "--output-format", "json") == staged_cold
    assert reads == []
    for _ in range(2):  # alternate: each run must not spoil the other's entries
        reads.clear()
        assert cli(capsys, "check", "--output-format", "json") == full_cold
        assert cli(capsys, "check", *staged, "--output-format", "json") == staged_cold
        assert reads == []
    assert staged_cold != full_cold


def test_old_configurations_do_not_pile_up(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import twelvefold

    for release in range(cache.MAX_NAMESPACES + 3):
        monkeypatch.setattr(twelvefold, "__version__", f"0.{release}")
        cli(capsys, "check", str(repo))
    assert len(cache_files(repo)) == cache.MAX_NAMESPACES


def test_cache_dir_from_the_environment(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "shared-cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(elsewhere))
    first = outputs(capsys, repo)
    assert not (repo / cache.CACHE_DIR_NAME).exists()
    assert len(list(elsewhere.glob("*.json"))) == 1
    assert outputs(capsys, repo) == first


def test_an_unwritable_cache_does_not_fail_the_run(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocker / "cache"))  # cannot be created
    assert outputs(capsys, repo) == outputs(capsys, repo, "--no-cache")


RACE = """
import sys
from twelvefold.cli import main
for _ in range(int(sys.argv[2])):
    main(["check", sys.argv[1], "--output-format", "json", "-o", sys.argv[3]])
"""


def test_concurrent_runs_never_corrupt_the_cache(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cold = cli(capsys, "check", str(repo), "--output-format", "json", "--no-cache")
    env = {**os.environ}
    racers = []
    for index in range(3):
        # Each racer edits nothing but sees a different set of files changing under it:
        # the cache is rewritten by every run.
        racers.append(
            subprocess.Popen(
                [sys.executable, "-c", RACE, str(repo), "6", str(tmp_path / f"out{index}.json")],
                env=env,
            )
        )
    for step in range(12):
        (repo / "src/churn/extra.py").write_text(f"VALUE = {step}\n")
    for racer in racers:
        assert racer.wait(timeout=120) in (0, 1)
    (repo / "src/churn/extra.py").unlink()
    for stored in cache_files(repo):
        json.loads(stored.read_text())  # always a whole document
    assert not list((repo / cache.CACHE_DIR_NAME).glob(".tmp-*"))  # no leftovers
    assert cli(capsys, "check", str(repo), "--output-format", "json") == cold


# --- the memo of the last full run ------------------------------------------------------


@pytest.fixture
def checked_targets(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Roots the engine checks (a memo hit checks none: no lookup, no repo rule)."""
    seen: list[Path] = []
    original = engine._check_target

    def counting(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(target.root)
        return original(target, *args, **kwargs)

    monkeypatch.setattr(engine, "_check_target", counting)
    return seen


def memo_files(repo: Path) -> list[Path]:
    return sorted((repo / cache.CACHE_DIR_NAME).glob("*" + cache.RUN_MEMO_SUFFIX))


def test_an_unchanged_tree_reuses_the_last_report_whole(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    checked_targets: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cold = outputs(capsys, repo, "--no-cache")
    first = outputs(capsys, repo)
    assert len(memo_files(repo)) == 1
    checked_targets.clear()
    assert outputs(capsys, repo) == first == cold
    assert checked_targets == []
    # A pre-commit run is never served by a full run's memo (nor leaves one).
    monkeypatch.chdir(repo)
    checked_targets.clear()
    staged = cli(capsys, "check", "src/churn/train.py", "--output-format", "json")
    assert staged[0] == 1 and "TF301" in staged[1]
    assert staged == cli(
        capsys, "check", "src/churn/train.py", "--output-format", "json", "--no-cache"
    )
    assert checked_targets == [repo] * 2
    assert len(memo_files(repo)) == 1


def add_notebook_with_outputs(repo: Path) -> None:
    """An untracked notebook with outputs, and a config that runs TF104 alone."""
    notebook = json.loads(PROJECT["notebooks/explore.ipynb"])
    notebook["cells"][0]["outputs"] = [TABLE_OUTPUT]
    (repo / "notebooks/new.ipynb").write_text(json.dumps(notebook))
    (repo / "twelvefold.toml").write_text('select = ["TF104"]\n')


def test_a_git_add_changes_the_report_and_misses_the_memo(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whether a file is committed changes findings (TF104 says "committed" or "not
    ignored by git") with no change to any file's stat."""
    add_notebook_with_outputs(repo)
    before = outputs(capsys, repo)
    assert "not ignored by git" in before[0][1]
    git(repo, "add", "notebooks/new.ipynb")
    after = outputs(capsys, repo)
    assert after == outputs(capsys, repo, "--no-cache")
    assert "committed with outputs" in after[0][1] and after != before


def test_git_info_attributes_is_part_of_the_memo_key(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """TF104 reads `.git/info/attributes` (where `nbstripout --install` writes), a file
    outside the audited list: a filter added there must reach the next warm run."""
    add_notebook_with_outputs(repo)
    before = outputs(capsys, repo)
    assert "notebooks/new.ipynb" in before[0][1]
    info = repo / ".git" / "info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "attributes").write_text("*.ipynb filter=nbstripout\n")
    after = outputs(capsys, repo)
    assert after == outputs(capsys, repo, "--no-cache")
    assert "notebooks/new.ipynb" not in after[0][1]


def test_a_file_changed_just_now_leaves_no_memo(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit within one tick of a coarse file-system clock can keep the stat key: a
    run that saw a file changed within `RACY_WINDOW_NS` does not memoize its report."""
    outputs(capsys, repo)
    assert memo_files(repo)
    monkeypatch.setattr(memo, "RACY_WINDOW_NS", 60 * 10**9)
    (repo / "src/churn/serve.py").write_text("import os\n")
    assert outputs(capsys, repo) == outputs(capsys, repo, "--no-cache")
    assert memo_files(repo) == []  # the stale one is removed, no new one written


def test_outside_git_there_is_no_memo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """TF101 looks for a `.git` in the parent folders, which no file's stat shows."""
    plain = make_repo(tmp_path / "plain", PROJECT, git_init=False)
    assert outputs(capsys, plain) == outputs(capsys, plain) == outputs(capsys, plain, "--no-cache")
    assert cache_files(plain) and memo_files(plain) == []


def test_a_forged_or_corrupt_memo_is_ignored(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = outputs(capsys, repo)
    [memo] = memo_files(repo)
    stored = json.loads(memo.read_text())
    stored["report"]["outcome"]["f"] = []  # a planted "all clear" under the old key
    stored["key"] = "0" * 32
    memo.write_text(json.dumps(stored))
    assert outputs(capsys, repo) == first
    memo.write_text("{not json")
    assert outputs(capsys, repo) == first


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_made_readable_again_is_read(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "src/churn/train.py"
    path.chmod(0)
    try:
        assert "unreadable" in outputs(capsys, repo)[0][2]
    finally:
        path.chmod(0o644)
    assert outputs(capsys, repo) == outputs(capsys, repo, "--no-cache")


# --- encoding of fact values ----------------------------------------------------------------


class Colour(Enum):
    RED = "red"


class Place(NamedTuple):
    line: int
    cell: int | None


@dataclass(frozen=True)
class Summary:
    names: frozenset[str]
    places: tuple[Place, ...]
    by_line: dict[int, list[str]]
    colour: Colour
    seen: set[tuple[str, int]]


def test_fact_values_round_trip(tmp_path: Path) -> None:
    value = Summary(
        names=frozenset({"numpy", "torch"}),
        places=(Place(3, None), Place(7, 2)),
        by_line={3: ["a"], 7: []},
        colour=Colour.RED,
        seen={("x", 1)},
    )
    facts = {
        "summary": value,
        "plain": [1, "two", None, 3.5, True],
        "pair": ("a", ["b"]),
        # Plain JSON is stored as loaded; anything else inside keeps its type.
        "imports": {"imports": [["numpy", 1, 1, None, None]], "installed": []},
        "tagged": {"j": [1], "t": {"d": None}},
        "nested_tuple": [["a", 1], ("b", 2)],
        "int_keys": {1: ["a"]},
    }
    store = ResultCache(tmp_path, "name")
    store.store("a.py", (1, 2, 3), "v", FileOutcome(facts=facts, checked=True, content_hash="h"))
    store.save()
    loaded = ResultCache(tmp_path, "name").lookup("a.py", (1, 2, 3), "v")
    assert loaded is not None
    assert loaded.facts == facts
    assert type(loaded.facts["summary"].places[0]) is Place
    assert type(loaded.facts["nested_tuple"][1]) is tuple
    assert list(loaded.facts["int_keys"]) == [1]


def test_uncacheable_fact_values_are_recomputed_not_mangled(tmp_path: Path) -> None:
    class Local:  # not reachable by name: the file is simply not cached
        pass

    store = ResultCache(tmp_path, "name")
    store.store("a.py", (1, 2, 3), "v", FileOutcome(facts={"x": Local()}, checked=True))
    store.store("b.py", (1, 2, 3), "v", FileOutcome(facts={"x": b"bytes"}, checked=True))
    assert store.lookup("a.py", (1, 2, 3), "v") is None
    assert store.lookup("b.py", (1, 2, 3), "v") is None


def test_decoding_never_imports(tmp_path: Path) -> None:
    stored = tmp_path / "name.json"
    forged = {"o": ["antigravity:Thing", {}]}
    entry = [1, 2, 3, "h", {"0": {"c": True, "x": {"f": forged}}}]
    document = {"format": cache.FORMAT, "variants": ["v"], "files": {"a.py": entry}}
    stored.write_text(json.dumps(document))
    assert ResultCache(tmp_path, "name").lookup("a.py", (1, 2, 3), "v") is None
    entry[4]["0"]["x"]["f"] = {"t": [1]}  # the same document, harmless: it is used
    stored.write_text(json.dumps(document))
    found = ResultCache(tmp_path, "name").lookup("a.py", (1, 2, 3), "v")
    assert found is not None and found.facts == {"f": (1,)}
    assert "antigravity" not in sys.modules


@pytest.fixture
def no_user_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    yield


def test_without_a_user_key_there_is_no_cache(
    repo: Path, capsys: pytest.CaptureFixture[str], no_user_key: None
) -> None:
    assert outputs(capsys, repo) == outputs(capsys, repo, "--no-cache")
    assert not (repo / cache.CACHE_DIR_NAME).exists()


def test_only_a_run_with_a_cache_hashes_what_it_reads(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The content hash lets a cache serve a touched but unchanged file; without a cache
    # nothing reads it, and hashing every byte read costs a tenth of a second on a
    # large tree.
    hashed: list[int] = []
    original = cache.content_hash

    def counting(data: bytes) -> str:
        hashed.append(len(data))
        return original(data)

    monkeypatch.setattr(cache, "content_hash", counting)
    from twelvefold.cli import main

    assert main(["check", "--no-cache", "-q", "--fail-on", "never", str(repo)]) == 0
    assert hashed == []
    assert main(["check", "-q", "--fail-on", "never", str(repo)]) == 0
    assert len(hashed) >= 3
