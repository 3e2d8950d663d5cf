"""TF103 unversioned-data-folder: data folder committed with no data versioning (DVC, git-LFS)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f01_codebase._shared import (
    DataFolder,
    _max_bytes,
    _size,
    _unversioned_data_folders,
)
from twelvefold.sources import read_regular_file


class UnversionedDataFolder(RepoRule):
    """## What it does
    Reports a data folder (`data/`, `datasets/`, `raw_data/`...) whose contents git
    commits (or would commit: the files are not ignored) with no data versioning: no
    `.dvc` file for it, no `dvc.yaml` stage naming it, no git-LFS rule covering its
    files. Folders holding less than `max-size-mb` of data (a small sample, a lookup
    table) are fine, as are test fixtures and Python packages named `data`, and a folder
    the `.gitignore` ignores whose files were force-added (`git add -f`: samples kept in
    git on purpose). One finding
    per folder; its large files are not reported again by `large-data-file-committed`.
    Nor are manifests counted: a CSV or TSV whose header names a content-hash column
    (`source_path,sha256,...`: each file's hash and split, the version of data kept
    elsewhere). Not reported either: a folder the code or docs download from the repository's own
    raw URL (`https://github.com/o/r/raw/master/data/...`: published through git), and
    sample data of examples, demos, docs and benchmarks (and, outside an application, of
    notebooks) under ten times the size limit.

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
    # A paper's release or a course ships its sample data for readers to run it with
    # (taming-transformers' 122 MB of demo samples, a book's datasets): its version is
    # the release's. What is versioned for a product is the data it trains on.
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.LIBRARY, project_kind.TEMPLATE})
    summary = "Data folder committed with no data versioning (DVC, git-LFS)"
    fix = "Track the folder with DVC (`dvc add data`) or git-LFS, or ignore it and fetch it in a versioned pipeline."
    requires = ("TF101",)
    options: ClassVar[Mapping[str, Any]] = {"max-size-mb": 5}

    def check(self, repo: Repo) -> Iterator[Violation]:
        limit = _max_bytes(self.settings)
        folders = _unversioned_data_folders(repo, limit)
        served = _served_from_the_repository(repo, [folder.path for folder in folders])
        for found in folders:
            # A table of each image's SHA-256 and split versions the data it names; what
            # is left may be under the limit.
            folder = DataFolder(
                found.path, [e for e in found.files if not _hash_manifest(repo, e.path)]
            )
            if len(folder.files) < len(found.files) and folder.total <= limit:
                continue
            if all(e.tracked for e in folder.files) and _ignored_folder(repo, folder.path):
                # `datasets/` in .gitignore, its samples force-added: kept in git on purpose
                continue
            if folder.path in served:
                # shap's `data/`, darts' `datasets/`: the code downloads them from the
                # repository's raw URL; git is where they are published
                continue
            where = role.role_from_path(folder.path + "/x", kinds.DATA)
            for_reading = where in role.FOR_READING or (
                where == role.NOTEBOOK and repo.model.kind != project_kind.APPLICATION
            )
            if for_reading and folder.total <= limit * _FOR_READING_FACTOR:
                continue  # an example's, a demo's or a paper notebook's sample data
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


#: A column of content hashes in a table's header (`...,source_path,sha256,dhash,...`).
_HASH_COLUMN = lazy_compile(
    rb"(?:^|[,\t;])\s*\"?(?:sha-?256|sha-?1|md5|checksum|file_hash)\"?\s*(?:[,\t;]|$)", re.I
)


def _hash_manifest(repo: Repo, path: str) -> bool:
    """A CSV/TSV whose header names a content-hash column: a manifest of the data files
    (each image's path and SHA-256, its split), which versions data kept elsewhere."""
    if not path.lower().endswith((".csv", ".tsv")):
        return False
    try:
        head = read_regular_file(repo.root / path, 4096)
    except OSError:
        return False
    header = head.split(b"\n", 1)[0].rstrip(b"\r")
    return _HASH_COLUMN.search(header) is not None


#: Examples, demos, docs and benchmarks ship sample data to be read with them: their
#: folders are reported from this many times the size limit (a benchmark's 87 MB of
#: datasets is still data to version).
_FOR_READING_FACTOR = 10
#: A raw-file URL of a GitHub repository: `https://raw.githubusercontent.com/o/r/main/`,
#: `https://github.com/o/r/raw/master/`.
_RAW_URL = lazy_compile(
    r"raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[\w.-]+/|github\.com/[\w.-]+/[\w.-]+/raw/[\w.-]+/"
)


def _served_from_the_repository(repo: Repo, folders: list[str]) -> set[str]:
    """The folders among `folders` that the code, notebooks or docs download from the
    repository's own raw URL (`.../shap/raw/master/data/`): published through git."""
    if not folders:
        return set()
    served: set[str] = set()
    for entry in repo.files:
        if entry.kind not in (kinds.PYTHON, kinds.NOTEBOOK, kinds.DOCS):
            continue
        source = repo.source(entry.path)
        text = source.text if source is not None else None
        if not text or ("raw.githubusercontent.com" not in text and "/raw/" not in text):
            continue
        for match in _RAW_URL.finditer(text):
            rest = text[match.end() : match.end() + 300]
            served.update(f for f in folders if rest.startswith(f + "/") or rest == f)
        if len(served) == len(folders):
            break
    return served


def _ignored_folder(repo: Repo, folder: str) -> bool:
    """Whether the root `.gitignore` ignores the folder: its committed files were added
    with `git add -f`, a decision, not an accident."""
    source = repo.source(".gitignore") if repo.has(".gitignore") else None
    if source is None or source.text is None:
        return False
    from pathspec import GitIgnoreSpec

    try:
        return GitIgnoreSpec.from_lines(source.lines).match_file(folder + "/")
    except ValueError:
        return False
