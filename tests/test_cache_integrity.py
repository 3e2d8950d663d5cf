"""The cache can neither be turned against the machine nor change a run's result.

A repository under audit is hostile input: it can commit `.twelvefold_cache` as a
symlink out of the tree, commit a cache folder full of files of its own, or (in CI, where
earlier steps ran its code) know the per-user key. Each test builds the attack as a git
repository and runs the real CLI on it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from twelvefold import cache, memo
from twelvefold.cache import FileOutcome, ResultCache
from twelvefold.cli import main

from tests.helpers import git, make_repo

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
#: A realistic AWS access key ID, built so this file holds none.
AWS_KEY = "AKIA" + "Q7ZP3MDKW9RTX2VB"
#: Same length as `f'"{AWS_KEY}"'`: an edit from one to the other keeps the file's size.
HARMLESS = '"hello-world-example!"'

PROJECT = {
    "pyproject.toml": (
        '[project]\nname = "churn"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
        'dependencies = ["pandas==2.2.2"]\n\n[tool.twelvefold]\nselect = ["F3"]\n'
    ),
    "src/churn/__init__.py": "",
    "src/churn/settings.py": f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\n',
}


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Own per-user key, the default cache folder, not in CI, memo allowed."""
    home = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv(cache.CACHE_DIR_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(memo, "RACY_WINDOW_NS", 0)
    return home


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def report(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> tuple[int, str, str]:
    return cli(capsys, "check", str(root), "--output-format", "json", *extra)


def findings(output: tuple[int, str, str]) -> list[tuple[str, str]]:
    return [(f["code"], f["path"]) for f in json.loads(output[1])["findings"]]


def same_result(output: tuple[int, str, str], cold: tuple[int, str, str]) -> bool:
    """The same exit code and findings as a run without a cache (the diagnostics differ
    by the warning about the cache)."""
    return output[0] == cold[0] and findings(output) == findings(cold)


def listing(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def victim(tmp_path: Path) -> Iterator[Path]:
    """A folder outside the repository, holding old `*.json` and `*.run` files."""
    folder = tmp_path / "victim"
    folder.mkdir()
    for number in range(12):
        name = f"{number:032x}" if number % 2 else f"report-{number}"
        for suffix in (".json", ".run"):
            path = folder / f"{name}{suffix}"
            path.write_text(json.dumps({"keep": number}))
            os.utime(path, ns=(10**18 + number, 10**18 + number))
    before = listing(folder)
    yield folder
    assert listing(folder) == before, "a file outside the repository was changed"


def committed_symlink(repo: Path, name: str, target: str) -> None:
    link = repo / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    git(repo, "add", "-f", name)
    git(repo, "commit", "-q", "-m", "cache")


# --- item 2: a committed symlink never makes the cache write outside the tree -------------


def test_a_committed_symlinked_cache_folder_is_not_used(
    tmp_path: Path, victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo", PROJECT)
    committed_symlink(repo, cache.CACHE_DIR_NAME, "../victim")
    cold = report(capsys, repo, "--no-cache")
    for _ in range(2):  # the second run would evict
        output = report(capsys, repo)
        err = output[2]
        assert same_result(output, cold)
        assert ".twelvefold_cache" in err and "symlink" in err and "not used" in err
    assert ("TF301", "src/churn/settings.py") in findings(cold)


def test_a_symlink_among_the_parents_of_the_configured_cache_folder_is_refused(
    tmp_path: Path,
    victim: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`TWELVEFOLD_CACHE_DIR=build/cache` run from the checkout, `build` committed as a
    symlink out of it."""
    repo = make_repo(tmp_path / "repo", PROJECT)
    committed_symlink(repo, "build", "../victim")
    monkeypatch.chdir(repo)
    monkeypatch.setenv(cache.CACHE_DIR_ENV, "build/cache")
    output = report(capsys, repo)
    assert "symlink" in output[2] and "not used" in output[2]
    assert not (victim / "cache").exists()
    assert same_result(output, report(capsys, repo, "--no-cache"))


def test_a_committed_cache_folder_keeps_files_the_tool_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Eviction deletes only the tool's own cache files: regular files named like it
    names them, never another name, and never a symlink (nor what it points to)."""
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    files = dict(PROJECT)
    for number in range(12):
        files[f"{cache.CACHE_DIR_NAME}/notes-{number}.json"] = "{}\n"
        files[f"{cache.CACHE_DIR_NAME}/{number:032x}.run"] = "{}\n"
    repo = make_repo(tmp_path / "repo", files)
    for number in range(12):
        (repo / cache.CACHE_DIR_NAME / f"{number + 100:032x}.json").symlink_to(outside)
    for path in (repo / cache.CACHE_DIR_NAME).iterdir():
        os.utime(path, ns=(10**18, 10**18), follow_symlinks=False)
    before = {p.name for p in (repo / cache.CACHE_DIR_NAME).iterdir()}
    import twelvefold

    for release in range(cache.MAX_NAMESPACES + 2):
        twelvefold.__version__, saved = f"0.{release}", twelvefold.__version__
        try:
            report(capsys, repo)
        finally:
            twelvefold.__version__ = saved
    after = {p.name for p in (repo / cache.CACHE_DIR_NAME).iterdir()}
    assert before <= after
    assert outside.read_text() == "{}"
    assert git(repo, "status", "--porcelain") == ""


def test_a_symlinked_cache_file_is_neither_read_nor_written_through(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    planted = tmp_path / "planted.json"
    store = ResultCache(folder, "name")
    store.store("a.py", (1, 2, 3, 4), "v", FileOutcome(checked=True, content_hash="h"))
    store.save()
    planted.write_bytes((folder / "name.json").read_bytes())
    (folder / "name.json").unlink()
    (folder / "name.json").symlink_to(planted)
    before = planted.read_bytes()
    store = ResultCache(folder, "name")
    assert store.lookup("a.py", (1, 2, 3, 4), "v") is None  # not read through the link
    store.store("b.py", (1, 2, 3, 4), "v", FileOutcome(checked=True, content_hash="h"))
    store.save()
    assert planted.read_bytes() == before


def test_a_symlinked_run_memo_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    memo = cache.RunMemo(folder, "name", "key", trusted=True)
    memo.save(cache.MemoizedRun([], [], [], 3, {1: True}))
    assert memo.load() is not None
    planted = tmp_path / "planted.run"
    planted.write_bytes(memo.path.read_bytes())
    memo.path.unlink()
    memo.path.symlink_to(planted)
    assert cache.RunMemo(folder, "name", "key", trusted=True).load() is None


def test_a_cache_folder_that_is_a_file_is_refused_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo", {**PROJECT, cache.CACHE_DIR_NAME: "not a folder\n"})
    output = report(capsys, repo)
    assert "not a directory" in output[2] and "not used" in output[2]
    assert same_result(output, report(capsys, repo, "--no-cache"))
    assert (repo / cache.CACHE_DIR_NAME).read_text() == "not a folder\n"


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a folder to another user")
def test_a_cache_folder_owned_by_someone_else_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo", PROJECT)
    (repo / cache.CACHE_DIR_NAME).mkdir()
    os.chown(repo / cache.CACHE_DIR_NAME, 4242, 4242)
    err = report(capsys, repo)[2]
    assert "owned by another user" in err and "not used" in err
    assert list((repo / cache.CACHE_DIR_NAME).iterdir()) == []


def test_a_symlinked_user_key_is_refused(
    tmp_path: Path, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key read through a link could be a file the audited repository holds."""
    repo = make_repo(tmp_path / "repo", {**PROJECT, "known-key": "0" * 32 + "\n"})
    (isolated / "twelvefold").mkdir(parents=True)
    (isolated / "twelvefold" / "cache-key").symlink_to(repo / "known-key")
    output = report(capsys, repo)
    assert "cache-key" in output[2] and "not used" in output[2]
    assert not (repo / cache.CACHE_DIR_NAME).exists()
    assert same_result(output, report(capsys, repo, "--no-cache"))


def test_a_new_user_key_is_private(isolated: Path) -> None:
    assert cache.namespace({"a": 1}) is not None
    mode = (isolated / "twelvefold" / "cache-key").stat().st_mode
    assert mode & 0o077 == 0


# --- item 10: an edit that keeps size and mtime is seen ---------------------------------


def test_an_in_place_edit_that_restores_the_mtime_is_seen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`touch -m -r`: same inode, same size, the old mtime; only ctime changes."""
    repo = make_repo(tmp_path / "repo", {**PROJECT, "src/churn/settings.py": f"K = {HARMLESS}\n"})
    path = repo / "src/churn/settings.py"
    assert findings(report(capsys, repo)) == []
    info = path.stat()
    with path.open("r+", encoding="utf-8") as handle:  # in place: the inode is kept
        handle.write(f'K = "{AWS_KEY}"\n')
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        info.st_ino,
        info.st_size,
        info.st_mtime_ns,
    )
    assert findings(report(capsys, repo)) == [("TF301", "src/churn/settings.py")]


# --- item 14: in CI, a cache inside the audited tree is never read -----------------------


def forge_all_clear(folder: Path) -> None:
    """What a pull request could commit if it knew the key: every file "checked, nothing
    found", and no memo."""
    for stored in folder.glob("*.json"):
        data = json.loads(stored.read_text())
        for entry in data["files"].values():
            entry[4] = {variant: {"c": True} for variant in entry[4]}
        stored.write_text(json.dumps(data))
    for memo_file in folder.glob("*" + cache.RUN_MEMO_SUFFIX):
        memo_file.unlink()


@pytest.mark.parametrize("ci", ["true", "1", "True"])
def test_in_ci_the_cache_inside_the_tree_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    """An earlier CI step ran the pull request's code: it could create the per-user key
    and commit a cache forged with it. Outside CI the same forgery would be read."""
    repo = make_repo(tmp_path / "repo", PROJECT)
    expected = report(capsys, repo, "--no-cache")
    assert ("TF301", "src/churn/settings.py") in findings(expected)
    report(capsys, repo)
    forge_all_clear(repo / cache.CACHE_DIR_NAME)
    assert findings(report(capsys, repo)) == []  # the attack, outside CI
    forge_all_clear(repo / cache.CACHE_DIR_NAME)
    monkeypatch.setenv("CI", ci)
    output = report(capsys, repo)
    assert same_result(output, expected)
    assert "CI" in output[2] and cache.CACHE_DIR_ENV in output[2]  # why, and how to opt in


def test_in_ci_no_cache_folder_is_created_in_the_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", PROJECT)
    monkeypatch.setenv("CI", "true")
    err = report(capsys, repo)[2]
    assert not (repo / cache.CACHE_DIR_NAME).exists()
    assert err == ""  # nothing to say when there is no cache folder to distrust


def test_in_ci_an_explicit_cache_folder_is_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", PROJECT)
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "ci-cache"))
    first = report(capsys, repo)
    assert list((tmp_path / "ci-cache").glob("*.json"))
    assert report(capsys, repo) == first
