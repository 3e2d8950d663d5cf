"""TF202 unpinned-dependency: requirement with no version or an open range, and no lock file."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import replace

from twelvefold import kinds
from twelvefold.detectors.ci import ci_files
from twelvefold.lazy_regex import lazy_compile
from twelvefold.manifests import (
    LOCK_FILES,
    Requirement,
    dependency_line,
    find_line,
    normalise,
    parse_requirement,
    parse_requirements,
    poetry_dependencies,
    pyproject_dependencies,
    setup_py_install_requires,
)
from twelvefold.model import Finding, Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.knowledge import is_build_tool
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.suppression import line_suppresses


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


#: Conda package names whose pip distribution is named otherwise.
_CONDA_TO_PIP = {"pytorch": "torch", "py-opencv": "opencv-python"}


def _conda_entries(source: object) -> list[str]:
    """The conda and pip entries of a conda environment file (its parsed YAML)."""
    deps = source.get("dependencies") if isinstance(source, dict) else None
    entries: list[str] = []
    for dep in deps if isinstance(deps, list) else ():
        if isinstance(dep, str):
            entries.append(dep)
        elif isinstance(dep, dict) and isinstance(dep.get("pip"), list):
            entries.extend(str(item) for item in dep["pip"])
    return entries


def _conda_name(entry: str) -> str:
    """`pytorch` of `pytorch=1.7.0`, `numpy` of `conda-forge::numpy>=1.2`."""
    return re.split(r"[=<>!~ \[]", entry.strip().split("::", 1)[-1], maxsplit=1)[0]


def _conda_pinned(entry: str) -> bool:
    """A conda entry held to one version (`numpy=1.19.2`, `numpy==1.19.2=py38h...`), or a
    pip entry pinned as a requirements file pins it (`==`, `~=0.29.1`, a versioned file,
    a tag or a commit)."""
    if re.search(r"(?<![<>!~])==?\d", entry) and not re.search(r"[<>*]", entry):
        return True
    direct = parse_requirement(entry.strip())
    return direct is not None and direct.pinned


def _pinned_by_installing_environment(repo: Repo, directory: str) -> set[str]:
    """Names a conda environment beside the project's setup.py / pyproject.toml pins
    exactly when it installs the project itself (`- -e .` in its pip list): the project
    is installed into that environment, its open ranges resolved against those pins
    (latent-diffusion's `pytorch=1.7.0`, `numpy=1.19.2` under setup.py's `torch`,
    `numpy`)."""
    pinned: set[str] = set()
    for conda_file in ("environment.yml", "environment.yaml"):
        path = posixpath.join(directory, conda_file) if directory else conda_file
        source = repo.source(path) if repo.has(path) else None
        entries = _conda_entries(source.yaml) if source is not None else []
        if not any(re.fullmatch(r"\s*(?:-e\s+)?\.(?:\[[^\]]*\])?\s*", e) for e in entries):
            continue
        for entry in entries:
            if _conda_pinned(entry):
                name = normalise(_conda_name(entry))
                pinned |= {name, _CONDA_TO_PIP.get(name, name)}
    return pinned


def _published_sub_project(path: str, text: str) -> bool:
    """A package in a folder of the repository that declares classifiers: a library
    published for others (gpt4all's `gpt4all-bindings/python/setup.py` in the app's
    repository, a vendored `tensorboardX/setup.py`), whose ranges its users resolve."""
    return "/" in path and project_kind.declares_classifiers(text)


#: A direct reference to a file a conda build left on the machine that froze the list
#: (`colorama @ file:///home/conda/feedstock_root/build_artifacts/colorama_17332/work`,
#: Anaconda's `/croot/`, `/tmp/build/80754af9/`, Windows' `file:///D:/bld/`).
_CONDA_BUILD_FILE = lazy_compile(
    r"@\s*file:\S*?(?:/feedstock_root/build_artifacts/|/conda-bld/|/croot/|/tmp/build/80754af9/"
    r"|^file:///[A-Za-z]:/bld/|/[A-Za-z]:/bld/)"
)


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
    environment): it is reported once, at the requirements file; and one whose every
    entry a requirements file beside it pins (`numpy==2.4.6` for `- numpy`: the list
    the README installs) leaves nothing open. An application's
    `setup.py` is read too (as AST, never run): its `install_requires`, written out as a
    list, is reported like a requirements file, unless a lock or a fully pinned
    `requirements.txt` sits beside it (what the deploy installs) or an open
    requirements file beside it lists the same names (reported there) or any
    requirements or conda file beside it is reported (the folder's environment is
    installed from that file, the setup.py only hooks the package in); an
    `install_requires` read from a file is checked at that file. A `setup.py` or
    `pyproject.toml` in a folder that declares trove classifiers is a library published
    for others (an application's Python bindings, a vendored package): its ranges are
    for its users, as a library's are.

    Also reported, in any kind of repository: a requirements file naming packages by the
    files of the conda build that made them (`colorama @ file:///home/conda/
    feedstock_root/build_artifacts/...`, what `pip freeze` writes in a conda environment),
    one finding per file: no other machine can install it.

    A requirements file with another name than `requirements.txt` counts only when
    something installs it: an image, a compose file, CI or pipeline YAML, a Makefile, a
    script, packaging metadata or another requirements file names it. Otherwise it is an
    optional extra a reader installs by hand (a book's `requirements-extra.txt`, an
    optional backend's `requirements_chatglm.txt` named in an install hint).

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
        reported: set[str] = set()  # folders whose requirements or conda file is reported
        for entry in repo.of_kind(kinds.REQUIREMENTS):
            # Broken whatever the kind of repository: nobody else can install it.
            yield from self._conda_build_files(repo, entry.path)
            if _DEV_REQUIREMENTS.search(posixpath.basename(entry.path)):
                continue  # contributors' tools, installed latest on purpose
            if library and not _deployed(repo, entry.path):
                continue
            if not _installed_by_the_project(repo, entry.path):
                continue  # an optional extra a reader installs by hand
            for violation in self._requirements_file(repo, entry.path):
                reported.add(posixpath.dirname(entry.path))
                yield violation
        if library:
            return  # a library's metadata keeps ranges for its users on purpose
        for entry in repo.named("pyproject.toml"):
            yield from self._pyproject(repo, entry.path)
        for entry in repo.named("environment.yml", "environment.yaml"):
            for violation in self._conda(repo, entry.path):
                reported.add(posixpath.dirname(entry.path))
                yield violation
        for entry in repo.named("setup.py"):
            if posixpath.dirname(entry.path) in reported:
                # The folder's environment is installed from the requirements or conda
                # file beside it, reported there; the setup.py only hooks the package in
                # (`- -e .`): one root cause, one finding (covid19_spread's, judged noise).
                continue
            yield from self._setup_py(repo, entry.path)

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """Copies of one requirements list in one folder (oobabooga's per-platform
        `requirements_amd.txt`, `requirements_cpu_only.txt`... beside `requirements.txt`,
        differing only in wheel URLs) are one root cause: one finding, at the plainest
        name (`requirements.txt`), naming the others."""
        groups: dict[tuple[str, str], list[Finding]] = {}
        order: list[tuple[str, str] | int] = []
        for index, finding in enumerate(findings):
            if finding.path is None or not finding.path.endswith(".txt"):
                order.append(index)  # a pyproject.toml or a setup.py is its own manifest
                continue
            key = (posixpath.dirname(finding.path), finding.message)
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(finding)
        kept: list[Finding] = []
        for item in order:
            if isinstance(item, int):
                kept.append(findings[item])
                continue
            members = sorted(
                groups[item], key=lambda f: (len(posixpath.basename(f.path or "")), f.path)
            )
            head = members[0]
            copies = sorted(f.path for f in members[1:] if f.path is not None)
            if copies:
                listed = ", ".join(f"`{posixpath.basename(path)}`" for path in copies[:5])
                more = f" and {len(copies) - 5} more" if len(copies) > 5 else ""
                head = replace(
                    head,
                    message=f"{head.message} (the same in {listed}{more})",
                    files=tuple(copies),
                )
            kept.append(head)
        return kept

    def _setup_py(self, repo: Repo, path: str) -> Iterator[Violation]:
        """`install_requires` of an application's setup.py, when nothing pins it."""
        directory = posixpath.dirname(path)
        if _has_lock_near(repo, directory) or _fully_pinned_requirements_near(repo, directory, ""):
            return
        source = repo.source(path)
        if source is None or source.text is None:
            return
        if _published_sub_project(path, source.text):
            return
        listed = setup_py_install_requires(source.text)
        if not listed:
            return  # none, or computed (read from a requirements file, checked there)
        beside = _pinned_by_installing_environment(repo, directory)
        unpinned = [
            requirement
            for requirement in (parse_requirement(text, line) for text, line in listed)
            if requirement is not None and not requirement.pinned and requirement.name not in beside
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

    def _conda_build_files(self, repo: Repo, path: str) -> Iterator[Violation]:
        """Requirements pointing at the files a conda build left on the machine that
        froze the list: one finding per file, at the first."""
        source = repo.source(path)
        if source is None or source.text is None or "file:" not in source.text:
            return
        requirements, _, _ = parse_requirements(source.text)
        built = [r for r in requirements if _CONDA_BUILD_FILE.search(r.text)]
        if not built:
            return
        shown = built[0].text if len(built[0].text) <= 70 else built[0].text[:69] + "…"
        more = f" and {len(built) - 1} more" if len(built) > 1 else ""
        yield Violation(
            f"`{shown}`{more}: a requirement installed from the files of the conda build "
            "that made it (a `pip freeze` of a conda environment): `pip install -r` fails "
            "on any other machine",
            line=built[0].line,
            path=path,
            fix="List names and versions (`pip list --format=freeze > requirements.txt`), "
            "or export the conda environment (`conda env export --from-history`).",
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
        if _published_sub_project(path, source.text or ""):
            return
        unpinned: list[Requirement] = []
        beside = _pinned_by_installing_environment(repo, directory)
        for text in pyproject_dependencies(source.toml):
            requirement = parse_requirement(text)
            if (
                requirement is not None
                and not requirement.pinned
                and requirement.name not in beside
            ):
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
        entries = _conda_entries(source.yaml)
        unpinned: list[str] = []
        packages: list[str] = []
        for dep in entries:
            name = re.split(r"[=<>!~ \[]", dep.strip(), maxsplit=1)[0]
            if name.lower() in ("python", "pip") or name.startswith(("-", ".", "/")):
                continue
            packages.append(dep)
            if not _conda_pinned(dep):
                unpinned.append(dep)
        if not unpinned or _declared_by_open_requirements(repo, path, unpinned, packages):
            return
        if all(is_build_tool(normalise(_conda_name(dep))) for dep in unpinned):
            return  # only tools left open (`jupyterlab>=3.4`), everything the code uses pinned
        yield Violation(
            f"conda dependency `{unpinned[0]}` is not pinned and no conda-lock file pins it"
            if len(unpinned) == 1
            else f"{len(unpinned)} conda dependencies are not pinned and no conda-lock file "
            "pins them: " + _listed([f"`{dep}`" for dep in unpinned]),
            line=find_line(source.lines, unpinned[0]),
            path=path,
            fix="Pin them (`name=1.2.3`) or generate a lock with conda-lock and commit it.",
        )


def _declared_by_open_requirements(
    repo: Repo, path: str, unpinned: list[str], packages: list[str] | None = None
) -> bool:
    """Whether requirements files beside the conda environment `path` declare each of its
    `unpinned` entries (conda's `pytorch` is pip's `torch`) and leave some entry open
    themselves (reported at the requirements file), or pin every one of its `packages`
    (the same list written twice, pinned the pip way: a `pip freeze` of a conda
    environment, whose conda build files no other machine has, pins nothing)."""
    from twelvefold.detectors.import_names import distributions_for

    declared: set[str] = set()
    pinned: set[str] = set()
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
        frozen_in_conda = any(_CONDA_BUILD_FILE.search(r.text) for r in requirements)
        for requirement in requirements:
            known = {
                requirement.name,
                *(normalise(d) for d in distributions_for(requirement.name) or ()),
            }
            declared.update(known)
            if (hashed or requirement.pinned) and not frozen_in_conda:
                pinned.update(known)

    if packages and all(normalise(_conda_name(dep)) in pinned for dep in packages):
        # The whole list pinned the pip way beside it (`requirements.txt`: `numpy==2.4.6`
        # for each name), which is what the README installs: no gap left open.
        return True
    return (
        open_entries
        and bool(declared)
        and all(normalise(_conda_name(dep)) in declared for dep in unpinned)
    )


def _is_build_tool(requirement: Requirement) -> bool:
    return is_build_tool(requirement.name)


def _listed(items: list[str], limit: int = 5) -> str:
    return ", ".join(items[:limit]) + (
        f" and {len(items) - limit} more" if len(items) > limit else ""
    )


#: Requirements of contributors' tools and docs builds, not of what runs.
_DEV_REQUIREMENTS = lazy_compile(
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


#: The plain names of a folder's requirements: what `pip install -r` reads by default.
_PLAIN_REQUIREMENTS = frozenset({"requirements.txt", "requirements.in"})
#: Files that install requirements files: images, compose files, CI and pipeline YAML,
#: Makefiles, shell scripts, packaging metadata, other requirements files (`-r`).
_INSTALLER_KINDS = frozenset(
    {kinds.DOCKERFILE, kinds.YAML, kinds.MAKEFILE, kinds.SHELL, kinds.PYPROJECT, kinds.REQUIREMENTS}
)
_INSTALLER_NAMES = ("setup.py", "setup.cfg", "tox.ini", "noxfile.py")


def _installed_by_the_project(repo: Repo, path: str) -> bool:
    """Whether a requirements file is one the project installs: its folder's plain
    `requirements.txt`, or a file named by an image, a compose file, CI, a Makefile, a
    script, packaging metadata or another requirements file. A file with another name
    that nothing installs (`requirements-extra.txt` of a book's bonus chapter, an optional
    backend's `requirements_chatglm.txt` named only in an install hint) is an extra a
    reader installs by hand, on the latest releases."""
    name = posixpath.basename(path)
    if name.lower() in _PLAIN_REQUIREMENTS:
        return True
    return any(name in text for other, text in repo.derived(_installer_texts) if other != path)


def _installer_texts(repo: Repo) -> list[tuple[str, str]]:
    entries = [*repo.of_kind(*_INSTALLER_KINDS), *repo.named(*_INSTALLER_NAMES)]
    texts = []
    for entry in entries:
        source = repo.source(entry.path)
        if source is not None and source.text is not None:
            texts.append((entry.path, source.text))
    return texts


_DEPLOY_WORKFLOW = lazy_compile(r"deploy|release|publish|space|cd\b|cd[-_.]", re.I)


#: A workflow step that publishes the package to an index: the library's own release.
_PACKAGE_PUBLISH = lazy_compile(
    r"pypa/gh-action-pypi-publish|twine\s+upload|(?:uv|poetry|flit|hatch|pdm)\s+publish"
)
#: What a deploy does besides: push an image, apply to a cluster, upload to a host.
_SERVICE_DEPLOY = lazy_compile(
    r"docker\s+push|docker/build-push-action|kubectl|helm\s|gcloud|huggingface|heroku"
    r"|fly(?:ctl)?\s+deploy|aws\s|az\s|vercel|netlify|modal\s+deploy",
    re.I,
)


def _deploy_texts(repo: Repo) -> list[str]:
    texts = []
    for path, _ in ci_files(repo):
        if not _DEPLOY_WORKFLOW.search(posixpath.basename(path)):
            continue
        source = repo.source(path)
        if source is None or source.text is None:
            continue
        if _PACKAGE_PUBLISH.search(source.text) and not _SERVICE_DEPLOY.search(source.text):
            continue  # GFPGAN's publish-pip.yml: builds the wheel and uploads it, deploys nothing
        texts.append(source.text)
    return texts
