"""Which files are audited: git's view inside a work tree, a .gitignore-aware walk outside."""

from __future__ import annotations

import os
from pathlib import Path

from twelvefold.discovery import discover

from tests.helpers import git, make_repo


def paths(root: Path) -> dict[str, bool | None]:
    return {entry.path: entry.tracked for entry in discover(root).files}


def test_git_tracked_plus_untracked_not_ignored(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.py": "", ".gitignore": "secret.env\nbuild/\n"})
    (tmp_path / "new.py").write_text("")
    (tmp_path / "secret.env").write_text("")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "out.py").write_text("")
    assert paths(tmp_path) == {".gitignore": True, "a.py": True, "new.py": False}


def test_deleted_tracked_file_is_skipped(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.py": "", "b.py": ""})
    (tmp_path / "b.py").unlink()
    assert list(paths(tmp_path)) == ["a.py"]


def test_walk_outside_git_honours_nested_gitignores(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            ".gitignore": "*.log\ndata/\n",
            "a.py": "",
            "x.log": "",
            "data/big.csv": "",
            "sub/.gitignore": "!keep.log\nlocal.py\n",
            "sub/keep.log": "",
            "sub/local.py": "",
            "sub/b.py": "",
        },
        git_init=False,
    )
    assert sorted(paths(tmp_path)) == [
        ".gitignore",
        "a.py",
        "sub/.gitignore",
        "sub/b.py",
        "sub/keep.log",
    ]
    assert set(paths(tmp_path).values()) == {None}


def test_builtin_excludes(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {".venv/lib/x.py": "", "node_modules/m.js": "", "__pycache__/a.pyc": "", "pkg/a.py": ""},
        git_init=False,
    )
    assert list(paths(tmp_path)) == ["pkg/a.py"]


def test_symlinks_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("")
    root = make_repo(tmp_path / "repo", {"a.py": ""}, git_init=False)
    os.symlink(outside, root / "link-dir")
    os.symlink(outside / "secret.py", root / "link.py")
    os.symlink(root, root / "loop")
    assert list(paths(root)) == ["a.py"]


def test_symlinks_in_git_are_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("")
    root = make_repo(tmp_path / "repo", {"a.py": ""}, commit=False)
    os.symlink(outside, root / "link.py")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "x")
    assert list(paths(root)) == ["a.py"]


def test_subfolder_of_a_git_repo(tmp_path: Path) -> None:
    make_repo(tmp_path, {"proj/a.py": "", "other/b.py": ""})
    result = discover(tmp_path / "proj")
    assert [entry.path for entry in result.files] == ["a.py"]
    assert result.git_root == tmp_path.resolve()


def test_exclude_spec(tmp_path: Path) -> None:
    from pathspec import GitIgnoreSpec

    make_repo(tmp_path, {"a.py": "", "legacy/b.py": ""})
    assert [e.path for e in discover(tmp_path, GitIgnoreSpec.from_lines(["legacy/"])).files] == [
        "a.py"
    ]


def test_git_config_cannot_run_commands(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.py": ""})
    marker = tmp_path / "pwned"
    hook = tmp_path / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    git(tmp_path, "config", "core.fsmonitor", str(hook))
    assert list(paths(tmp_path)) == ["a.py", "fsmonitor.sh"]
    assert not marker.exists()


def test_a_folder_git_ignores_is_audited_as_a_plain_folder(tmp_path: Path) -> None:
    # A project generated under an ignored build/ folder of another repository: git lists
    # nothing there, and zero files checked must not read as a pass.
    make_repo(tmp_path, {"a.py": "", ".gitignore": "build/\n"})
    project = tmp_path / "build" / "demo"
    (project / "src").mkdir(parents=True)
    (project / "src" / "app.py").write_text("import os\n")
    (project / ".gitignore").write_text("*.log\n")
    (project / "run.log").write_text("x\n")
    result = discover(project)
    assert {entry.path: entry.tracked for entry in result.files} == {
        ".gitignore": None,
        "src/app.py": None,
    }
    assert result.git_root == tmp_path.resolve()
    assert any("git ignores every file here" in message for message in result.diagnostics)
    assert all(str(tmp_path) not in message for message in result.diagnostics)


def test_an_empty_subfolder_of_a_repository_gives_no_diagnostic(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.py": ""})
    (tmp_path / "empty").mkdir()
    result = discover(tmp_path / "empty")
    assert result.files == []
    assert result.diagnostics == []


def test_an_ignored_folder_still_gets_its_findings(tmp_path: Path) -> None:
    from tests.helpers import findings

    make_repo(tmp_path, {".gitignore": "build/\n"})
    project = tmp_path / "build" / "demo"
    project.mkdir(parents=True)
    (project / "settings.py").write_text('DATA = "/home/alice/data/train.csv"\n')
    found = findings(project, "TF303")
    assert [(f.code, f.path) for f in found] == [("TF303", "settings.py")]
