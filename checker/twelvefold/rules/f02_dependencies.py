"""Factor 2 - Dependencies: declared, pinned, isolated."""

from __future__ import annotations

import ast
import posixpath
import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from twelvefold import kinds
from twelvefold.detectors.ci import ci_files
from twelvefold.detectors.import_names import distributions_for, is_stdlib, with_requirements
from twelvefold.detectors.pipeline_notebooks import notebooks_are_pipeline_steps
from twelvefold.lazy_regex import lazy_compile
from twelvefold.manifests import (
    CONDA_ENVIRONMENT_NAMES,
    DISTRIBUTION_LOCKS,
    LOCK_FILES,
    MANIFEST_NAMES,
    PROJECT_FILES,
    Requirement,
    conda_declarations,
    declarations,
    dependency_line,
    find_line,
    is_conda_environment,
    locked_distributions,
    normalise,
    parse_requirement,
    parse_requirements,
    pip_installed_names,
    poetry_dependencies,
    pyproject_all_dependencies,
    pyproject_dependencies,
    setup_py_install_requires,
)
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.knowledge import base_image_distributions, is_build_tool
from twelvefold.repo import Repo
from twelvefold.rule import FileRule, RepoRule, fact
from twelvefold.rules._pyast import import_aliases, innermost, nodes, walk
from twelvefold.sources import SourceFile
from twelvefold.suppression import line_suppresses


class NoDependencyManifest(RepoRule):
    """## What it does
    Reports a repository with Python code but no dependency manifest: no
    `pyproject.toml`, `requirements*.txt`, `setup.py`/`setup.cfg`, `Pipfile` or conda
    environment anywhere in the tree. A conda environment is `environment.yml`, MLflow's
    `conda.yaml`, the file an `MLproject`'s `conda_env:` names, or a YAML file shaped
    like one whatever its name: a `dependencies:` list with `channels:`, or with `name:`
    when every entry is a conda spec or a `pip:` list (a Helm chart's `dependencies:` is
    not one). At the root any such file counts; below it, one the project uses, i.e.
    whose file name a script, Dockerfile, CI or config file writes (Azure ML's
    `conda_dependencies.yml`, `conda env create -f ci_dependencies.yml`). Test fixtures
    and sketches nothing uses do not count.

    ## Why is this bad?
    Without a manifest nobody can rebuild the environment the code ran in: a new
    colleague, the CI runner and the production image each install whatever they guess,
    and a model trained last month cannot be retrained the same way.

    ## Example
    A training script and a notebook, and nothing that says what they import:
    ```python
    # train.py
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier

    df = pd.read_parquet("data/customers.parquet")
    model = RandomForestClassifier(random_state=0).fit(df.drop(columns="churn"), df["churn"])
    ```
    ```python
    # notebooks/eda.ipynb
    import pandas as pd

    pd.read_parquet("data/customers.parquet").describe()
    ```

    ## Use instead
    Declare the dependencies in `pyproject.toml` and lock them:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    requires-python = ">=3.11"
    dependencies = ["pandas>=2.2", "pyarrow>=17", "scikit-learn>=1.5"]
    ```
    then `uv lock` (or `pip-compile`) and commit the lock file.
    """

    code = "TF201"
    depends_on = ("@manifests",)
    name = "no-dependency-manifest"
    factor = 2
    severity = Severity.ERROR
    summary = "Python code with no dependency manifest"
    fix = "Declare dependencies in pyproject.toml (or requirements.txt) and commit a lock file."

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if repo.named(*MANIFEST_NAMES) or repo.of_kind(kinds.REQUIREMENTS):
            return
        if repo.derived(_conda_environments):
            return
        yield Violation("the repository has Python code but no dependency manifest")


#: A top-level `channels:` / `name:` / `dependencies:` key, before parsing a YAML file.
_CONDA_KEYS = lazy_compile(r"^(?:channels|name|dependencies)[ \t]*:", re.M)


def _conda_environments(repo: Repo) -> tuple[str, ...]:
    """Conda environment files, whatever their name: `environment.yml`, MLflow's
    `conda.yaml`, the file an `MLproject`'s `conda_env:` names, any YAML file at the root
    shaped like one (`env.yml`, `binder-environment.yaml`), and one below the root that
    the project uses: its file name is written in a script, Dockerfile, CI or config file
    (Azure ML's `conda_dependencies.yml`, `conda env create -f ci_dependencies.yml`). A
    conda-shaped sketch nothing uses declares nothing; test fixtures never do."""
    found = {entry.path for entry in repo.named(*CONDA_ENVIRONMENT_NAMES)}
    for entry in repo.named("MLproject"):
        source = repo.source(entry.path)
        data = source.yaml if source is not None and source.text is not None else None
        named = data.get("conda_env") if isinstance(data, dict) else None
        if isinstance(named, str) and named.strip():
            path = posixpath.normpath(posixpath.join(posixpath.dirname(entry.path), named.strip()))
            if repo.has(path):
                found.add(path)
    below: list[str] = []
    for entry in repo.files:
        if not entry.path.endswith((".yml", ".yaml")) or entry.path in found:
            continue
        if kinds.is_test_path(entry.path):
            continue  # a fixture, not the project's environment
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        keys = {m.group(0).split(":")[0].strip() for m in _CONDA_KEYS.finditer(source.text)}
        if "dependencies" not in keys or len(keys) < 2:
            continue
        if is_conda_environment(source.yaml):
            if "/" in entry.path:
                below.append(entry.path)
            else:
                found.add(entry.path)
    if below:
        found |= _used_by_the_project(repo, below)
    return tuple(sorted(found))


#: Files that build, run or configure the project: a file name written in one of them
#: names a file the project uses.
_USING_KINDS = (
    kinds.SHELL,
    kinds.DOCKERFILE,
    kinds.YAML,
    kinds.MAKEFILE,
    kinds.PYTHON,
    kinds.DOTENV,
    kinds.TOML,
    kinds.INI,
    kinds.JSON,
)


def _used_by_the_project(repo: Repo, paths: list[str]) -> set[str]:
    """The `paths` whose file name another file of `_USING_KINDS` writes."""
    wanted: dict[str, list[str]] = {}
    for path in paths:
        wanted.setdefault(posixpath.basename(path), []).append(path)
    found: set[str] = set()
    for entry in repo.of_kind(*_USING_KINDS):
        if not wanted:
            break
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        for name in [n for n in wanted if n in source.text and entry.path not in wanted[n]]:
            found.update(wanted.pop(name))
    return found


def _has_lock_near(repo: Repo, directory: str) -> bool:
    """A lock file in `directory` or any folder above it, up to the root."""
    while True:
        for name in LOCK_FILES:
            if repo.has(posixpath.join(directory, name) if directory else name):
                return True
        if not directory:
            return False
        directory = posixpath.dirname(directory)


def _fully_pinned_requirements_near(repo: Repo, directory: str, skip: str) -> bool:
    """A sibling requirements file that pins everything (pip-compile output)."""
    for entry in repo.of_kind(kinds.REQUIREMENTS):
        if entry.path == skip or posixpath.dirname(entry.path) != directory:
            continue
        if not entry.path.endswith(".txt"):
            continue
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        requirements, _, hashed = parse_requirements(source.text)
        if requirements and (hashed or all(r.pinned for r in requirements)):
            return True
    return False


class UnpinnedDependency(RepoRule):
    """## What it does
    Reports requirements with no version or an open range (`pandas`, `numpy>=1.24`,
    `torch~=2.3`) when no lock file pins them. A range is fine in `pyproject.toml` or a
    `requirements.in` when a lock beside it pins the exact versions: `uv.lock`,
    `poetry.lock`, `pdm.lock`, `Pipfile.lock`, `conda-lock.yml`, `pylock.toml`, or a
    fully pinned `requirements.txt` compiled from it.

    One finding per file lists its unpinned requirements (one root cause, one fix: a
    lock, or `==` pins compiled into the file), at the line of the first one. A name
    pinned elsewhere in the same file (`mkdocstrings==0.21.2` above
    `mkdocstrings[python]>=0.18`) is pinned, and so is a direct reference to a versioned
    file, a tag or a commit (`name @ https://.../name-3.4.0-py3-none-any.whl`,
    `name @ git+https://...@v3.0.7a0`; not `@main` or no ref). A file whose only open
    entries are build and test tools (`pip`, `setuptools`, `wheel`, `pytest`...) while
    everything else is pinned is not reported. A conda environment file whose open
    entries a requirements file beside it also declares, itself reported, is the same
    dependency list written twice (the conda and the pip way to install one
    environment): it is reported once, at the requirements file. An application's
    `setup.py` is read too (as AST, never run): its `install_requires`, written out as a
    list, is reported like a requirements file, unless a lock or a fully pinned
    `requirements.txt` sits beside it (what the deploy installs) or an open
    requirements file beside it lists the same names (reported there); an
    `install_requires` read from a file is checked at that file.

    Applies to the project's own manifests (role `package`), not to those of examples,
    docs, benchmarks, tests or CI images, which follow the latest release on purpose. In
    a library (kind `library`) version ranges are what its users need: only a
    requirements file that CI or a Dockerfile installs to deploy something (a demo
    Space, a service) is reported.

    ## Why is this bad?
    Two installs a week apart get different versions. A model's metrics change, a
    pipeline breaks in production after a release of a transitive dependency, and
    nobody can tell which versions trained the model that is serving.

    ## Example
    ```text
    # requirements.txt
    pandas
    scikit-learn>=1.3
    ```

    ## Use instead
    ```text
    pandas==2.2.3
    scikit-learn==1.5.2
    ```
    or keep ranges in `pyproject.toml` and commit the lock file `uv lock` writes.
    """

    code = "TF202"
    depends_on = ("@manifests", "@locks", "@dockerfiles")
    name = "unpinned-dependency"
    factor = 2
    severity = Severity.WARNING
    summary = "Requirement with no version or an open range, and no lock file"
    fix = "Pin it with == (pip-compile / uv pip compile) or commit a lock file (uv lock, poetry lock)."
    requires = ("TF201",)
    roles = frozenset({role.PACKAGE})

    def check(self, repo: Repo) -> Iterator[Violation]:
        # A library's (or a template generator's) own metadata keeps ranges for its users.
        library = repo.model.kind in (project_kind.LIBRARY, project_kind.TEMPLATE)
        for entry in repo.of_kind(kinds.REQUIREMENTS):
            if _DEV_REQUIREMENTS.search(posixpath.basename(entry.path)):
                continue  # contributors' tools, installed latest on purpose
            if library and not _deployed(repo, entry.path):
                continue
            yield from self._requirements_file(repo, entry.path)
        if library:
            return  # a library's metadata keeps ranges for its users on purpose
        for entry in repo.named("pyproject.toml"):
            yield from self._pyproject(repo, entry.path)
        for entry in repo.named("environment.yml", "environment.yaml"):
            yield from self._conda(repo, entry.path)
        for entry in repo.named("setup.py"):
            yield from self._setup_py(repo, entry.path)

    def _setup_py(self, repo: Repo, path: str) -> Iterator[Violation]:
        """`install_requires` of an application's setup.py, when nothing pins it."""
        directory = posixpath.dirname(path)
        if _has_lock_near(repo, directory) or _fully_pinned_requirements_near(repo, directory, ""):
            return
        source = repo.source(path)
        if source is None or source.text is None:
            return
        listed = setup_py_install_requires(source.text)
        if not listed:
            return  # none, or computed (read from a requirements file, checked there)
        unpinned = [
            requirement
            for requirement in (parse_requirement(text, line) for text, line in listed)
            if requirement is not None and not requirement.pinned
        ]
        if all(_is_build_tool(r) for r in unpinned):
            return
        if _declared_by_open_requirements(repo, path, [r.text for r in unpinned]):
            return  # the same list in a requirements file beside it, reported there
        first = unpinned[0]
        yield Violation(
            f"{len(unpinned)} install_requires are not pinned and no lock file pins them: "
            + _listed([f"`{r.text}`" for r in unpinned])
            if len(unpinned) > 1
            else f"`{first.text}` in install_requires is not pinned ({first.why_unpinned}) "
            "and no lock file pins it",
            line=first.line,
            path=path,
            fix="Commit a lock or a requirements.txt pinned with == that the deploy installs, "
            "or pin each requirement with ==.",
        )

    def _requirements_file(self, repo: Repo, path: str) -> Iterator[Violation]:
        directory = posixpath.dirname(path)
        if _has_lock_near(repo, directory):
            return
        if path.endswith(".in") and repo.has(path[:-3] + ".txt"):
            return  # pip-compile input: the .txt beside it is the lock
        source = repo.source(path)
        if source is None or source.text is None:
            return
        requirements, includes, hashed = parse_requirements(source.text)
        if hashed:
            return
        constraints = self._constraints(repo, directory, includes)
        constraints |= {r.name for r in requirements if r.pinned}
        unpinned = [
            r
            for r in requirements
            if not r.pinned
            and r.name not in constraints
            # A line excused with `# twelvefold: ignore[TF202]` leaves the group.
            and not (r.line and line_suppresses(source.line_text(r.line), self.code))
        ]
        if all(_is_build_tool(r) for r in unpinned):
            return  # everything that runs is pinned; only installers and test tools float
        first = unpinned[0]
        if len(unpinned) == 1:
            message = (
                f"`{first.text}` is not pinned ({first.why_unpinned}) and no lock file pins it"
            )
        else:
            message = (
                f"{len(unpinned)} requirements are not pinned and no lock file pins them: "
                + _listed([f"`{r.text}`" for r in unpinned])
            )
        yield Violation(
            message,
            line=first.line,
            path=path,
            fix=f"Pin them (`{first.name}==<version>`), or compile this file into a lock with `uv pip compile`.",
        )

    def _constraints(self, repo: Repo, directory: str, includes: list[str]) -> set[str]:
        pinned: set[str] = set()
        for include in includes:
            source = repo.source(posixpath.normpath(posixpath.join(directory, include)))
            if source is not None and source.text is not None:
                requirements, _, hashed = parse_requirements(source.text)
                pinned |= {r.name for r in requirements if r.pinned or hashed}
        return pinned

    def _pyproject(self, repo: Repo, path: str) -> Iterator[Violation]:
        directory = posixpath.dirname(path)
        source = repo.source(path)
        if source is None or source.toml is None:
            return
        if _has_lock_near(repo, directory) or _fully_pinned_requirements_near(repo, directory, ""):
            return
        unpinned: list[Requirement] = []
        for text in pyproject_dependencies(source.toml):
            requirement = parse_requirement(text)
            if requirement is not None and not requirement.pinned:
                unpinned.append(requirement)
        poetry = poetry_dependencies(source.toml)
        for name, spec in poetry.items():
            version = spec.get("version") if isinstance(spec, dict) else spec
            if isinstance(version, str) and not re.fullmatch(r"=?=?\d[\w.!+]*", version.strip()):
                unpinned.append(
                    Requirement(normalise(name), f"{name} = {version!r}", None, False, "range")
                )
        if all(_is_build_tool(r) for r in unpinned):
            return  # everything that runs is pinned; only installers and test tools float
        names = _listed([f"`{r.text}`" for r in unpinned])
        line = dependency_line(source.lines, unpinned[0].text) or find_line(
            source.lines, "dependencies"
        )
        tool = "poetry lock" if poetry else "uv lock"
        yield Violation(
            f"{len(unpinned)} dependencies are not pinned and no lock file pins them: {names}"
            if len(unpinned) > 1
            else f"`{unpinned[0].text}` is not pinned ({unpinned[0].why_unpinned}) and no lock "
            "file pins it",
            line=line,
            path=path,
            fix=f"Commit a lock file next to {path} (`{tool}`), or pin each requirement with ==.",
        )

    def _conda(self, repo: Repo, path: str) -> Iterator[Violation]:
        if _has_lock_near(repo, posixpath.dirname(path)):
            return
        source = repo.source(path)
        if source is None or not isinstance(source.yaml, dict):
            return
        deps = source.yaml.get("dependencies")
        if not isinstance(deps, list):
            return
        entries: list[str] = []
        for dep in deps:
            if isinstance(dep, str):
                entries.append(dep)
            elif isinstance(dep, dict) and isinstance(dep.get("pip"), list):
                entries.extend(str(item) for item in dep["pip"])
        unpinned: list[str] = []
        for dep in entries:
            name = re.split(r"[=<>!~ \[]", dep.strip(), maxsplit=1)[0]
            if name.lower() in ("python", "pip") or name.startswith(("-", ".", "/")):
                continue
            if re.search(r"(?<![<>!~])==?\d", dep) and not re.search(r"[<>*]", dep):
                continue
            if "@" in dep and (direct := parse_requirement(dep.strip())) and direct.pinned:
                continue  # a pip direct reference to a versioned file, a tag or a commit
            unpinned.append(dep)
        if not unpinned or _declared_by_open_requirements(repo, path, unpinned):
            return
        yield Violation(
            f"conda dependency `{unpinned[0]}` is not pinned and no conda-lock file pins it"
            if len(unpinned) == 1
            else f"{len(unpinned)} conda dependencies are not pinned and no conda-lock file "
            "pins them: " + _listed([f"`{dep}`" for dep in unpinned]),
            line=find_line(source.lines, unpinned[0]),
            path=path,
            fix="Pin them (`name=1.2.3`) or generate a lock with conda-lock and commit it.",
        )


def _declared_by_open_requirements(repo: Repo, path: str, unpinned: list[str]) -> bool:
    """Whether requirements files beside the conda environment `path` declare each of its
    `unpinned` entries (conda's `pytorch` is pip's `torch`) and leave some entry open
    themselves: the same list written twice, reported at the requirements file."""
    from twelvefold.detectors.import_names import distributions_for

    declared: set[str] = set()
    open_entries = False
    for entry in repo.of_kind(kinds.REQUIREMENTS):
        if posixpath.dirname(entry.path) != posixpath.dirname(path):
            continue
        if _DEV_REQUIREMENTS.search(posixpath.basename(entry.path)):
            continue  # not checked by TF202: the conda finding would be lost
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        requirements, _, hashed = parse_requirements(source.text)
        open_entries = open_entries or (not hashed and any(not r.pinned for r in requirements))
        for requirement in requirements:
            declared.add(requirement.name)
            declared.update(normalise(d) for d in distributions_for(requirement.name) or ())
    if not open_entries or not declared:
        return False
    names = [
        re.split(r"[=<>!~ \[]", dep.split("::", 1)[-1].strip(), maxsplit=1)[0] for dep in unpinned
    ]
    return all(normalise(name) in declared for name in names)


def _is_build_tool(requirement: Requirement) -> bool:
    return is_build_tool(requirement.name)


def _listed(items: list[str], limit: int = 5) -> str:
    return ", ".join(items[:limit]) + (
        f" and {len(items) - limit} more" if len(items) > limit else ""
    )


#: Requirements of contributors' tools and docs builds, not of what runs.
_DEV_REQUIREMENTS = re.compile(
    r"(?:^|[-_.])(?:dev|docs?|lint|test|tests|ci)(?:[-_.]|$)|^(?:dev|docs?|test)-?requirements",
    re.I,
)


def _deployed(repo: Repo, path: str) -> bool:
    """Whether a deploy workflow names this requirements file, or its folder (a folder
    pushed whole to a hosting service): then it defines what runs somewhere. CI that
    only installs it to test does not count: a library tests against what its users
    get, ranges included."""
    deploys = repo.derived(_deploy_texts)
    if not deploys:
        return False
    folder = posixpath.dirname(path)
    boundary = r"(?<![\w./-])"
    named = re.compile(boundary + re.escape(path) + r"(?![\w.-])")
    in_folder = (
        re.compile(boundary + re.escape(folder) + r"(?:[/\s'\"]|$)", re.M) if folder else None
    )
    return any(named.search(text) or (in_folder and in_folder.search(text)) for text in deploys)


_DEPLOY_WORKFLOW = re.compile(r"deploy|release|publish|space|cd\b|cd[-_.]", re.I)


def _deploy_texts(repo: Repo) -> list[str]:
    texts = []
    for path, _ in ci_files(repo):
        if not _DEPLOY_WORKFLOW.search(posixpath.basename(path)):
            continue
        source = repo.source(path)
        if source is not None and source.text is not None:
            texts.append(source.text)
    return texts


class LockOutOfDate(RepoRule):
    """## What it does
    Compares a lock file with the manifest beside it and reports a lock that no longer
    matches: a dependency declared in `pyproject.toml` that `uv.lock` / `poetry.lock` /
    `pdm.lock` does not contain, a version specifier changed since the lock was written
    (uv), or a changed `requires-python` (uv). A `pdm.lock` is compared only for the
    groups its `[metadata] groups` lists (`pdm lock -G test` leaves the others out).

    ## Why is this bad?
    `uv sync --locked` and `poetry install` in CI fail or, worse, install an environment
    that is not the one the manifest describes; developers get a different set of
    packages than production.

    ## Example
    `pyproject.toml` gained `"polars>=1.0"` but `uv.lock` was not regenerated:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    version = "0.1.0"
    requires-python = ">=3.11"
    dependencies = ["pandas>=2.2", "polars>=1.0"]
    ```
    ```toml
    # uv.lock
    version = 1
    requires-python = ">=3.11"

    [[package]]
    name = "churn-model"
    version = "0.1.0"
    source = { editable = "." }
    dependencies = [{ name = "pandas" }]

    [package.metadata]
    requires-dist = [{ name = "pandas", specifier = ">=2.2" }]

    [[package]]
    name = "pandas"
    version = "2.2.3"
    source = { registry = "https://pypi.org/simple" }
    ```

    ## Use instead
    Run `uv lock` (or `poetry lock`, `pdm lock`) and commit the updated lock file:
    ```toml
    # uv.lock
    version = 1
    requires-python = ">=3.11"

    [[package]]
    name = "churn-model"
    version = "0.1.0"
    source = { editable = "." }
    dependencies = [{ name = "pandas" }, { name = "polars" }]

    [package.metadata]
    requires-dist = [
        { name = "pandas", specifier = ">=2.2" },
        { name = "polars", specifier = ">=1.0" },
    ]

    [[package]]
    name = "pandas"
    version = "2.2.3"
    source = { registry = "https://pypi.org/simple" }

    [[package]]
    name = "polars"
    version = "1.9.0"
    source = { registry = "https://pypi.org/simple" }
    ```
    """

    code = "TF203"
    depends_on = ("@manifests", "@locks")
    name = "lock-out-of-date"
    factor = 2
    severity = Severity.ERROR
    summary = "Lock file out of date with its manifest"
    fix = "Regenerate the lock (uv lock / poetry lock / pdm lock) and commit it."

    def check(self, repo: Repo) -> Iterator[Violation]:
        for entry in repo.named("pyproject.toml"):
            directory = posixpath.dirname(entry.path)
            source = repo.source(entry.path)
            if source is None or source.toml is None:
                continue
            for lock_name, tool in (
                ("uv.lock", "uv"),
                ("poetry.lock", "poetry"),
                ("pdm.lock", "pdm"),
            ):
                lock_path = posixpath.join(directory, lock_name) if directory else lock_name
                if repo.has(lock_path):
                    lock = repo.source(lock_path)
                    if lock is not None and lock.toml is not None:
                        manifest = source.toml
                        if tool == "pdm":
                            manifest = self._pdm_locked_groups(manifest, lock.toml)
                        yield from _compare_lock(entry.path, manifest, lock_path, lock, tool)

    @staticmethod
    def _pdm_locked_groups(manifest: dict[str, Any], lock: dict[str, Any]) -> dict[str, Any]:
        """The manifest cut down to the groups a pdm.lock says it holds
        (`[metadata] groups`, `default` being `[project] dependencies`): `pdm lock -G test`
        deliberately leaves the other optional groups out. A lock that lists no groups is
        compared with all of them."""
        metadata = lock.get("metadata")
        groups = metadata.get("groups") if isinstance(metadata, dict) else None
        if not isinstance(groups, list) or not groups:
            return manifest
        locked = {normalise(str(group)) for group in groups}
        project = manifest.get("project")
        cut = dict(manifest)
        if isinstance(project, dict):
            project = dict(project)
            if "default" not in locked:
                project["dependencies"] = []
            optional = project.get("optional-dependencies")
            if isinstance(optional, dict):
                project["optional-dependencies"] = {
                    name: deps for name, deps in optional.items() if normalise(str(name)) in locked
                }
            cut["project"] = project
        dependency_groups = manifest.get("dependency-groups")
        if isinstance(dependency_groups, dict):
            cut["dependency-groups"] = {
                name: deps
                for name, deps in dependency_groups.items()
                if normalise(str(name)) in locked
            }
        return cut


def _compare_lock(
    manifest_path: str, manifest: dict[str, Any], lock_path: str, lock: SourceFile, tool: str
) -> Iterator[Violation]:
    data = lock.toml or {}
    listed = data.get("package")
    packages = [p for p in listed if isinstance(p, dict)] if isinstance(listed, list) else []
    locked_names = {normalise(str(p.get("name", ""))) for p in packages}
    project = manifest.get("project") if isinstance(manifest.get("project"), dict) else {}
    own_name = normalise(str(project.get("name", ""))) if project else ""
    declared: list[str] = pyproject_all_dependencies(manifest) if tool != "poetry" else []
    if tool == "poetry":
        declared = list(poetry_dependencies(manifest)) + pyproject_dependencies(manifest)
    problems: list[str] = []
    missing = []
    for text in declared:
        requirement = (
            parse_requirement(text)
            if tool != "poetry" or " " in text or any(c in text for c in "<>=")
            else None
        )
        name = (
            requirement.name
            if requirement
            else normalise(re.split(r"[\s\[<>=!~;]", text, maxsplit=1)[0])
        )
        if name and name != own_name and name not in locked_names:
            missing.append(name)
    if missing:
        problems.append("not in the lock: " + ", ".join(f"`{n}`" for n in sorted(set(missing))[:5]))
    if tool == "uv":
        problems.extend(_uv_metadata_drift(manifest, packages, own_name, data))
    if problems:
        yield Violation(
            f"{lock_path} is out of date with {manifest_path}: " + "; ".join(problems),
            path=lock_path,
            line=None,
            fix=f"Run `{tool} lock` and commit {lock_path}.",
        )


def _uv_metadata_drift(
    manifest: dict[str, Any], packages: list[dict[str, Any]], own_name: str, lock: dict[str, Any]
) -> list[str]:
    """uv records the manifest's requirements in the lock; compare them."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    root = next(
        (
            p
            for p in packages
            if normalise(str(p.get("name", ""))) == own_name and isinstance(p.get("metadata"), dict)
        ),
        None,
    )
    problems: list[str] = []
    project = manifest.get("project") if isinstance(manifest.get("project"), dict) else {}
    declared_python = project.get("requires-python") if project else None
    locked_python = lock.get("requires-python")
    if declared_python and locked_python:
        try:
            if SpecifierSet(str(declared_python)) != SpecifierSet(str(locked_python)):
                problems.append(
                    f"requires-python is `{declared_python}` but the lock has `{locked_python}`"
                )
        except InvalidSpecifier:
            pass
    if root is None:
        return problems
    locked: dict[str, set[str]] = {}
    metadata = root["metadata"]
    # A lock written by hand (or by a hostile pull request) can hold any type anywhere.
    dist, dev = metadata.get("requires-dist"), metadata.get("requires-dev")
    entries = list(dist) if isinstance(dist, list) else []
    for group in dev.values() if isinstance(dev, dict) else ():
        entries.extend(group if isinstance(group, list) else [])
    for item in entries:
        if isinstance(item, dict) and "name" in item:
            locked.setdefault(normalise(str(item["name"])), set()).add(
                _spec(str(item.get("specifier", "")))
            )
    declared: dict[str, set[str]] = {}
    for text in pyproject_all_dependencies(manifest):
        requirement = parse_requirement(text)
        if requirement is None or requirement.name == own_name:
            continue
        from packaging.requirements import Requirement as Pep508

        declared.setdefault(requirement.name, set()).add(_spec(str(Pep508(text).specifier)))
    changed = [
        f"`{name}` ({', '.join(sorted(spec))} declared, {', '.join(sorted(locked[name])) or 'any'} locked)"
        for name, spec in sorted(declared.items())
        if name in locked and not spec <= locked[name]
    ]
    removed = sorted(set(locked) - set(declared))
    if changed:
        problems.append("specifier changed for " + ", ".join(changed[:3]))
    if removed and declared:
        problems.append(
            "removed from the manifest but still locked: "
            + ", ".join(f"`{n}`" for n in removed[:5])
        )
    return problems


def _spec(text: str) -> str:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return ",".join(sorted(str(s) for s in SpecifierSet(text)))
    except InvalidSpecifier:
        return text


class PythonVersionNotDeclared(RepoRule):
    """## What it does
    Reports a Python project that does not say which Python it runs on: no
    `requires-python` in `pyproject.toml`, no `.python-version`, no `python_requires`
    in `setup.cfg`/`setup.py`, no `python` in a conda environment (`environment.yml` or
    any file shaped like one, see TF201), no `runtime.txt`, no `python` in Poetry's dependencies or a Pipfile. Outside a library,
    the version fixed where the code is built or deployed counts too: `build.python_version`
    in a `cog.yaml`, a Dockerfile `FROM python:3.11-slim` (not `python:latest`), an app
    config's `runtime: python311`, a deploy command's `--runtime=python37`.

    ## Why is this bad?
    Python itself is a dependency. Pickled models, wheels and syntax differ between
    versions: a model trained on 3.12 and served on 3.9 fails at load time or, worse,
    behaves differently.

    ## Example
    A `pyproject.toml` with `[project]` but no `requires-python`:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    version = "0.1.0"
    dependencies = ["pandas>=2.2", "scikit-learn>=1.5"]
    ```
    ```python
    # src/churn/train.py
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    ```

    ## Use instead
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    version = "0.1.0"
    requires-python = ">=3.11"
    dependencies = ["pandas>=2.2", "scikit-learn>=1.5"]
    ```
    and a `.python-version` file (`uv python pin 3.12`) for the exact interpreter.
    """

    code = "TF204"
    depends_on = (
        "@manifests",
        ".python-version",
        "runtime.txt",
        ".tool-versions",
        "@dockerfiles",
        "@ci",
        ".devcontainer.json",
        ".devcontainer/",
    )
    name = "python-version-not-declared"
    factor = 2
    severity = Severity.WARNING
    repo_kinds = frozenset(
        {
            project_kind.APPLICATION,
            project_kind.LIBRARY,
            project_kind.RESEARCH,
        }
    )
    summary = "Python version not declared (requires-python, .python-version)"
    fix = "Add `requires-python` to pyproject.toml and a .python-version file."
    requires = ("TF201",)

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if repo.named(".python-version", "runtime.txt", ".tool-versions"):
            return
        for entry in repo.named("pyproject.toml"):
            source = repo.source(entry.path)
            data = source.toml if source is not None else None
            if not isinstance(data, dict):
                continue
            project = data.get("project")
            if isinstance(project, dict) and project.get("requires-python"):
                return
            if "python" in {k.lower() for k in poetry_dependencies_with_python(data)}:
                return
        # Conda environments under any name (`conda_dependencies.yml`) pin `python=3.7.*`.
        paths = [e.path for e in repo.named("setup.cfg", "setup.py", "Pipfile")]
        for path in [*paths, *repo.derived(_conda_environments)]:
            source = repo.source(path)
            if source is None or source.text is None:
                continue
            if re.search(
                r"python_requires|python_version|^\s*-\s*python\s*[=<>]", source.text, re.MULTILINE
            ):
                return
        if repo.model.kind != project_kind.LIBRARY and _python_fixed_where_it_runs(repo):
            return
        manifest = next(iter(repo.named("pyproject.toml")), None)
        yield Violation(
            "no Python version is declared (no requires-python, .python-version or equivalent)",
            path=manifest.path if manifest is not None else None,
        )


#: Roles whose build and deploy files say nothing of where the product runs.
_NOT_THE_PRODUCT = frozenset({role.TEST, role.DOCS, role.EXAMPLE, role.BENCHMARK})
#: A Python base image tag naming a minor version: `3.11`, `3.11.9`, `3.12-slim-bookworm`.
_PYTHON_TAG = lazy_compile(r"[23]\.\d+(?:\.\d+)?(?:[-_.a-z].*)?")
#: `runtime: python311` (App Engine), `Runtime: python3.11` (AWS SAM, Serverless).
_RUNTIME_KEY = lazy_compile(r"^\s*-?\s*runtime\s*:\s*[\"']?python3\.?\d+\b", re.IGNORECASE | re.M)
#: `gcloud functions deploy ... --runtime=python37` (also `--runtime python311` and the
#: argument-list form `'--runtime', 'python311'` of Cloud Build).
_RUNTIME_FLAG = lazy_compile(r"--runtime(?:=|\s+|[\"']\s*,\s*[\"'])python3\.?\d+\b")


#: A dev container's definition: `.devcontainer.json`, `.devcontainer/devcontainer.json`,
#: `.devcontainer/<name>/devcontainer.json`.
_DEVCONTAINER_FILE = lazy_compile(
    r"\.devcontainer\.json|\.devcontainer/(?:[^/]+/)?\.?devcontainer\.json"
)
#: A string, a `//` comment or a `/* */` comment of JSON with comments (a string first,
#: so `"https://..."` is never read as the start of a comment).
_JSONC_TOKEN = lazy_compile(r'("(?:\\.|[^"\\\n])*")|//[^\n]*|/\*.*?\*/', re.DOTALL)
_TRAILING_COMMA = lazy_compile(r",(\s*[}\]])")
#: A Python image tag naming a minor version, with the dev container images' optional
#: major prefix: `3.10`, `3.11-bookworm`, `1-3.12`, `0-3.10-bullseye`.
_DEVCONTAINER_PYTHON_TAG = lazy_compile(r"(?:\d+-)?[23]\.\d+(?:\.\d+)?(?:[-_.a-z].*)?")


def _load_jsonc(text: str) -> Any:
    """A JSON-with-comments document (dev container files allow `//` and `/* */`
    comments and trailing commas), or None when it does not parse."""
    import json

    bare = _JSONC_TOKEN.sub(lambda m: m.group(1) or "", text)
    bare = _TRAILING_COMMA.sub(r"\1", bare)
    try:
        return json.loads(bare)
    except ValueError:
        return None


def _devcontainer_python(text: str) -> bool:
    """Whether a dev container fixes a Python minor version: `"image":
    "mcr.microsoft.com/devcontainers/python:3.10"`, or the Python feature with a version
    (`"ghcr.io/devcontainers/features/python:1": {"version": "3.11"}`)."""
    from twelvefold.detectors import dockerfile

    data = _load_jsonc(text)
    if not isinstance(data, dict):
        return False
    image = data.get("image")
    if isinstance(image, str):
        repository, tag, _ = dockerfile.split_image(image.strip())
        if repository.rsplit("/", 1)[-1] == "python" and _DEVCONTAINER_PYTHON_TAG.fullmatch(
            tag or ""
        ):
            return True
    features = data.get("features")
    if isinstance(features, dict):
        for feature, options in features.items():
            repository, _, _ = dockerfile.split_image(str(feature))
            version = options.get("version") if isinstance(options, dict) else None
            if repository.rsplit("/", 1)[-1] == "python" and _PYTHON_TAG.fullmatch(
                str(version or "")
            ):
                return True
    return False


def _python_fixed_where_it_runs(repo: Repo) -> bool:
    """Whether the Python version is fixed where an application is built or deployed:
    `build.python_version` in a `cog.yaml`, a Dockerfile `FROM python:3.11-slim` (not
    `python:latest` or `python`), an app config's `runtime: python311`, or a deploy
    command's `--runtime=python37`; or where it is developed: a dev container on a
    Python image with a version (`"image": "mcr.microsoft.com/devcontainers/python:3.10"`
    in `.devcontainer.json` or `.devcontainer/devcontainer.json`, comments allowed) or
    with the Python feature at a version. Files of tests, docs, examples and benchmarks
    do not count: they do not say where the product runs."""
    from twelvefold.detectors import dockerfile

    for entry in repo.files:
        if repo.model.role(entry.path) in _NOT_THE_PRODUCT:
            continue
        name = posixpath.basename(entry.path)
        if _DEVCONTAINER_FILE.fullmatch(entry.path):
            source = repo.source(entry.path)
            if source is not None and source.text is not None and _devcontainer_python(source.text):
                return True
            continue
        if entry.kind == kinds.DOCKERFILE:
            source = repo.source(entry.path)
            if source is None or source.text is None:
                continue
            parsed = dockerfile.parse(source.text)
            variables = parsed.global_args
            for stage in parsed.stages:
                image = dockerfile.expand(stage.base, variables)
                repository, tag, _ = dockerfile.split_image(image or "")
                if repository.rsplit("/", 1)[-1] == "python" and _PYTHON_TAG.fullmatch(tag or ""):
                    return True
            continue
        if entry.kind not in (kinds.YAML, kinds.SHELL, kinds.MAKEFILE, kinds.NOTEBOOK):
            continue
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        if name in ("cog.yaml", "cog.yml"):
            data = source.yaml
            build = data.get("build") if isinstance(data, dict) else None
            if isinstance(build, dict) and str(build.get("python_version") or "").strip():
                return True
        if "runtime" not in source.text.lower():
            continue
        if _RUNTIME_FLAG.search(source.text):
            return True
        if entry.kind == kinds.YAML and _RUNTIME_KEY.search(source.text):
            return True
    return False


def poetry_dependencies_with_python(data: dict[str, Any]) -> dict[str, Any]:
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    deps = poetry.get("dependencies") if isinstance(poetry, dict) else None
    return deps if isinstance(deps, dict) else {}


_NOTEBOOK_INSTALL = lazy_compile(
    r"^\s*[!%]\s*(?:(?:python3?|\S*/python3?)\s+-m\s+)?(?:pip3?|conda|mamba|micromamba|uv\s+pip|poetry|pipenv)\s+(?:install|add)\b"
)
_SHELL_INSTALL = lazy_compile(
    r"(?:^|[\s;&|(])(?:python3?\s+-m\s+)?(?:pip3?|uv\s+pip|conda|mamba)\s+install\b"
)
#: A cell magic that runs the whole cell in a shell (`%%bash`, `%%sh`, `%%script bash`).
_SHELL_CELL = lazy_compile(r"^\s*%%(?:bash|sh|script\s+(?:ba|z)?sh|system)\b")
_RUNNERS = frozenset(
    {
        "run",
        "call",
        "check_call",
        "check_output",
        "Popen",
        "system",
        "popen",
        "getoutput",
        "getstatusoutput",
    }
)
#: Build and task tooling whose job is installing things.
_TOOLING_FILES = frozenset(
    {"noxfile.py", "setup.py", "tasks.py", "fabfile.py", "dodo.py", "conftest.py"}
)


class RuntimePackageInstall(FileRule):
    """## What it does
    Reports packages installed while the code runs: `!pip install` / `%pip install` /
    `!conda install` in notebook cells (and `pip install` inside `%%bash` cells), and `subprocess`/`os.system` calls that run
    `pip install` (including `[sys.executable, "-m", "pip", "install", ...]`) or
    `pip.main(["install", ...])` in Python code: once per function (the branches of
    one installer are one fix), at its first install.

    Build and task files (`setup.py`, `noxfile.py`, `tasks.py`) and test code (which may
    build throwaway environments) are not checked, nor are strings that merely mention
    `pip install` (error messages, docs). A notebook is reported once, at its first
    install, and only in an application (kind `application`): a demo, course or research
    notebook opened in Colab installs what it needs in its first cell, which is how it
    runs. Examples, docs and benchmarks are not checked.

    ## Why is this bad?
    The environment then depends on when and where the code ran: versions are not pinned
    or locked, installs fail offline or behind a proxy in production, and a notebook
    that "works" cannot be reproduced from the manifest.

    ## Example
    A notebook cell and a training script that install packages as they run:
    ```python
    # notebooks/churn_model.ipynb
    !pip install xgboost
    import xgboost as xgb
    ```
    ```python
    # src/churn/train.py
    import subprocess
    import sys

    subprocess.check_call([sys.executable, "-m", "pip", "install", "lightgbm"])
    import lightgbm as lgb
    ```

    ## Use instead
    Declare `xgboost` and `lightgbm` in the manifest, lock them, and install the
    environment before running (`uv sync`); select that environment as the notebook's
    kernel:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    requires-python = ">=3.11"
    dependencies = ["lightgbm>=4.5", "xgboost>=2.1"]
    ```
    ```python
    # notebooks/churn_model.ipynb
    import xgboost as xgb
    ```
    ```python
    # src/churn/train.py
    import lightgbm as lgb
    ```
    """

    code = "TF205"
    name = "runtime-package-install"
    factor = 2
    severity = Severity.WARNING
    roles = frozenset({role.PACKAGE, role.SCRIPT, role.NOTEBOOK})
    summary = "Packages installed at run time (pip install in code or notebooks)"
    fix = (
        "Declare the package in the manifest, lock it, and install the environment before running."
    )
    kinds = frozenset({kinds.PYTHON, kinds.NOTEBOOK})
    prefilter = b"install"

    def check(self, file: SourceFile) -> Iterator[Violation]:
        name = posixpath.basename(file.path)
        if name in _TOOLING_FILES or kinds.is_test_path(file.path):
            return
        if file.kind == kinds.NOTEBOOK:
            if file.repo_kind == project_kind.APPLICATION and file.notebook is not None:
                yield from self._notebook(file.notebook)
            return
        python = file.python
        if python is None or b"pip" not in file.data:
            return
        tree = python.tree
        if tree is None:
            return
        # One report per function: the branches of one installer (`pip install x==v` /
        # `pip install x`) are fixed together. Module-level installs are each reported.
        functions: list[ast.AST] = [
            node
            for node in walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        ]
        groups: dict[int, list[ast.Call]] = {}
        for node in walk(tree):
            if isinstance(node, ast.Call) and _is_pip_install_call(node):
                scope = innermost(functions, node)
                groups.setdefault(id(scope if scope is not None else node), []).append(node)
        for calls in groups.values():
            node = min(calls, key=lambda call: (call.lineno, call.col_offset))
            more = f" (and {len(calls) - 1} more in the same function)" if len(calls) > 1 else ""
            where = python.loc(node.lineno)
            yield Violation(
                f"`pip install` run from code{more}",
                line=where.line,
                column=node.col_offset + 1,
                cell=where.cell,
                cell_line=where.cell_line,
            )

    @staticmethod
    def _notebook(notebook: Any) -> Iterator[Violation]:
        installs: list[tuple[Any, int, str]] = []
        for cell in notebook.code_cells:
            shell_cell = bool(cell.lines) and bool(_SHELL_CELL.match(cell.lines[0]))
            for number, line in enumerate(cell.lines, start=1):
                if _NOTEBOOK_INSTALL.match(line) or (
                    shell_cell and number > 1 and _SHELL_INSTALL.search(line.split("#", 1)[0])
                ):
                    installs.append((cell, number, line.strip()[:80]))
        if not installs:
            return
        cell, number, text = installs[0]
        more = f" (and {len(installs) - 1} more install lines)" if len(installs) > 1 else ""
        yield Violation(
            f"package installed from a notebook cell: `{text}`{more}",
            line=cell.file_lines[number - 1],
            cell=cell.index,
            cell_line=number,
        )


def _call_name(func: ast.expr) -> str:
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


def _is_pip_install_call(node: ast.Call) -> bool:
    name = _call_name(node.func)
    last = name.rsplit(".", 1)[-1]
    if name in ("pip.main", "pip._internal.main", "pip._internal.cli.main.main"):
        return bool(node.args) and _words(node.args[0])[:1] == ["install"]
    # subprocess.run(...), os.system(...), get_ipython().system(...), a bare imported run(...)
    if last not in _RUNNERS or not node.args:
        return False
    words = _words(node.args[0])
    if len(words) == 1:
        return bool(_SHELL_INSTALL.search(words[0]))
    for index, word in enumerate(words[:-1]):
        base = posixpath.basename(word)
        if base in ("pip", "pip3") and words[index + 1] == "install":
            return True
        if base in ("uv",) and words[index + 1 : index + 3] == ["pip", "install"]:
            return True
    return False


def _words(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [
            "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
        ]
    if isinstance(node, (ast.List, ast.Tuple)):
        words: list[str] = []
        for element in node.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                words.append(element.value)
            elif _call_name(element) == "sys.executable" or (
                isinstance(element, ast.Attribute) and element.attr == "executable"
            ):
                words.append("python")
            else:
                words.append("")
        return words
    return []


# --- imports that no manifest declares ---------------------------------------------------

#: Folders whose code is not the project's runtime code (documentation, examples, benchmarks).
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def _is_project_code(file: SourceFile) -> bool:
    if kinds.is_test_path(file.path) or posixpath.basename(file.path) in _TOOLING_FILES:
        return False
    return file.role not in role.FOR_READING


#: Folders where a library keeps its opt-in integrations with other frameworks
#: (`bentoml/_internal/frameworks/`, `haystack/components/...`, `contrib/`): imported only
#: by users who installed that framework, so not dependencies of the library.
_INTEGRATION_FOLDERS = frozenset(
    {"integrations", "integration", "frameworks", "contrib", "plugins", "extensions", "backends"}
)


# No prefilter: nearly every module imports something, and reading every notebook means a
# malformed one is reported (one diagnostic) even when no other rule had a reason to open it.
@fact("python-imports", kinds=kinds.CODE_KINDS)
def python_imports(file: SourceFile) -> dict[str, list[Any]] | None:
    """Required absolute imports of a module or notebook: `[module, line, column, cell,
    cell_line]` each. Optional imports (inside `try: ... except ImportError` or a `with`
    that defers import errors, under an availability check, after a `check_requirements(...)` that installs on demand, or, in
    a library, inside a function) and type-checking-only imports (`if TYPE_CHECKING:`)
    are left out; so are packages the notebook installs itself (TF205 reports those)."""
    if not _is_project_code(file):
        return None
    lazy_optional = file.repo_kind == project_kind.LIBRARY
    if lazy_optional and not _INTEGRATION_FOLDERS.isdisjoint(
        folder.lower() for folder in file.path.split("/")[:-1]
    ):
        return None  # a library's opt-in integration: its users install that stack
    python = file.python
    if python is None or python.tree is None:
        return None
    found: list[list[Any]] = []
    for node in _required_imports(python.tree, lazy_optional=lazy_optional):
        modules = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else _from_import_modules(node)
        )
        where = python.loc(node.lineno)
        for module in modules:
            if module:
                found.append([module, where.line, node.col_offset + 1, where.cell, where.cell_line])
    installed: list[str] = []
    if file.kind == kinds.NOTEBOOK and file.notebook is not None:
        for cell in file.notebook.code_cells:
            installed.extend(pip_installed_names("\n".join(cell.lines)))
    return {"imports": found, "installed": installed} if found else None


#: The fields of a statement that hold statements, in `ast.iter_child_nodes` order.
#: Imports are statements, so the search never needs to enter an expression.
_BLOCK_FIELDS = ("body", "handlers", "orelse", "finalbody", "cases")
#: `try` statements: `try/except*` (`ast.TryStar`, Python 3.11+) has the fields of `ast.Try`.
if sys.version_info >= (3, 11):
    _TRY_NODES: tuple[type[ast.Try] | type[ast.TryStar], ...] = (ast.Try, ast.TryStar)
else:
    _TRY_NODES = (ast.Try,)


def _from_import_modules(node: ast.ImportFrom) -> list[str]:
    """What a `from X import a, b` needs: `X`, or, when `X` is a namespace package that
    several distributions share (`from google.cloud import storage, bigquery`), the
    sub-packages it names (`google.cloud.storage`, `google.cloud.bigquery`)."""
    module = node.module or ""
    if not module or distributions_for(module) is not None:
        return [module]
    named = [
        f"{module}.{alias.name}"
        for alias in node.names
        if alias.name != "*" and distributions_for(f"{module}.{alias.name}") is not None
    ]
    return named or [module]


def _required_imports(
    tree: ast.AST, *, lazy_optional: bool = False
) -> list[ast.Import | ast.ImportFrom]:
    """The imports a module needs to run. `lazy_optional`: imports inside a function or
    method body are optional integrations loaded on use (a library's `def to_wandb():
    import wandb`), and left out."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.append(node)
            return
        if isinstance(node, ast.ImportFrom):
            if not node.level:
                found.append(node)
            return
        if lazy_optional and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        fields: tuple[str, ...] = _BLOCK_FIELDS
        if isinstance(node, _TRY_NODES) and _catches_import_error(node):
            fields = ("handlers", "orelse", "finalbody")
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            fields = ("orelse",)
        elif isinstance(node, ast.If) and (available := _availability_check(node.test)) is not None:
            fields = ("orelse",) if available else ("body",)
        elif isinstance(node, (ast.With, ast.AsyncWith)) and any(
            _suppresses_import_error(item.context_expr) or _defers_import_errors(item.context_expr)
            for item in node.items
        ):
            return
        for field in fields:
            block = getattr(node, field, None)
            if isinstance(block, list):
                for child in block:
                    if _installs_on_demand(child):
                        break  # what follows imports what the call just installed
                    visit(child)

    visit(tree)
    return found


#: Calls that say whether a module can be imported: `importlib.util.find_spec("x")`,
#: `is_torch_available()` (transformers, diffusers, accelerate), `module_available("x")`
#: and `package_available("x")` (lightning), `pkgutil.find_loader("x")`. Not
#: `torch.cuda.is_available()`: it asks about a device, not a module.
_AVAILABILITY_CALL = re.compile(
    r"_?(?:is_\w+_available|find_spec|find_loader|module_available|package_available)"
)
#: Flags set from such a check: `_WANDB_AVAILABLE`, `HAS_MLFLOW`.
_AVAILABILITY_FLAG = re.compile(r"_?(?:[A-Z][A-Z0-9_]*_AVAILABLE|HAS_[A-Z][A-Z0-9_]*)")


def _availability_check(test: ast.expr) -> bool | None:
    """Whether an `if` test asks that a module be importable: True when its body runs only
    if it is (`if find_spec("x"):`, `if is_x_available() and ...:`), False when its body
    runs only if it is not (`if find_spec("x") is None:`, `if not _X_AVAILABLE:`), None
    when the test is no such check."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _availability_check(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        checks = [_availability_check(value) for value in test.values]
        if isinstance(test.op, ast.And) and True in checks:
            return True  # the body needs every operand, the check among them
        if isinstance(test.op, ast.Or) and checks and all(c is False for c in checks):
            return False
        return None
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.IsNot))
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        inner = _availability_check(test.left)
        if inner is None:
            return None
        return inner if isinstance(test.ops[0], ast.IsNot) else not inner
    if isinstance(test, ast.Call):
        name = _call_name(test.func).rsplit(".", 1)[-1]
        return True if _AVAILABILITY_CALL.fullmatch(name) else None
    if isinstance(test, (ast.Name, ast.Attribute)):
        name = _call_name(test).rsplit(".", 1)[-1]
        return True if _AVAILABILITY_FLAG.fullmatch(name) else None
    return None


def _installs_on_demand(statement: ast.AST) -> bool:
    """A `check_requirements(...)` call (YOLOv5, Ultralytics): it installs the packages it
    names when they are missing, so the imports after it in the same block are optional."""
    value = getattr(statement, "value", None)
    return (
        isinstance(statement, (ast.Expr, ast.Assign, ast.AnnAssign))
        and isinstance(value, ast.Call)
        and _call_name(value.func).rsplit(".", 1)[-1] == "check_requirements"
    )


def _catches_import_error(node: ast.Try) -> bool:
    for handler in node.handlers:
        if handler.type is None:
            return True
        types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(_call_name(t).rsplit(".", 1)[-1] in _IMPORT_ERRORS for t in types):
            return True
    return False


def _is_type_checking(test: ast.expr) -> bool:
    return _call_name(test).rsplit(".", 1)[-1] == "TYPE_CHECKING"


def _suppresses_import_error(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Call)
        and _call_name(expr.func).rsplit(".", 1)[-1] == "suppress"
        and any(_call_name(arg).rsplit(".", 1)[-1] in _IMPORT_ERRORS for arg in expr.args)
    )


#: The words of a name: `LazyImport` -> lazy, import; `try_import` -> try, import.
_NAME_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
#: Words that name a guard of optional imports.
_OPTIONAL_IMPORT_WORDS = frozenset({"import", "imports", "optional"})


def _defers_import_errors(expr: ast.expr) -> bool:
    """A context manager that makes the imports in its block optional, by its name:
    `LazyImport("Run 'pip install x'")` (the `lazy_imports` package, Haystack),
    `try_import()` (Optuna), `optional_import("x")`, `OptionalDependency(...)`. It
    catches the `ImportError` and raises it again on first use of the feature."""
    target = expr.func if isinstance(expr, ast.Call) else expr
    name = _call_name(target).rsplit(".", 1)[-1]
    words = {word.lower() for word in _NAME_WORDS.findall(name)}
    return not words.isdisjoint(_OPTIONAL_IMPORT_WORDS)


def _own_modules(repo: Repo) -> set[str]:
    """Every folder on the way to a Python file and every module name: the project's own
    importable names, whatever the layout (flat, src/, namespace folders, monorepos)."""
    own: set[str] = set()
    for entry in repo.files:
        if entry.kind != kinds.PYTHON:
            continue
        parts = entry.path.split("/")
        own.update(part for part in parts[:-1] if part.isidentifier())
        stem = parts[-1][:-3]
        if stem.isidentifier():
            own.add(stem)
    return own


class _Project:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.names: set[str] = set()
        self.manifests: list[str] = []
        self.opaque = False
        self.own_name: str | None = None


def _projects(repo: Repo) -> dict[str, _Project]:
    """Projects by folder ("" is the root): each folder holding a project file, with the
    distributions its manifests declare."""
    folders = {posixpath.dirname(e.path) for e in repo.named(*PROJECT_FILES)}
    projects = {folder: _Project(folder) for folder in folders | {""}}
    conda = set(repo.derived(_conda_environments))
    named = {e.path for e in repo.named(*MANIFEST_NAMES)} | conda
    manifest_entries = [e for e in repo.files if e.kind == kinds.REQUIREMENTS or e.path in named]
    for entry in manifest_entries:
        if kinds.is_test_path(entry.path):
            continue
        owner = projects[_owner(entry.path, folders)]
        source = repo.source(entry.path)
        if source is None or source.text is None:
            owner.opaque = True
            continue
        name = posixpath.basename(entry.path)
        data = source.toml if name in ("pyproject.toml", "Pipfile") else None
        declared = (
            conda_declarations(source.yaml)
            if entry.path in conda
            else declarations(entry.path, source.text, data)
        )
        owner.names |= declared.names
        owner.manifests.append(entry.path)
        owner.opaque = owner.opaque or (declared.opaque and entry.kind != kinds.REQUIREMENTS)
        if declared.project and name in PROJECT_FILES:
            owner.own_name = declared.project
    for project in projects.values():
        if project.opaque and any(
            repo.by_path[m].kind == kinds.REQUIREMENTS for m in project.manifests
        ):
            project.opaque = False  # dynamic dependencies read from the requirements file
    return projects


def _third_party(module: str, own: set[str]) -> tuple[str, frozenset[str]] | None:
    """(normalised top-level name, candidate distributions) of a module TF206 can
    report: not the standard library, not the project's own, and known to the table."""
    top = module.split(".", 1)[0]
    if is_stdlib(module) or top in own:
        return None
    candidates = distributions_for(module)
    if not candidates:
        return None
    return normalise(top), frozenset(candidates)


def _owner(path: str, folders: set[str]) -> str:
    directory = posixpath.dirname(path)
    while directory and directory not in folders:
        directory = posixpath.dirname(directory)
    return directory


def _locked_by_folder(repo: Repo) -> dict[str, frozenset[str]]:
    """The distributions committed lock files pin (`Pipfile.lock`, `poetry.lock`,
    `uv.lock`, `pdm.lock`), by the folder holding the lock."""
    found: dict[str, set[str]] = {}
    for entry in repo.named(*DISTRIBUTION_LOCKS):
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        names = locked_distributions(entry.path, source.text)
        found.setdefault(posixpath.dirname(entry.path), set()).update(names)
    return {folder: frozenset(names) for folder, names in found.items()}


def _locked_above(locks: dict[str, frozenset[str]], folder: str) -> frozenset[str]:
    """What the locks in `folder` and the folders above it pin."""
    pinned: set[str] = set()
    while True:
        pinned |= locks.get(folder, frozenset())
        if not folder:
            return frozenset(pinned)
        folder = posixpath.dirname(folder)


def _dockerfile_installs(repo: Repo) -> set[str]:
    names: set[str] = set()
    for entry in repo.of_kind(kinds.DOCKERFILE):
        source = repo.source(entry.path)
        if source is not None and source.text is not None:
            names |= pip_installed_names(source.text)
    return names


class UndeclaredImport(RepoRule):
    """## What it does
    Reports a third-party module that the project's code imports (Python modules and
    notebook code cells) but that no manifest declares: not `pyproject.toml` (project,
    optional and dependency-group requirements, Poetry and PDM groups), not a
    `requirements*.txt`/`.in`, `setup.py` (read as AST, never run), `setup.cfg`,
    a conda environment (`environment.yml`, `conda.yaml`; conda and pip) or `Pipfile`,
    and not pinned by a committed lock file in the importing file's folder or above
    (`uv.lock`, `poetry.lock`, `pdm.lock`, the `default` section of `Pipfile.lock`). In a monorepo each project (a folder
    with its own `pyproject.toml`) is checked against its own manifests plus the root's,
    and the projects of the repository it depends on.

    Import names are mapped to distributions with a table of the common Python and ML
    stack (`sklearn` → `scikit-learn`, `cv2` → `opencv-python`/`-headless`, `yaml` →
    `PyYAML`, `PIL` → `Pillow`...). Modules the table does not know are never reported:
    without the mapping the rule cannot tell which distribution is missing. Never
    reported either: the standard library, the project's own modules and packages,
    relative imports, optional imports (inside `try: ... except ImportError`, inside a
    `with` whose context manager defers import errors: `contextlib.suppress(ImportError)`,
    `LazyImport(...)`, `try_import()`, `optional_import(...)`, under an
    availability check such as `if importlib.util.find_spec("x"):`, `if
    is_x_available():` or `if _X_AVAILABLE:`, after a `check_requirements(...)` call that
    installs on demand in the same block, and, in a library, inside a function or method
    body: a lazily loaded optional integration), imports under `if TYPE_CHECKING:`, code
    in tests, docs, examples and benchmarks, `boto3`/`botocore` in an AWS Lambda handler
    that a `serverless.yml` or SAM template deploys on a Python runtime (the runtime
    provides them), what a well-known base image ships to the code its Dockerfile builds
    (its folder, or the compose `build:` context: `fastapi` under `FROM
    tiangolo/uvicorn-gunicorn-fastapi`, `torch` under `FROM pytorch/pytorch`,
    `tensorflow` under `FROM tensorflow/tensorflow`), and modules that a declared distribution
    always installs (`numpy` and `dateutil` with `pandas`, `pydantic` with `fastapi`,
    `omegaconf` with `hydra-core`, `plotly` with `dash`: they are locked with it). One finding
    per missing distribution and project, at its first import.

    ## Why is this bad?
    The code works on the machine where the package happens to be installed, and fails
    with `ModuleNotFoundError` in CI, in the image and on a colleague's laptop. The
    version that produced the results is recorded nowhere.

    ## Example
    ```text
    # requirements.txt
    pandas==2.2.3
    matplotlib==3.9.2
    ```
    ```python
    # src/churn/plots.py
    import matplotlib.pyplot as plt
    import seaborn as sns
    ```

    ## Use instead
    Declare it: `uv add seaborn` (or add `seaborn==0.13.2` to `requirements.txt`) and
    commit the updated lock.
    ```text
    # requirements.txt
    pandas==2.2.3
    matplotlib==3.9.2
    seaborn==0.13.2
    ```
    """

    code = "TF206"
    depends_on = (
        "@code",
        "@manifests",
        "@locks",
        "@dockerfiles",
        "docker-compose*.y*ml",
        "compose*.y*ml",
    )
    name = "undeclared-import"
    factor = 2
    severity = Severity.WARNING
    roles = role.PRODUCT
    summary = "Third-party module imported but declared in no manifest"
    fix = "Declare the distribution in the project's manifest and re-lock."
    requires = ("TF201",)
    facts = ("python-imports",)

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        collected = repo.facts("python-imports")
        if not collected:
            return
        projects = _projects(repo)
        folders = set(projects) - {""}
        by_name = {p.own_name: p for p in projects.values() if p.own_name}
        root = projects[""]
        own = _own_modules(repo)
        extra = _dockerfile_installs(repo)
        handlers = repo.derived(_python_lambda_handlers)
        images = repo.derived(_base_image_distributions)
        locks = _locked_by_folder(repo)
        locked_in: dict[str, frozenset[str]] = {}  # folder -> what the locks above pin
        # (project folder, module) -> [path, line, column, cell, cell_line, count]
        missing: dict[tuple[str, str], list[Any]] = {}
        owners: dict[str, str] = {}  # folder -> project folder
        # What a project declares, by the names installed in its notebooks (mostly none):
        # thousands of modules share a handful of these.
        declared_by: dict[tuple[str, frozenset[str]], set[str]] = {}
        third_party: dict[str, tuple[str, frozenset[str]] | None] = {}
        for path in sorted(collected):
            folder = posixpath.dirname(path)
            owner = owners.get(folder)
            if owner is None:
                owner = owners[folder] = _owner(path, folders)
            project = projects[owner]
            if project.opaque or root.opaque:
                continue
            if not project.manifests and not root.manifests and not extra:
                continue  # TF201 reports a repository with no manifest at all
            installed = frozenset(collected[path].get("installed", ()))
            declared = declared_by.get((owner, installed))
            if declared is None:
                declared = project.names | root.names | extra | installed
                for dependency in list(declared):
                    member = by_name.get(dependency)
                    if member is not None and member is not project:
                        declared |= member.names
                declared = declared_by[(owner, installed)] = with_requirements(declared)
            locked = locked_in.get(folder)
            if locked is None:
                locked = locked_in[folder] = _locked_above(locks, folder)
            for module, line, column, cell, cell_line in collected[path]["imports"]:
                if module in third_party:
                    known = third_party[module]
                else:
                    known = third_party[module] = _third_party(module, own)
                if known is None:
                    continue
                top, names = known
                if top in declared or not names.isdisjoint(declared):
                    continue
                if path in handlers and top in _LAMBDA_PROVIDED:
                    continue  # the Lambda Python runtime provides it to the handler
                shipped = _shipped_by_base_image(images, folder)
                if top in shipped or not names.isdisjoint(shipped):
                    continue  # the base image of the module's Dockerfile ships it
                if top in locked or not names.isdisjoint(locked):
                    continue  # a committed lock file pins it
                distributions = distributions_for(module)
                assert distributions  # `known` is not None: the table knows `module`
                key = (project.directory, distributions[0])
                if key in missing:
                    missing[key][-1] += 1
                else:
                    missing[key] = [module, path, line, column, cell, cell_line, 1]
        for (folder, distribution), (module, path, line, column, cell, cell_line, count) in sorted(
            missing.items(), key=lambda item: (item[1][1], item[1][2] or 0)
        ):
            project = projects[folder]
            fix = _declare_fix(repo, project if project.manifests else root, distribution, path)
            also = f" (and {count - 1} more imports in the project)" if count > 1 else ""
            alternatives = distributions_for(module) or (distribution,)
            which = (
                f"`{distribution}`"
                if len(alternatives) == 1
                else "one of " + ", ".join(f"`{d}`" for d in alternatives[:4])
            )
            yield Violation(
                f"`{module}` is imported but no manifest declares it: {which} is missing{also}",
                path=path,
                line=line,
                column=column,
                cell=cell,
                cell_line=cell_line,
                fix=fix,
            )


def _shipped_by_base_image(images: Mapping[str, frozenset[str]], folder: str) -> frozenset[str]:
    """What the base image of the Dockerfile building `folder` (the nearest folder at or
    above it that an image is built from) ships."""
    while True:
        if folder in images:
            return images[folder]
        if not folder:
            return frozenset()
        folder = posixpath.dirname(folder)


def _base_image_distributions(repo: Repo) -> dict[str, frozenset[str]]:
    """Build folders -> the distributions the base image of their Dockerfile ships (with
    what those always install: fastapi brings starlette). A Dockerfile builds its own
    folder, and the `build:` context a compose file gives it; dev containers' images
    are editors' environments, not the product's."""
    from twelvefold.detectors import dockerfile

    shipped: dict[str, frozenset[str]] = {}
    by_path: dict[str, frozenset[str]] = {}
    for entry in repo.of_kind(kinds.DOCKERFILE):
        if entry.path.startswith(".devcontainer/"):
            continue
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        parsed = dockerfile.parse(source.text)
        stages = parsed.stages
        if not stages:
            continue
        named = {stage.name: stage for stage in stages if stage.name}
        final = stages[-1]
        seen = 0
        while final.base.lower() in named and seen < len(stages):  # `FROM builder`
            final, seen = named[final.base.lower()], seen + 1
        image = dockerfile.expand(final.base, parsed.global_args)
        repository, _, _ = dockerfile.split_image(image or "")
        provided = base_image_distributions(repository)
        if provided:
            by_path[entry.path] = frozenset(with_requirements(set(provided)))
            shipped.setdefault(posixpath.dirname(entry.path), by_path[entry.path])
    if by_path:
        for context, path in _compose_builds(repo):
            if path in by_path:
                shipped[context] = by_path[path]
    return shipped


def _compose_builds(repo: Repo) -> Iterator[tuple[str, str]]:
    """(build context folder, Dockerfile path) of each service a compose file builds."""
    for entry in repo.files:
        name = posixpath.basename(entry.path)
        if not (name.startswith(("docker-compose", "compose")) and entry.kind == kinds.YAML):
            continue
        source = repo.source(entry.path)
        data = source.yaml if source is not None and source.text is not None else None
        services = data.get("services") if isinstance(data, dict) else None
        if not isinstance(services, dict):
            continue
        folder = posixpath.dirname(entry.path)
        for service in services.values():
            build = service.get("build") if isinstance(service, dict) else None
            if isinstance(build, str):
                build = {"context": build}
            if not isinstance(build, dict):
                continue
            context = str(build.get("context") or ".")
            if "://" in context:
                continue  # a remote context (a git URL)
            context = posixpath.normpath(posixpath.join(folder, context))
            context = "" if context == "." else context
            file = str(build.get("dockerfile") or "Dockerfile")
            yield context, posixpath.normpath(posixpath.join(context, file))


#: What AWS Lambda's Python runtimes provide to every function: the AWS SDK.
_LAMBDA_PROVIDED = frozenset({"boto3", "botocore"})


def _python_lambda_handlers(repo: Repo) -> frozenset[str]:
    """The Python files that a Serverless Framework service (`serverless.yml`) or an AWS
    SAM template (`AWS::Serverless::Function`) deploys as Lambda handlers on a Python
    runtime: `handler: handler.predict` is `handler.py` beside the service file (SAM:
    `Handler: app.lambda_handler` under `CodeUri`)."""
    found: set[str] = set()
    for entry in repo.named("serverless.yml", "serverless.yaml", "template.yaml", "template.yml"):
        source = repo.source(entry.path)
        data = source.yaml if source is not None and source.text is not None else None
        if not isinstance(data, dict):
            continue
        folder = posixpath.dirname(entry.path)
        functions: list[tuple[object, object, object]] = []  # (runtime, handler, code folder)
        if isinstance(data.get("functions"), dict):  # Serverless Framework
            provider = data.get("provider")
            runtime = provider.get("runtime") if isinstance(provider, dict) else None
            for spec in data["functions"].values():
                if isinstance(spec, dict):
                    functions.append((spec.get("runtime", runtime), spec.get("handler"), ""))
        elif isinstance(data.get("Resources"), dict):  # AWS SAM
            globals_ = data.get("Globals")
            defaults = globals_.get("Function") if isinstance(globals_, dict) else None
            defaults = defaults if isinstance(defaults, dict) else {}
            for resource in data["Resources"].values():
                if (
                    not isinstance(resource, dict)
                    or resource.get("Type") != "AWS::Serverless::Function"
                ):
                    continue
                props = resource.get("Properties")
                props = {**defaults, **(props if isinstance(props, dict) else {})}
                functions.append(
                    (props.get("Runtime"), props.get("Handler"), props.get("CodeUri") or "")
                )
        for runtime, handler, code in functions:
            if not (isinstance(runtime, str) and runtime.startswith("python")):
                continue
            if not (isinstance(handler, str) and "." in handler and isinstance(code, str)):
                continue
            module = handler.rsplit(".", 1)[0].replace(".", "/")
            path = posixpath.normpath(posixpath.join(folder, code.strip("/"), module + ".py"))
            if repo.has(path):
                found.add(path)
    return frozenset(found)


#: Requirements files that hold a project's development or documentation tools, not
#: what its code imports.
_TOOLING_REQUIREMENTS = lazy_compile(r"dev|test|lint|doc|ci\b|build|optional|extra", re.IGNORECASE)
#: Tools that manage a pyproject.toml and its lock: `[tool.<name>]` or the lock beside it.
_PYPROJECT_TOOLS = (("poetry", "poetry.lock"), ("pdm", "pdm.lock"), ("uv", "uv.lock"))


def _declare_fix(repo: Repo, project: _Project, distribution: str, path: str) -> str:
    """TF206's fix, in the terms of the manifest the project actually uses: `uv add`,
    `poetry add`, `pdm add`, `[project] dependencies`, `install_requires` in setup.py or
    setup.cfg, `pipenv install`, a conda environment or a requirements file (its `.in`
    when pip-tools compiles it). The manifests nearest above the importing file first."""

    def nearest(manifest: str) -> tuple[bool, int, str]:
        folder = posixpath.dirname(manifest)
        above = not folder or path.startswith(f"{folder}/")
        return (not above, -folder.count("/") if above else folder.count("/"), manifest)

    manifests = sorted(project.manifests, key=nearest)
    texts = {m: (s.text or "") if (s := repo.source(m)) else "" for m in manifests}
    requirements = sorted(
        (m for m in manifests if repo.by_path[m].kind == kinds.REQUIREMENTS),
        key=lambda m: (
            bool(_TOOLING_REQUIREMENTS.search(posixpath.basename(m))),
            nearest(m)[:2],
            not m.endswith(".in"),
        ),
    )
    environments = set(repo.derived(_conda_environments))
    conda = [m for m in manifests if m in environments]
    named = {
        name: [m for m in manifests if posixpath.basename(m) == name] for name in MANIFEST_NAMES
    }
    where = f" in {project.directory}/" if project.directory else ""
    for pyproject in named["pyproject.toml"]:
        source = repo.source(pyproject)
        data = source.toml if source is not None else None
        data = data if isinstance(data, dict) else {}
        tool_table = data.get("tool")
        tool = tool_table if isinstance(tool_table, dict) else {}
        for name, lock in _PYPROJECT_TOOLS:
            if name in tool or repo.has(posixpath.join(posixpath.dirname(pyproject), lock)):
                return f"Run `{name} add {distribution}`{where} (it updates pyproject.toml and {lock})."
        table = data.get("project")
        if (
            isinstance(table, dict)
            and "dependencies" not in (table.get("dynamic") or [])
            and (table.get("dependencies") or not (requirements or conda))
        ):
            return f"Add `{distribution}` to [project] dependencies in {pyproject}."
    setup = [m for m in named["setup.py"] + named["setup.cfg"] if "install_requires" in texts[m]]
    if setup and not (requirements and "requirements" in texts[setup[0]]):
        return f"Add `{distribution}` to install_requires in {setup[0]}."
    if named["Pipfile"]:
        return f"Run `pipenv install {distribution}`{where} (it updates Pipfile and Pipfile.lock)."
    if conda and not (requirements and "requirements" in texts[conda[0]]):
        return f"Add `{distribution}` to {conda[0]} (dependencies)."
    if requirements and requirements[0].endswith(".in"):
        return f"Add `{distribution}` to {requirements[0]} and re-compile it (`pip-compile`)."
    if requirements:
        return f"Add `{distribution}` to {requirements[0]}, pinned (`{distribution}==<version>`)."
    return f"Declare `{distribution}` in the project's manifest."


# --- system programs that nothing declares -----------------------------------------------

_PROCESS_CALLS = frozenset(
    {
        *(
            f"subprocess.{name}"
            for name in (
                "run",
                "call",
                "check_call",
                "check_output",
                "Popen",
                "getoutput",
                "getstatusoutput",
            )
        ),
        "os.system",
        "os.popen",
        *(
            f"os.{name}"
            for name in ("execv", "execvp", "execvpe", "execl", "execlp", "spawnlp", "spawnvp")
        ),
        "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
    }
)
#: Words that come before the program on a command line.
_COMMAND_PREFIXES = frozenset({"sudo", "exec", "nice", "nohup", "env", "command", "time", "stdbuf"})


@fact(
    "system-tool-calls",
    kinds=kinds.CODE_KINDS,
    prefilter=(b"subprocess", b"os.", b"create_subprocess", b'"!'),
)
def system_tool_calls(file: SourceFile) -> list[list[Any]] | None:
    """Known system programs this file runs: `[program, line, column, cell, cell_line]`.
    A program the file looks up with `shutil.which` first is optional and left out."""
    from twelvefold.detectors.system_tools import SYSTEM_TOOLS

    if not _is_project_code(file):
        return None
    python = file.python
    if python is None or python.tree is None:
        return None
    aliases = import_aliases(python.tree)
    found: list[list[Any]] = []
    guarded: set[str] = set()
    for node in nodes(python.tree, ast.Call):
        name = _call_name(node.func)
        head, _, rest = name.partition(".")
        qualified = f"{aliases.get(head, head)}{'.' + rest if rest else ''}"
        if qualified == "shutil.which" and node.args:
            guarded.update(w for w in _words(node.args[0])[:1] if w)
            continue
        if qualified not in _PROCESS_CALLS or not node.args:
            continue
        program = _program(node.args[0])
        if program in SYSTEM_TOOLS:
            where = python.loc(node.lineno)
            found.append([program, where.line, node.col_offset + 1, where.cell, where.cell_line])
    found += _notebook_shell_tools(file)
    found = [call for call in found if call[0] not in guarded]
    return found or None


#: Programs every notebook host has (Colab, Kaggle, a Jupyter image), and the cloud CLIs
#: of the managed notebooks of each cloud (Vertex AI Workbench, SageMaker, Azure ML): a
#: `!wget` or `!gsutil cp` in a cell is not a missing dependency.
_NOTEBOOK_HOST_TOOLS = frozenset({"curl", "wget", "unzip", "gsutil", "gcloud", "aws", "az"})


def _notebook_shell_tools(file: SourceFile) -> list[list[Any]]:
    """Known programs run by the shell escapes (`!kaggle competitions download ...`) of a
    pipeline notebook in an application: the notebook is how it runs, so what it runs is
    a dependency. Notebooks elsewhere (a course, a library's demo) run on a notebook host
    that brings its own tools."""
    from twelvefold.detectors.system_tools import SYSTEM_TOOLS

    if (
        file.kind != kinds.NOTEBOOK
        or file.notebook is None
        or file.repo_kind != project_kind.APPLICATION
        or file.role != role.NOTEBOOK
    ):
        return []
    found: list[list[Any]] = []
    for cell in file.notebook.code_cells:
        for index, line in enumerate(cell.lines):
            stripped = line.strip()
            if not stripped.startswith("!") or stripped.startswith("!="):
                continue
            program = _program(ast.Constant(stripped[1:].strip()))
            if program in SYSTEM_TOOLS and program not in _NOTEBOOK_HOST_TOOLS:
                found.append([program, cell.file_lines[index], None, cell.index, index + 1])
    return found


def _program(argument: ast.expr) -> str:
    words = _words(argument)
    if len(words) == 1:  # a shell command line
        words = words[0].split()
    for word in words:
        if "=" in word and not word.startswith(("-", "/")):
            continue  # VAR=value before the command
        base = posixpath.basename(word)
        if base in _COMMAND_PREFIXES:
            continue
        return base
    return ""


#: Files where system packages are listed for a deploy (Heroku/Binder/Streamlit, Homebrew, bindep).
_SYSTEM_PACKAGE_LISTS = frozenset(
    {"apt.txt", "packages.txt", "Aptfile", "Brewfile", "bindep.txt", "apt-packages.txt"}
)
_INSTALLERS = lazy_compile(
    r"\b(?:apt-get|apt|apk|yum|dnf|microdnf|zypper|conda|mamba|micromamba|brew|pip3?|choco)\b"
)


def _system_words(repo: Repo) -> tuple[set[str], bool]:
    """Package names installed for deploys, and whether an image is a full Debian one."""
    words: set[str] = set()
    full_debian = False
    for entry in repo.files:
        name = posixpath.basename(entry.path)
        if (
            entry.kind != kinds.DOCKERFILE
            and name not in _SYSTEM_PACKAGE_LISTS
            and not entry.path.startswith(".devcontainer/")
        ):
            continue
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        text = source.text.replace("\\\n", " ")
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith("#"):
                continue
            if entry.kind == kinds.DOCKERFILE and stripped.upper().startswith("FROM "):
                image = stripped.split()[1].lower() if len(stripped.split()) > 1 else ""
                words.update(re.split(r"[/:@\-_.]", image))
                repository, _, tag = image.partition(":")
                if (
                    repository.endswith("python") and tag and not re.search(r"slim|alpine", tag)
                ) or "buildpack-deps" in repository:
                    full_debian = True
                continue
            in_image = entry.kind == kinds.DOCKERFILE or entry.path.startswith(".devcontainer/")
            if in_image and not _INSTALLERS.search(stripped):
                if '"' in stripped and entry.path.endswith(".json"):  # devcontainer features
                    words.update(w.lower() for w in re.findall(r"[\w.+\-]+", stripped))
                continue
            words.update(
                re.sub(r"[=<>].*$", "", word).lower()
                for word in re.split(r"[\s,;&|]+", stripped)
                if word
            )
    for entry in repo.named("environment.yml", "environment.yaml", *MANIFEST_NAMES):
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        name = posixpath.basename(entry.path)
        data = (
            source.toml
            if name in ("pyproject.toml", "Pipfile")
            else source.yaml
            if name.startswith("environment.")
            else None
        )
        words |= set(declarations(entry.path, source.text, data).names)
    for entry in repo.of_kind(kinds.REQUIREMENTS):
        source = repo.source(entry.path)
        if source is not None and source.text is not None:
            words |= set(declarations(entry.path, source.text).names)
    return words, full_debian


class UndeclaredSystemTool(RepoRule):
    """## What it does
    Reports system programs the code runs through `subprocess`, `os.system` or
    `os.popen` (`curl`, `wget`, `ffmpeg`, `tesseract`, `pdftotext`, `aws`, `java`...)
    that nothing in the repository installs: no Dockerfile `apt-get`/`apk`/`yum`/`conda`
    install (or a base image that ships it), no `apt.txt`/`packages.txt`/`Aptfile`/
    `Brewfile`, no conda `environment.yml` entry, no Python package that bundles it
    (`imageio-ffmpeg`, `awscli`). Programs every machine has (`git`, `tar`, `sh`) are
    not checked, nor are test code or a program the code first looks up with
    `shutil.which` (it handles its absence). Notebook shell escapes
    (`!kaggle competitions download ...`) count in the notebooks of an application with a
    package of its own (they are how it runs), except `curl`, `wget`, `unzip` and the cloud CLIs (`gsutil`,
    `gcloud`, `aws`, `az`), which notebook hosts and managed notebooks have;
    a course's or a library's demo notebooks run on a host that brings its tools.

    ## Why is this bad?
    The program is a dependency like any library, but invisible: the code works on the
    laptop where it was installed years ago and fails with `FileNotFoundError` in a slim
    container or on a new machine.

    ## Example
    ```python
    subprocess.run(["ffmpeg", "-i", video, "-vn", audio], check=True)  # no Dockerfile installs ffmpeg
    ```

    ## Use instead
    Install it where the environment is described, e.g. in the Dockerfile:
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg
    ```
    or declare a package that ships it (`imageio-ffmpeg`), or use a Python library
    instead of the program (`httpx` instead of `curl`).
    """

    code = "TF207"
    depends_on = (
        "@code",
        "@dockerfiles",
        "@ci",
        "@manifests",
        "*.sh",
        "Makefile",
        "apt.txt",
        "packages.txt",
        "Aptfile",
    )
    name = "undeclared-system-tool"
    factor = 2
    severity = Severity.WARNING
    summary = "System program run from code that nothing installs"
    fix = "Install it in the Dockerfile (apt-get/apk) or a packages list, or declare a package that ships it."
    facts = ("system-tool-calls",)

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        from twelvefold.detectors.system_tools import IN_FULL_DEBIAN_IMAGES, SYSTEM_TOOLS, provided

        calls = repo.facts("system-tool-calls")
        if not calls:
            return
        words, full_debian = _system_words(repo)
        steps = notebooks_are_pipeline_steps(repo)
        first: dict[str, list[Any]] = {}
        for path in sorted(calls):
            for program, line, column, cell, cell_line in calls[path]:
                if path.endswith(".ipynb") and column is None and not steps:
                    continue  # a shell escape in a notebook-only repository
                if program in first:
                    first[program][-1] += 1
                else:
                    first[program] = [path, line, column, cell, cell_line, 1]
        for program, (path, line, column, cell, cell_line, count) in sorted(
            first.items(), key=lambda i: (i[1][0], i[1][1] or 0)
        ):
            if provided(program, words) or (full_debian and program in IN_FULL_DEBIAN_IMAGES):
                continue
            also = f" ({count} calls in the code)" if count > 1 else ""
            package = SYSTEM_TOOLS[program][0].rstrip("*")
            where = (
                "the Dockerfile" if repo.of_kind(kinds.DOCKERFILE) else "a Dockerfile or an apt.txt"
            )
            yield Violation(
                f"`{program}` is run from code but nothing installs it{also}",
                path=path,
                line=line,
                column=column,
                cell=cell,
                cell_line=cell_line,
                fix=f"Install `{package}` in {where} (e.g. `apt-get install -y {package}`), or avoid the external program.",
            )
