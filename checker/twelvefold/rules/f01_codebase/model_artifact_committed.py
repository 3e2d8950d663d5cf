"""TF105 model-artifact-committed: trained model or tracker run store committed to git."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from twelvefold import kinds
from twelvefold.discovery import FileEntry
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import knowledge
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f01_codebase._shared import (
    _MB,
    _in_lfs,
    _is_lfs_pointer,
    _lfs_matcher,
    _max_bytes,
    _size,
    _unversioned_data_folders,
    _where,
)

#: A W&B run folder: `wandb/run-20240101_120000-abc123/` (or `offline-run-...`).
_WANDB_RUN = lazy_compile(r"(?:^|/)wandb/(?:offline-)?run-\d{8}_\d{6}-[^/]+/")
#: A run's folder in an MLflow artifact root of any name (`mlflow server
#: --default-artifact-root ./artifacts`): `<root>/<experiment id>/<run id>/artifacts/`.
_MLFLOW_RUN = lazy_compile(r"(?:^|/)\d+/[0-9a-f]{32}/artifacts/")
#: Files that keep an empty folder in git (`mlruns/.gitkeep`): no run is stored there.
_PLACEHOLDERS = frozenset({".gitkeep", ".keep", ".gitignore"})


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
    run = _MLFLOW_RUN.search(path)
    if run is not None:
        root = path[: run.start() + (path[run.start()] == "/")]
        return (root or "./"), "MLflow"
    return None


class ModelArtifactCommitted(RepoRule):
    """## What it does
    Reports, in an application, trained models and fitted artifacts committed to git
    whatever their size (`.pkl`, `.pickle`, `.joblib`, `.pt`, `.pth`, `.ckpt`, `.h5`,
    `.keras`, `.onnx`, `.safetensors`, `.tflite`, `.sav`, `.gguf`, `.cbm`), one finding
    per file (one per folder for three or more of one type: fold checkpoints, voice
    packs); and, in an application or a research repository, the run stores of
    experiment trackers and training frameworks (`mlruns/`, `mlartifacts/`, `mlflow.db`,
    `catboost_info/`, `lightning_logs/`, TensorBoard `events.out.tfevents.*`, W&B
    `wandb/run-*/`, an MLflow artifact root of any name: `artifacts/<experiment>/<run
    id>/artifacts/...`), one finding per store; a store folder holding only a
    `.gitkeep` stores nothing.

    A model below the size limit is reported as `info`: the factor catalog draws the line
    for model binaries at a few MB, and on the real repositories judged every small
    model committed on purpose (a sample model a demo serves) was left as it is; a run
    store is a `warning`.
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
        folders: dict[tuple[str, str], list[FileEntry]] = {}  # (folder, suffix) -> models
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
            folders.setdefault((posixpath.dirname(entry.path), suffix), []).append(entry)
        for (folder, suffix), entries in sorted(folders.items()):
            yield from _model_findings(folder, suffix, sorted(entries, key=lambda e: e.path))
        for where, (tool, entries) in sorted(stores.items()):
            plain = [
                e
                for e in entries
                if not _in_lfs(e.path, lfs) and posixpath.basename(e.path) not in _PLACEHOLDERS
            ]
            if not plain:
                continue
            first = sorted(plain, key=lambda e: e.path)[0]
            count = f"{len(plain)} files" if len(plain) > 1 else "1 file"
            yield Violation(
                f"{tool} run store `{where}` ({count}) is {_where(first)}",
                path=first.path,
                fix=f"`git rm -r --cached {where.rstrip('/')}` and add `{where}` to .gitignore; keep runs in the tracking server.",
            )


#: From this many models of one type in one folder, one finding for the folder: a set of
#: voice packs or fold checkpoints is one decision, not one per file.
_GROUPED_MODELS = 3


def _model_findings(folder: str, suffix: str, entries: list[FileEntry]) -> Iterator[Violation]:
    if len(entries) < _GROUPED_MODELS:
        for entry in entries:
            yield Violation(
                f"model artifact `{entry.path}` ({_small_size(entry.size)}) is {_where(entry)}",
                path=entry.path,
                fix=f'`git rm --cached {entry.path}`, ignore it, then `dvc add {entry.path}` or `git lfs track "*{suffix}"` (or push it to a model registry).',
                severity=Severity.INFO,
            )
        return
    pattern = f"{folder}/*{suffix}" if folder else f"*{suffix}"
    total = _small_size(sum(entry.size for entry in entries))
    first = entries[0]
    yield Violation(
        f"{len(entries)} model artifacts `{pattern}` ({total} in all) are {_where(first)}",
        path=first.path,
        fix=f'`git rm --cached {pattern}`, ignore them, then `dvc add {folder or "."}` or `git lfs track "{pattern}"` (or push them to a model registry).',
        severity=Severity.INFO,
    )


def _small_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < _MB else _size(size)
