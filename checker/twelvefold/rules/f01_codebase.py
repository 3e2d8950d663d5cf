"""Factor 1 - Codebase: one repo, code and data under version control."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from twelvefold import kinds
from twelvefold.discovery import FileEntry
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import knowledge
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, fact
from twelvefold.sources import SourceFile

_MB = 1024 * 1024
_LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"
#: Folder names that hold datasets by convention.
DATA_DIR_NAMES = frozenset(
    {"data", "datasets", "dataset", "raw_data", "raw-data", "training_data", "train_data"}
)
#: Files in a data folder that are not data: code, docs, markers, DVC/LFS metadata.
_NOT_DATA_SUFFIXES = (
    ".py",
    ".md",
    ".rst",
    ".dvc",
    ".gitignore",
    ".gitkeep",
    ".keep",
    ".gitattributes",
)
_NOT_DATA_NAMES = frozenset(
    {
        "readme",
        "readme.txt",
        "license",
        ".gitkeep",
        ".keep",
        ".gitignore",
        ".gitattributes",
        ".dvcignore",
    }
)


class NotAGitRepository(RepoRule):
    """## What it does
    Reports an audited directory that is not inside a git work tree.

    ## Why is this bad?
    One codebase, many deploys: without version control there is no history, no review,
    no way to tell which code trained which model or is running in production, and no
    way back to the version that worked. The other factor 1 checks (what is committed)
    need git and are skipped.

    ## Example
    A project folder copied around as `churn_model_final_v3.zip`.

    ## Use instead
    ```console
    git init && git add . && git commit -m "Initial commit"
    ```
    with data and models kept out of git (`.gitignore`, DVC or git-LFS).
    """

    code = "TF101"
    depends_on = ()  # the repository itself: a commit is made in git
    name = "not-a-git-repository"
    factor = 1
    severity = Severity.ERROR
    summary = "The project is not under git version control"
    fix = "Run `git init`, ignore data and secrets in .gitignore, and commit the code."

    def check(self, repo: Repo) -> Iterator[Violation]:
        if not repo.is_git and not _has_git_folder(repo.root):
            yield Violation("the audited directory is not inside a git repository")


def _has_git_folder(root: Path) -> bool:
    """A `.git` in the root or a parent: a repository git would not read (owned by
    another user, as in a container on a mounted checkout). Discovery says why in a
    diagnostic; the project is under version control all the same."""
    try:
        return any((folder / ".git").exists() for folder in (root, *root.resolve().parents))
    except OSError:
        return False


# --- .gitattributes: which paths git-LFS stores -------------------------------------------


def _lfs_matcher(repo: Repo) -> list[tuple[str, object]]:
    """(folder, spec) for every `.gitattributes` pattern with `filter=lfs`, found once
    per repository (three rules ask)."""
    return repo.derived(_read_lfs_patterns)


def _read_lfs_patterns(repo: Repo) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for entry in repo.named(".gitattributes"):
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        patterns = []
        for line in source.lines:
            words = line.split()
            if len(words) >= 2 and not words[0].startswith("#") and "filter=lfs" in words[1:]:
                patterns.append(words[0])
        if patterns:
            from pathspec import GitIgnoreSpec  # ~20 ms to import: only when needed

            try:
                spec = GitIgnoreSpec.from_lines(patterns)
            except ValueError:
                continue
            found.append((posixpath.dirname(entry.path), spec))
    return found


def _in_lfs(path: str, matchers: list[tuple[str, object]]) -> bool:
    for folder, spec in matchers:
        prefix = folder + "/" if folder else ""
        if path.startswith(prefix) and spec.match_file(path[len(prefix) :]):  # type: ignore[attr-defined]
            return True
    return False


def _is_lfs_pointer(repo: Repo, entry: FileEntry) -> bool:
    if entry.size > 1024:
        return False  # pointer files are ~130 bytes
    try:
        with (repo.root / entry.path).open("rb") as handle:
            return handle.read(len(_LFS_POINTER)) == _LFS_POINTER
    except OSError:
        return False


def _where(entry: FileEntry) -> str:
    return (
        "committed to git"
        if entry.tracked
        else "not ignored by git (the next `git add .` commits it)"
    )


def _size(size: int) -> str:
    return f"{size / _MB:.1f} MB"


# --- data folders --------------------------------------------------------------------------


@dataclass(frozen=True)
class DataFolder:
    path: str
    files: list[FileEntry]

    @property
    def total(self) -> int:
        return sum(entry.size for entry in self.files)


def _is_data_content(entry: FileEntry) -> bool:
    name = posixpath.basename(entry.path).lower()
    return not (
        name in _NOT_DATA_NAMES or name.endswith(_NOT_DATA_SUFFIXES) or entry.kind == kinds.PYTHON
    )


def _data_folders(repo: Repo) -> list[DataFolder]:
    """Outermost data folders (`data/`, `datasets/`...) with data files git would commit.
    Found once per repository (two rules ask)."""
    return repo.derived(_find_data_folders)


def _find_data_folders(repo: Repo) -> list[DataFolder]:
    packages = {posixpath.dirname(e.path) for e in repo.named("__init__.py")}
    folders: dict[str, list[FileEntry]] = {}
    for entry in repo.files:
        parts = entry.path.split("/")[:-1]
        for depth, part in enumerate(parts):
            if part.lower() in DATA_DIR_NAMES:
                folder = "/".join(parts[: depth + 1])
                if (
                    folder not in packages
                    and _is_data_content(entry)
                    and not kinds.is_test_path(entry.path)
                ):
                    folders.setdefault(folder, []).append(entry)
                break
    return [DataFolder(path, files) for path, files in sorted(folders.items())]


def _dvc_markers(repo: Repo) -> list[str]:
    """Paths of the repository's `.dvc` and `dvc.lock` files, found once per repository:
    `_dvc_covers` runs per data folder, and a scan of every path for each folder grew
    with folders x files (minutes on a 50,000-file monorepo)."""
    return repo.derived(_find_dvc_markers)


def _find_dvc_markers(repo: Repo) -> list[str]:
    return [
        entry.path
        for entry in repo.files
        if entry.path.endswith(".dvc") or posixpath.basename(entry.path) == "dvc.lock"
    ]


def _dvc_covers(repo: Repo, folder: str) -> bool:
    """A `.dvc` file for the folder or inside it, or a dvc.yaml stage that names it."""
    prefix = folder + "/"
    for path in _dvc_markers(repo):
        if path.endswith(".dvc") and (path.startswith(prefix) or path == folder + ".dvc"):
            return True
        if path.startswith(prefix) and posixpath.basename(path) == "dvc.lock":
            return True
    for entry in repo.named("dvc.yaml", "dvc.yml"):
        source = repo.source(entry.path)
        base = posixpath.dirname(entry.path)
        relative = folder[len(base) + 1 :] if base and folder.startswith(base + "/") else folder
        if (
            source is not None
            and source.text
            and re.search(rf"(?<![\w.-]){re.escape(relative)}(?:/|\b)", source.text)
        ):
            return True
    return False


def _unversioned_data_folders(repo: Repo, max_bytes: int) -> list[DataFolder]:
    lfs = _lfs_matcher(repo)
    result: list[DataFolder] = []
    for folder in _data_folders(repo):
        if _dvc_covers(repo, folder.path):
            continue
        plain = [
            e for e in folder.files if not _in_lfs(e.path, lfs) and not _is_lfs_pointer(repo, e)
        ]
        kept = DataFolder(folder.path, plain)
        if plain and kept.total > max_bytes:
            result.append(kept)
    return result


class UnversionedDataFolder(RepoRule):
    """## What it does
    Reports a data folder (`data/`, `datasets/`, `raw_data/`...) whose contents git
    commits (or would commit: the files are not ignored) with no data versioning: no
    `.dvc` file for it, no `dvc.yaml` stage naming it, no git-LFS rule covering its
    files. Folders holding less than `max-size-mb` of data (a small sample, a lookup
    table) are fine, as are test fixtures and Python packages named `data`. One finding
    per folder; its large files are not reported again by `large-data-file-committed`.

    ## Why is this bad?
    Results can only be reproduced if the data that produced them has a version. Data
    in plain git bloats every clone forever and is rewritten in place without a trace
    of which model saw which version; data outside git and outside DVC has no version
    at all.

    ## Example
    The raw and processed data committed with the code:
    ```text
    # data/raw/transactions.csv (40 MB)
    ```
    ```text
    # data/processed/features.parquet (12 MB)
    ```

    ## Use instead
    ```console
    git rm -r --cached data && dvc add data && git add data.dvc .gitignore
    ```
    which writes the pointer git versions instead of the data:
    ```yaml
    # data.dvc
    outs:
    - md5: 3f2a9c0e8b7d4e1f6a5b2c9d0e8f7a6b.dir
      size: 54525952
      nfiles: 2
      hash: md5
      path: data
    ```
    ```text
    # .gitignore
    /data
    ```
    or a `dvc.yaml` pipeline that produces `data/processed`, or
    `git lfs track "data/**"`.

    ## Options
    `max-size-mb` (default 5): data folders holding less than this are not reported.
    """

    code = "TF103"
    depends_on = ("@data", ".gitattributes", ".gitignore", "*.dvc", "dvc.yaml")
    name = "unversioned-data-folder"
    factor = 1
    severity = Severity.WARNING
    summary = "Data folder committed with no data versioning (DVC, git-LFS)"
    fix = "Track the folder with DVC (`dvc add data`) or git-LFS, or ignore it and fetch it in a versioned pipeline."
    requires = ("TF101",)
    options: ClassVar[Mapping[str, Any]] = {"max-size-mb": 5}

    def check(self, repo: Repo) -> Iterator[Violation]:
        for folder in _unversioned_data_folders(repo, _max_bytes(self.settings)):
            biggest = sorted(folder.files, key=lambda e: -e.size)[:3]
            committed = any(e.tracked for e in folder.files)
            shown = ", ".join(
                f"`{posixpath.relpath(e.path, folder.path)}` ({_size(e.size)})" for e in biggest
            )
            more = f" and {len(folder.files) - 3} more" if len(folder.files) > 3 else ""
            yield Violation(
                f"`{folder.path}/` holds {len(folder.files)} data files ({_size(folder.total)}) "
                f"{'committed to git' if committed else 'not ignored by git'} with no DVC or git-LFS: {shown}{more}",
                path=folder.files[0].path if len(folder.files) == 1 else None,
                fix=f'`git rm -r --cached {folder.path}` then `dvc add {folder.path}` (or `git lfs track "{folder.path}/**"`); or ignore it.',
            )


def _max_bytes(settings: Mapping[str, Any]) -> int:
    try:
        return int(float(settings.get("max-size-mb", 5)) * _MB)
    except (TypeError, ValueError):
        return 5 * _MB


class LargeDataFileCommitted(RepoRule):
    """## What it does
    Reports data and model files (`.csv`, `.parquet`, `.pkl`, `.joblib`, `.h5`, `.pt`,
    `.onnx`, `.npz`, `.safetensors`, archives...) larger than `max-size-mb` that git
    tracks, or that are not ignored so the next `git add .` commits them. Fine:
    git-LFS pointer files and files matched by a `filter=lfs` rule in `.gitattributes`,
    files ignored by git, and files inside a data folder that
    `unversioned-data-folder` (TF103) already reports.

    ## Why is this bad?
    Git keeps every version of every file forever: a 200 MB checkpoint committed once
    makes every clone and CI run slower for good, and overwriting it in place loses the
    link between a model and the data and code that produced it.

    ## Example
    The model the training script wrote, committed next to it:
    ```text
    # models/churn_model.pkl (24 MB)
    ```

    ## Use instead
    ```console
    git rm --cached models/churn_model.pkl
    git lfs track "*.pkl"        # or: dvc add models/churn_model.pkl
    ```
    which writes:
    ```text
    # .gitattributes
    *.pkl filter=lfs diff=lfs merge=lfs -text
    ```
    or push the model to a registry / object store and record its URI.

    ## Options
    `max-size-mb` (default 5): the size above which a data file is reported.
    """

    code = "TF102"
    depends_on = ("@data", ".gitattributes", ".gitignore", "*.dvc", "dvc.yaml")
    name = "large-data-file-committed"
    factor = 1
    severity = Severity.ERROR
    summary = "Large data or model file committed to git"
    fix = "Remove it from git (`git rm --cached`) and version it with DVC or git-LFS, or store it in an object store."
    requires = ("TF101",)
    options: ClassVar[Mapping[str, Any]] = {"max-size-mb": 5}

    def check(self, repo: Repo) -> Iterator[Violation]:
        threshold = _max_bytes(self.settings)
        lfs = _lfs_matcher(repo)
        # One root cause, one finding: a big file in a data folder that TF103 reports (any
        # folder holding a file over the threshold is over it too) is reported there.
        covered = {
            e.path for folder in _unversioned_data_folders(repo, threshold) for e in folder.files
        }
        for entry in repo.files:
            if entry.kind != kinds.DATA or entry.size <= threshold or entry.path in covered:
                continue
            if _in_lfs(entry.path, lfs) or _is_lfs_pointer(repo, entry):
                continue
            suffix = posixpath.splitext(entry.path)[1]
            yield Violation(
                f"`{entry.path}` ({_size(entry.size)}) is {_where(entry)}",
                path=entry.path,
                fix=f'`git rm --cached {entry.path}`, then `dvc add {entry.path}` or `git lfs track "*{suffix}"`.',
            )


# --- model artifacts and tracker stores at any size ---------------------------------------

#: A W&B run folder: `wandb/run-20240101_120000-abc123/` (or `offline-run-...`).
_WANDB_RUN = lazy_compile(r"(?:^|/)wandb/(?:offline-)?run-\d{8}_\d{6}-[^/]+/")


def _tracker_store(path: str) -> tuple[str, str] | None:
    """(the store's folder or file, the tool that writes it) for a file inside a tracker's
    run store, or None."""
    parts = path.split("/")
    for depth, part in enumerate(parts[:-1]):
        tool = knowledge.TRACKER_STORE_DIRS.get(part)
        if tool is not None:
            return "/".join(parts[: depth + 1]) + "/", tool
    name = parts[-1]
    if name in knowledge.TRACKER_STORE_FILES:
        return path, knowledge.TRACKER_STORE_FILES[name]
    if name.startswith(knowledge.TFEVENTS_PREFIX):
        folder = posixpath.dirname(path)
        return (folder + "/" if folder else path), "TensorBoard"
    run = _WANDB_RUN.search(path)
    if run is not None:
        return path[: run.end()], "Weights & Biases"
    return None


class ModelArtifactCommitted(RepoRule):
    """## What it does
    Reports, in an application, trained models and fitted artifacts committed to git
    whatever their size (`.pkl`, `.pickle`, `.joblib`, `.pt`, `.pth`, `.ckpt`, `.h5`,
    `.keras`, `.onnx`, `.safetensors`, `.tflite`, `.sav`, `.gguf`, `.cbm`), one finding
    per file; and, in an application or a research repository, the run stores of
    experiment trackers and training frameworks (`mlruns/`, `mlartifacts/`, `mlflow.db`,
    `catboost_info/`, `lightning_logs/`, TensorBoard `events.out.tfevents.*`, W&B
    `wandb/run-*/`), one finding per store.

    Fine: files tracked by git-LFS; test fixtures; examples and docs; libraries and
    courses (a library may ship a small model as package data, a lesson its demo model).
    Files over `max-size-mb` are reported by `large-data-file-committed` (TF102), and
    data files (csv, parquet...) below it are not reported at all.

    ## Why is this bad?
    A model is a build output: committed, it has no link to the data, code and
    parameters that produced it, it is overwritten in place by the next training run,
    and the service serves whatever the last commit happened to contain. A tracker's
    store committed to git is a copy of runs that belong in the tracking server,
    rewritten on every run.

    ## Example
    A service that loads the model committed beside it, and MLflow's local run store:
    ```python
    # app/main.py
    import joblib
    from fastapi import FastAPI

    app = FastAPI()
    model = joblib.load("app/model.pkl")
    ```
    ```text
    # app/model.pkl (300 KB)
    ```
    ```text
    # mlruns/0/4f1c2b7e9a0d4c3e/metrics/rmse
    1718006400000 0.412 0
    ```

    ## Use instead
    ```console
    git rm --cached app/model.pkl && git rm -r --cached mlruns
    ```
    with both ignored:
    ```text
    # .gitignore
    *.pkl
    mlruns/
    ```
    and the model loaded from a registry at a version the config names:
    ```python
    # app/main.py
    import os

    import mlflow
    from fastapi import FastAPI

    app = FastAPI()
    model = mlflow.pyfunc.load_model(os.environ["MODEL_URI"])  # models:/churn/3
    ```

    ## Options
    `max-size-mb` (default 5): the size above which `large-data-file-committed` reports
    the file instead.
    """

    code = "TF105"
    name = "model-artifact-committed"
    factor = 1
    severity = Severity.WARNING
    preview = True  # new in this release: runs with --preview until it is stable
    roles = role.OWN_CODE
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.RESEARCH})
    summary = "Trained model or tracker run store committed to git"
    fix = "Remove it from git (`git rm --cached`), ignore it, and version models with DVC, git-LFS or a model registry."
    requires = ("TF101",)
    options: ClassVar[Mapping[str, Any]] = {"max-size-mb": 5}

    def check(self, repo: Repo) -> Iterator[Violation]:
        threshold = _max_bytes(self.settings)
        lfs = _lfs_matcher(repo)
        covered = {
            e.path for folder in _unversioned_data_folders(repo, threshold) for e in folder.files
        }
        models = repo.model.kind == project_kind.APPLICATION
        stores: dict[str, tuple[str, list[FileEntry]]] = {}
        for entry in repo.files:
            if entry.path in covered or kinds.is_test_path(entry.path):
                continue
            store = _tracker_store(entry.path)
            if store is not None:
                stores.setdefault(store[0], (store[1], []))[1].append(entry)
                continue
            suffix = posixpath.splitext(entry.path)[1].lower()
            if not models or suffix not in knowledge.MODEL_SUFFIXES or entry.size > threshold:
                continue
            if _in_lfs(entry.path, lfs) or _is_lfs_pointer(repo, entry):
                continue
            yield Violation(
                f"model artifact `{entry.path}` ({_small_size(entry.size)}) is {_where(entry)}",
                path=entry.path,
                fix=f'`git rm --cached {entry.path}`, ignore it, then `dvc add {entry.path}` or `git lfs track "*{suffix}"` (or push it to a model registry).',
            )
        for where, (tool, entries) in sorted(stores.items()):
            plain = [e for e in entries if not _in_lfs(e.path, lfs)]
            if not plain:
                continue
            first = sorted(plain, key=lambda e: e.path)[0]
            count = f"{len(plain)} files" if len(plain) > 1 else "1 file"
            yield Violation(
                f"{tool} run store `{where}` ({count}) is {_where(first)}",
                path=first.path,
                fix=f"`git rm -r --cached {where.rstrip('/')}` and add `{where}` to .gitignore; keep runs in the tracking server.",
            )


def _small_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < _MB else _size(size)


# --- notebooks with outputs ----------------------------------------------------------------

_HAS_OUTPUT = lazy_compile(rb'"outputs"\s*:\s*\[\s*\{')


@dataclass(frozen=True)
class NotebookOutputs:
    cells_with_outputs: int
    code_cells: int
    first_cell: int
    first_line: int | None


@fact("notebook-outputs", kinds=[kinds.NOTEBOOK], prefilter=_HAS_OUTPUT)
def notebook_outputs(file: SourceFile) -> NotebookOutputs | None:
    """How many code cells of a notebook carry outputs, and where the first one is."""
    if file.text is None or file.notebook is None:
        return None
    try:
        document = json.loads(file.text)
    except (ValueError, RecursionError):
        return None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        return None
    code_cells = 0
    with_outputs: list[int] = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type", "code") != "code":
            continue
        code_cells += 1
        outputs = cell.get("outputs")
        if isinstance(outputs, list) and outputs:
            with_outputs.append(index)
    if not with_outputs:
        return None
    first = with_outputs[0]
    line = None
    for cell in file.notebook.cells:
        if cell.index == first:
            line = next((n for n in cell.file_lines if n is not None), None)
            if line is None and cell.outputs:
                line = cell.outputs[0][1]
    return NotebookOutputs(len(with_outputs), code_cells, first, line)


_STRIP_HOOKS = (
    "nbstripout",
    "nbstripout-fast",
    "strip-notebook-output",
    "jupyter-nb-clear-output",
    "nb-clean",
)


def _strips_on_add(repo: Repo, path: str) -> bool:
    """A git filter (nbstripout --install) strips outputs from what is committed."""
    texts: list[tuple[str, str]] = []
    for entry in repo.named(".gitattributes"):
        source = repo.source(entry.path)
        if source is not None and source.text:
            texts.append((posixpath.dirname(entry.path), source.text))
    if repo.git_root is not None:
        info = repo.git_root / ".git" / "info" / "attributes"
        try:
            if info.is_file() and not info.is_symlink():
                texts.append(("", info.read_text(encoding="utf-8", errors="replace")[:100_000]))
        except OSError:
            pass
    for folder, text in texts:
        patterns = [
            line.split()[0]
            for line in text.splitlines()
            if len(line.split()) >= 2
            and any(
                w.startswith("filter=nbstripout") or w == "filter=jupyter" for w in line.split()[1:]
            )
        ]
        if not patterns:
            continue
        prefix = folder + "/" if folder else ""
        from pathspec import GitIgnoreSpec

        try:
            if path.startswith(prefix) and GitIgnoreSpec.from_lines(patterns).match_file(
                path[len(prefix) :]
            ):
                return True
        except ValueError:
            continue
    return False


def _pre_commit_strips(repo: Repo) -> bool:
    for entry in repo.named(".pre-commit-config.yaml", ".pre-commit-config.yml"):
        source = repo.source(entry.path)
        if source is not None and source.text and any(hook in source.text for hook in _STRIP_HOOKS):
            return True
    return False


class NotebookWithOutputs(RepoRule):
    """## What it does
    Reports Jupyter notebooks committed with cell outputs, once per notebook, with the
    number of code cells that carry outputs and the first of them. Small outputs count
    too. A notebook not yet committed is reported only if nothing will strip it: an
    `nbstripout` (or similar) pre-commit hook or a `filter=nbstripout` git attribute
    strips outputs before they are committed. A hook does not excuse outputs already
    committed. Notebooks under `docs/` (rendered with their outputs on purpose) and
    test fixtures are not reported.

    ## Why is this bad?
    Outputs carry data samples, tokens printed by accident, absolute paths and
    megabytes of images into git history, where they stay after being cleared. Every
    re-run becomes a noisy diff that hides the code change in review.

    ## Example
    A notebook committed after a run, with the table `df.describe()` printed:
    ```json
    // notebooks/eda.ipynb
    {
     "cells": [
      {
       "cell_type": "code",
       "execution_count": 3,
       "metadata": {},
       "outputs": [
        {
         "data": {"text/plain": ["        tenure  monthly_charges\\n", "count  7043.0           7043.0\\n"]},
         "execution_count": 3,
         "metadata": {},
         "output_type": "execute_result"
        }
       ],
       "source": ["df = pd.read_parquet(\\"data/customers.parquet\\")\\n", "df.describe()"]
      }
     ],
     "metadata": {"kernelspec": {"display_name": "Python 3", "name": "python3"}},
     "nbformat": 4,
     "nbformat_minor": 5
    }
    ```

    ## Use instead
    ```console
    nbstripout notebooks/eda.ipynb && git add notebooks/eda.ipynb
    ```
    which commits the code cells only:
    ```json
    // notebooks/eda.ipynb
    {
     "cells": [
      {
       "cell_type": "code",
       "execution_count": null,
       "metadata": {},
       "outputs": [],
       "source": ["df = pd.read_parquet(\\"data/customers.parquet\\")\\n", "df.describe()"]
      }
     ],
     "metadata": {"kernelspec": {"display_name": "Python 3", "name": "python3"}},
     "nbformat": 4,
     "nbformat_minor": 5
    }
    ```
    and add the `nbstripout` hook so it cannot happen again:
    ```yaml
    # .pre-commit-config.yaml
    repos:
      - repo: https://github.com/kynan/nbstripout
        rev: 0.8.1
        hooks:
          - id: nbstripout
    ```
    `twelvefold check --fix` strips the outputs for you.
    """

    code = "TF104"
    depends_on = ("*.ipynb", ".gitattributes", ".pre-commit-config.yaml")
    name = "notebook-with-outputs"
    factor = 1
    severity = Severity.WARNING
    roles = role.OWN_CODE
    repo_kinds = frozenset({project_kind.APPLICATION})
    summary = "Notebook committed with cell outputs"
    fix = "Strip the outputs (`nbstripout <notebook>`) and add the nbstripout pre-commit hook."
    facts = ("notebook-outputs",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        found = repo.facts("notebook-outputs")
        if not found:
            return
        hook = _pre_commit_strips(repo)
        for path, outputs in sorted(found.items()):
            entry = repo.by_path.get(path)
            if entry is None or kinds.is_test_path(path) or path.split("/")[0] in ("docs", "doc"):
                continue
            if _strips_on_add(repo, path):
                continue
            if entry.tracked is False and hook:
                continue  # the hook strips it when it is committed
            states: dict[bool | None, str] = {True: "committed", False: "not ignored by git"}
            state = states.get(entry.tracked, "saved")
            yield Violation(
                # The first cell with outputs is the finding's place (`cell`): every
                # format shows it, so the message does not repeat it.
                f"notebook {state} with outputs in {outputs.cells_with_outputs} of "
                f"{outputs.code_cells} code cells",
                path=path,
                line=outputs.first_line,
                cell=outputs.first_cell,
                fix=f"`nbstripout {path}` (or `twelvefold check --fix`), commit, and add the nbstripout pre-commit hook"
                + (" (already configured: run `pre-commit run --all-files`)" if hook else "")
                + ".",
            )
