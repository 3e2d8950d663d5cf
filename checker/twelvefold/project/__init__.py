"""The project model: what kind of repository this is and what role each file plays.

Computed once per audited repository, before any rule runs, and read by every rule
(like ruff's semantic model under its rules): the engine asks a rule only about files
whose role it declares (`Rule.roles`) in repositories of the kinds it declares
(`Rule.repo_kinds`). `twelvefold check --show-roles` prints the model, and the settings
override it: `kind = "library"`, `roles = { "tools/**" = "package" }`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twelvefold.detectors.provenance import LICENSE_NAMES, credits_upstream
from twelvefold.discovery import FileEntry
from twelvefold.kinds import DOCKERFILE, is_test_path
from twelvefold.project.kind import (
    KINDS,
    LIBRARY,
    RESEARCH,
    TEMPLATE_FILES,
    KindEvidence,
    host_application,
    infer_kind,
)
from twelvefold.project.roles import (
    ARCHIVE,
    EXAMPLE,
    NOTEBOOK,
    PACKAGE,
    ROLES,
    SCRIPT,
    TEMPLATE,
    TEST,
    VENDORED,
    role_from_path,
)

__all__ = ["KINDS", "ROLES", "ProjectModel", "build_model"]


@dataclass
class ProjectModel:
    kind: str
    kind_why: str
    #: path -> role, for every discovered file.
    roles: dict[str, str] = field(default_factory=dict)
    #: paths whose role came from the settings' `roles` table.
    overridden: set[str] = field(default_factory=set)
    #: The application this repository extends and runs inside, if any (see
    #: `KindEvidence.host`): the host provides its environment and serves its routes.
    host: str | None = None

    def role(self, path: str | None) -> str | None:
        return None if path is None else self.roles.get(path)


def build_model(
    root: Path,
    files: Sequence[FileEntry],
    *,
    kind: str | None = None,
    role_globs: Mapping[str, str] | None = None,
) -> ProjectModel:
    """The model of the repository at `root`; `kind` and `role_globs` come from the
    settings and win over what the tree suggests.

    In a library, notebooks are demo material (`example`): the product is the package
    its users install, which ships no notebook, and a demo installs what it shows in its
    own cells (Colab) rather than through the library's manifest; and the code of a
    top-level `research/` folder is scripts (the papers' code, run by hand). In a research
    repository, a Dockerfile inside a package folder of the code is an example too: a
    deploy snippet carried with copied utilities, not how the repository ships. In a
    collection of example projects, each project's code, notebooks and scripts are
    examples."""
    evidence = (
        KindEvidence(kind, "set in the settings") if kind is not None else infer_kind(root, files)
    )
    # Whatever kind the settings say, an extension runs inside its host.
    host = evidence.host
    if kind is not None and (extension := host_application(root, files)) is not None:
        host = extension[0]
    model = ProjectModel(evidence.kind, evidence.why, host=host)
    spec = _spec(role_globs) if role_globs else None
    packages = (
        {entry.path.split("/", 1)[0] for entry in files if _is_root_package(entry.path)}
        if model.kind == RESEARCH
        else set()
    )
    # behave's acceptance tests: a `features/` folder holding Gherkin `.feature` files;
    # its `steps/` and `environment.py` are test code (a `features/` folder of feature
    # engineering code holds no `.feature` file).
    behave = {
        entry.path[: entry.path.rindex("features/") + len("features/")]
        for entry in files
        if entry.path.endswith(".feature") and "features/" in entry.path
    }
    examples = tuple(f"{folder}/" for folder in evidence.example_folders)
    vendored = _vendored_folders(root, files)
    templates = _template_folders(files)
    for entry in files:
        role = None
        if spec is not None:
            for matcher, wanted in spec:
                if matcher(entry.path):
                    role = wanted
            if role is not None:
                model.overridden.add(entry.path)
        if role is None:
            role = role_from_path(entry.path, entry.kind)
            if behave and role in (PACKAGE, SCRIPT) and entry.path.startswith(tuple(behave)):
                role = TEST
            elif role == NOTEBOOK and model.kind == LIBRARY:
                role = EXAMPLE
            elif role == PACKAGE and model.kind == LIBRARY and entry.path.startswith("research/"):
                # FlagEmbedding's `research/`: the papers' code beside the library, run by
                # hand with the flags of each README, not installed with the package.
                role = SCRIPT
            elif role in (PACKAGE, NOTEBOOK, SCRIPT) and entry.path.startswith(examples):
                # zenml-projects' `credit-scorer/`: one of the examples users clone.
                role = EXAMPLE
            elif entry.kind == DOCKERFILE and entry.path.split("/", 1)[0] in packages:
                # A paper's code carrying a deploy snippet inside its package folder
                # (yolov7's `utils/google_app_engine/Dockerfile`, copied with yolov5's
                # utilities): an example of deploying, not how the repository ships.
                role = EXAMPLE
            elif (
                role in (PACKAGE, NOTEBOOK, SCRIPT, TEST)
                and templates
                and _below(entry.path, templates)
            ):
                # `templates/barebone/` with its own `copier.yml`: the sources of a project
                # the collection generates, whose tests run in that project.
                role = TEMPLATE
            elif (
                role in (PACKAGE, NOTEBOOK, SCRIPT, ARCHIVE)
                and vendored
                and _below(entry.path, vendored)
            ):
                role = VENDORED
        model.roles[entry.path] = role
    return model


#: Files that make a licensed folder a project of its own (a sub-package with its
#: metadata, a service with its requirements and image), not code copied in.
_PROJECT_FILES = frozenset(
    {"pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "environment.yml", "Dockerfile"}
)


def _vendored_folders(root: Path, files: Sequence[FileEntry]) -> frozenset[str]:
    """Folders below the root that carry a license of their own, or a README crediting
    the repository the code came from ("### Credit" and nnFormer's URL), and no project
    files beside it or one folder down (a book chapter's `web-service/LICENSE` over its
    `app/Dockerfile` is a project): another project's code copied in
    (`annotator/midas/`, `SentEval/`, `networks/models/nnformer/`). A licensed folder with
    a `.github/` of its own is vendored whatever it holds: GitHub reads only the root's,
    so such a folder is another repository copied in whole (a study's copies of the
    projects it compares)."""
    copied_in: set[str] = set()
    projects: set[str] = set()
    repositories: set[str] = set()
    for entry in files:
        folder, _, name = entry.path.rpartition("/")
        if not folder:
            continue
        if name in LICENSE_NAMES or (
            name.lower() in _README_NAMES and _credits_upstream(root / entry.path)
        ):
            copied_in.add(folder)
        elif name in _PROJECT_FILES:
            projects.add(folder)
            projects.add(folder.rpartition("/")[0])
        inner = folder.find("/.github/")
        if inner > 0 or (folder.endswith("/.github") and folder != ".github"):
            repositories.add(folder[:inner] if inner > 0 else folder[: -len("/.github")])
    return frozenset((copied_in - projects) | (copied_in & repositories))


_README_NAMES = frozenset({"readme.md", "readme.rst", "readme.txt", "readme"})


def _credits_upstream(path: Path) -> bool:
    from twelvefold.sources import read_regular_file

    try:
        head = read_regular_file(path, 400)
    except OSError:
        return False
    return credits_upstream(head.decode("utf-8", "replace"))


def _template_folders(files: Sequence[FileEntry]) -> frozenset[str]:
    """Folders below the root that hold a template's configuration (`TEMPLATE_FILES`: a
    collection's `templates/barebone/copier.yml`): what is below is a generated project's."""
    return frozenset(
        folder
        for entry in files
        for folder, _, name in [entry.path.rpartition("/")]
        if folder and name in TEMPLATE_FILES
    )


def _below(path: str, folders: frozenset[str]) -> bool:
    """Whether a folder above `path` is one of `folders`."""
    folder = path.rpartition("/")[0]
    while folder:
        if folder in folders:
            return True
        folder = folder.rpartition("/")[0]
    return False


def _is_root_package(path: str) -> bool:
    return path.count("/") == 1 and path.endswith("/__init__.py") and not is_test_path(path)


def _spec(role_globs: Mapping[str, str]) -> list[tuple[Any, str]]:
    """One gitignore-style matcher per glob; the last matching glob wins."""
    from pathspec import GitIgnoreSpec

    return [
        (GitIgnoreSpec.from_lines([glob]).match_file, role) for glob, role in role_globs.items()
    ]
