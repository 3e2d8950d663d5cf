"""TF102 large-data-file-committed: large data or model file committed to git."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from twelvefold import kinds
from twelvefold.model import Severity, Violation
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f01_codebase._shared import (
    _in_lfs,
    _is_lfs_pointer,
    _lfs_matcher,
    _max_bytes,
    _size,
    _unversioned_data_folders,
    _where,
)


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
