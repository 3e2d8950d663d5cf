"""TF505 image-install-without-lock: Docker image installs Python packages without the lock."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import replace

from twelvefold import kinds
from twelvefold.detectors import dockerfile
from twelvefold.detectors.ci import command_words
from twelvefold.lazy_regex import lazy_compile
from twelvefold.manifests import (
    PIP_VALUE_OPTIONS,
    declares_no_dependency,
    parse_requirement,
    parse_requirements,
)
from twelvefold.model import Finding, Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.knowledge import is_build_tool
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule

_PIP_INSTALL = lazy_compile(
    r"(?:^|[\s;&|(])(?:(?:python3?(?:\.\d+)?|\S*/python3?)\s+-m\s+)?(?P<tool>uv\s+pip|pip3?|poetry|pipenv|conda|mamba|micromamba)\s+(?P<verb>install|add|sync)\b(?P<args>[^;&|\n]*)"
)


_LOCK_NAME = lazy_compile(
    r"(?:\.lock$|lock[\w.-]*\.txt$|[-_.]lock(?:ed)?\b|constraints|pinned)", re.IGNORECASE
)


class ImageInstallWithoutLock(RepoRule):
    """## What it does
    Reports `RUN` steps in a Dockerfile that install Python packages without the lock:
    `pip install -r requirements.txt` where that file has unpinned requirements,
    `pip install pandas scikit-learn` with no versions, `pip install .` with no
    `--no-deps` and no locked install before it, and `poetry install` with no
    `poetry.lock`. Fine: `uv sync --locked`/`--frozen`, `pip install -r
    requirements.lock` or a fully pinned or hashed requirements file, a constraints
    file (`-c`), `poetry install` next to `poetry.lock`, `pip install --no-deps .` after
    a locked install, installing packaging tools (`pip install --upgrade pip`), and
    extras of a version pinned in the same command (`pip install pkg==1.4 pkg[extra]`),
    packages a pinned requirements file installed earlier in the stage (`pip install
    huggingface_hub` after `-r requirements-app.txt` pinned it: nothing changes), the
    same project installed again in the stage (one finding, at the first),
    and `pip install .` of a third-party repository the same step cloned and checked out
    at a commit or a tag (`git clone .../apex && cd apex && git checkout 3bae8c8 && pip
    install .`, `git clone -b v2.3.3 ...`). A `uv sync` of a committed `uv.lock` installs
    the lock: what follows it in the stage is locked, and `uv pip` installs before an
    exact sync are undone by it. Wheels an earlier stage built (`pip install
    /install/*.whl`, a folder of them: `pip install /wheels/*`) and packages a command prints (`pip install $(grep ...)`) are not
    judged. In a course (kind `course`), whose lessons each build an image the same way, the
    images are one finding at the first, the others listed.

    A stage no build produces is not read: not the last, with no name for `--target`,
    and named by no `--from=<index>` (the first of two Dockerfiles pasted into one).

    ## Why is this bad?
    The image is the release artifact: if it resolves versions at build time, two builds
    of the same commit hold different libraries, and the image that serves a model is
    not the environment it was trained and tested in.

    ## Example
    ```text
    # requirements.txt
    fastapi
    pandas
    scikit-learn>=1.3
    ```
    ```dockerfile
    # Dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install -r requirements.txt
    COPY src/ src/
    ```

    ## Use instead
    ```dockerfile
    # Dockerfile
    FROM python:3.12-slim
    COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv
    WORKDIR /app
    COPY pyproject.toml uv.lock ./
    RUN uv sync --locked --no-dev --no-install-project
    COPY src/ src/
    ```
    or `pip install --require-hashes -r requirements.lock` compiled with
    `uv pip compile --generate-hashes`.
    """

    code = "TF505"
    depends_on = ("@dockerfiles", "@manifests", "@locks")
    name = "image-install-without-lock"
    factor = 5
    severity = Severity.WARNING
    roles = role.OWN_CODE
    repo_kinds = frozenset(
        {
            project_kind.APPLICATION,
            project_kind.RESEARCH,
            project_kind.COURSE,
        }
    )
    summary = "Docker image installs Python packages without the lock"
    fix = "Install from the lock in the image: `uv sync --locked`, `poetry install` with poetry.lock, or a pinned/hashed requirements file."

    def check(self, repo: Repo) -> Iterator[Violation]:
        files = frozenset(repo.by_path)
        for entry in repo.of_kind(kinds.DOCKERFILE):
            file = repo.source(entry.path)
            if (
                file is None
                or file.text is None
                or not (b"install" in file.data or b"sync" in file.data)
            ):
                continue
            parsed = dockerfile.parse(file.text)
            directory = posixpath.dirname(entry.path)
            unbuilt = dockerfile.unbuilt_stages(parsed)
            for stage in parsed.stages:
                if stage.index in unbuilt:
                    continue  # no build produces it (a pasted, unreferenced first copy)
                locked_before = False
                #: Packages a locked or fully pinned requirements file installed earlier in
                #: the stage: a later `pip install huggingface_hub` of one changes nothing.
                locked_names: set[str] = set()
                #: The project installs already reported in the stage (`pip install .`,
                #: then `pip install -e .` after the sources are copied): one root cause.
                reported_installs: set[str] = set()
                clones: dict[str, str] = {}  # folder -> URL of a clone left at its default branch
                pinned_clones: set[str] = set()  # folders of clones at a tag or a commit
                pending: list[Violation] = []  # the stage's findings, until a sync undoes them
                workdir = "/"
                #: Where the stage copies the build context (`COPY . /app`): the project.
                project_paths = {"."}
                #: Lock files the stage copies in from elsewhere in the repository
                #: (`COPY ./backend/poetry.lock* ./`): installed with the project.
                copied_locks: set[str] = set()
                #: What the stage copies from the build context: (source, destination).
                copies: list[tuple[str, str]] = []
                for instruction in stage.instructions:
                    if instruction.keyword == "WORKDIR" and instruction.words:
                        workdir = posixpath.join(workdir, instruction.words[0])
                    elif instruction.keyword in ("COPY", "ADD") and len(instruction.words) >= 2:
                        *sources, destination = instruction.words
                        if any(_local_target(source, "/") == "/" for source in sources):
                            project_paths.add(_local_target(destination, workdir))
                        copied_locks |= _copied_locks(files, directory, sources)
                        if "from" not in instruction.flags:
                            target = posixpath.join(workdir, destination.strip("\"'"))
                            copies.extend((source.strip("\"'"), target) for source in sources)
                    if instruction.keyword != "RUN":
                        continue
                    command = instruction.shell_text
                    unpinned, pinned = _clones(command)
                    clones.update(unpinned)
                    pinned_clones |= pinned
                    said: list[str] = []  # `pip install ".[gpu]" && pip install .`: once
                    syncs = _locked_syncs(command, directory, files, copied_locks)
                    # An exact sync later in the stage makes its environment the lock's
                    # again: what `uv pip` put there before is gone (kserve's `uv pip
                    # install torchvision ... && uv sync --active`). pip may have
                    # installed into another environment (the system's): it stays.
                    resync = max((at for at, exact in syncs if exact), default=-1)
                    if resync >= 0:
                        pending = [v for v in pending if not v.message.startswith("`uv pip ")]
                    for match in _PIP_INSTALL.finditer(command):
                        if syncs and syncs[0][0] < match.start():
                            locked_before = True
                        if match.start() < resync and match.group("tool").startswith("uv"):
                            continue
                        tool = _SPACES.sub(" ", match.group("tool"))
                        folder = _entered_folder(command[: match.start()])
                        in_pinned_clone = not pinned_clones.isdisjoint(folder.split("/"))
                        in_clone = in_pinned_clone or (
                            folder in clones
                            or any(folder.startswith(clone + "/") for clone in clones)
                        )
                        if in_clone and _READS_REQUIREMENTS.search(match.group("args")):
                            # `git clone .../SPADE && cd SPADE && pip install -r
                            # requirements.txt`: the clone's own file, not one of ours.
                            continue
                        # (`pip install .` of a clone is judged below, from the root's folder)
                        cwd = directory if in_clone else _repository_folder(directory, folder)
                        # Where the command runs in the image: `cd server && pip install
                        # -r requirements.txt` reads the copy at `<workdir>/server/`.
                        image_cwd = workdir
                        if folder and not folder.startswith(("$", "~")):
                            image_cwd = posixpath.join(workdir, folder)
                        verdict = self._judge(
                            repo,
                            tool,
                            match.group("verb"),
                            match.group("args"),
                            cwd,
                            files,
                            locked_before,
                            {*project_paths, workdir.rstrip("/") or "/"},
                            workdir,
                            frozenset(copied_locks),
                            tuple(copies),
                            image_cwd,
                            locked_names,
                        )
                        if verdict is True:
                            locked_before = True
                        elif isinstance(verdict, str):
                            named = _UNPINNED.fullmatch(verdict)
                            if named is not None and locked_names:
                                left = [
                                    package
                                    for package in _listed(named.group("shown"))
                                    if _project_name(package) not in locked_names
                                ]
                                if not left:
                                    continue  # each already installed at its pinned version
                                verdict = _unpinned_message(tool, left, shortened=False)
                            if verdict.endswith(_LOCAL_INSTALL):
                                # the project it installs, by where it runs and what it names
                                target = _installed_target(match.group("args"))
                                installed = f"{verdict}|{image_cwd}|{target}"
                                if installed in reported_installs:
                                    continue  # the same project installed again
                                reported_installs.add(installed)
                            before = command[: match.start()]
                            if verdict.endswith(_LOCAL_INSTALL) and (
                                _PINNED_CHECKOUT.search(before) or in_pinned_clone
                            ):
                                # `git clone .../apex && git checkout 3bae8c8 && pip install .`,
                                # `git clone -b v2.3.3 .../flash-attention` then `cd` into it:
                                # a third-party checkout pinned to a commit or a tag.
                                continue
                            if verdict.endswith(_LOCAL_INSTALL):
                                cloned = _installed_clone(match.group("args"), before, clones)
                                if cloned is not None:
                                    verdict = (
                                        f"`{tool} install` of a clone of {cloned} at its default "
                                        "branch: no commit or tag checked out, so each build "
                                        "installs whatever that branch holds"
                                    )
                            if verdict not in said:
                                said.append(verdict)
                    pending.extend(
                        Violation(message, path=entry.path, line=instruction.line)
                        for message in _merged(said)
                    )
                    if syncs:
                        locked_before = True
                yield from pending

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """The unpinned packages of one image, one finding at its first step left after
        suppressions: one fix (pin them, or install them from a lock) for them all.
        Every other finding stays as it is."""
        kept: list[Finding] = []
        # path -> (index in `kept`, installer, packages in order (a dict: linear), steps)
        images: dict[str, tuple[int, str, dict[str, None], int]] = {}
        for finding in findings:
            found = _UNPINNED.fullmatch(finding.message) if finding.path else None
            if found is None or finding.path is None:
                kept.append(finding)
                continue
            packages = dict.fromkeys(_listed(found.group("shown")))
            if finding.path not in images:
                images[finding.path] = (len(kept), found.group("tool"), packages, 1)
                kept.append(finding)
                continue
            index, tool, known, steps = images[finding.path]
            known.update(packages)
            images[finding.path] = (index, tool, known, steps + 1)
        # The project installed without a lock, at the same step: one root cause (nothing
        # installs from a lock), one finding naming the unpinned packages too (R2R's
        # `pip install -e ".[core]" && pip install gunicorn uvicorn pydantic`).
        unlocked = {
            (finding.path, finding.line): position
            for position, finding in enumerate(kept)
            if finding.message.endswith(_LOCAL_INSTALL)
        }
        folded: set[int] = set()
        for index, tool, named, steps in images.values():
            message = _unpinned_message(tool, list(named))
            if steps > 1:
                message = message.replace(" in the image", f" in the image ({steps} steps)")
            project = unlocked.get((kept[index].path, kept[index].line))
            if project is not None:
                also = message.split(" of unpinned packages ", 1)[1]
                kept[project] = replace(
                    kept[project],
                    message=f"{kept[project].message}; it also installs unpinned packages {also}",
                )
                folded.add(index)
                continue
            kept[index] = replace(kept[index], message=message)
        kept = [finding for position, finding in enumerate(kept) if position not in folded]
        if repo.model.kind == project_kind.COURSE:
            return _one_for_the_course(kept)
        return kept

    def _judge(
        self,
        repo: Repo,
        tool: str,
        verb: str,
        args: str,
        directory: str,
        repo_files: frozenset[str],
        locked_before: bool,
        project_paths: set[str] | None = None,
        workdir: str = "/",
        copied_locks: frozenset[str] = frozenset(),
        copies: tuple[tuple[str, str], ...] = (),
        image_cwd: str | None = None,
        pinned_names: set[str] | None = None,
    ) -> bool | str | None:
        """True: a locked install; a message: an unlocked one; None: not judged.
        `image_cwd`: the folder the command runs in inside the image (after a `cd`);
        `pinned_names` gets the names a pinned requirements file it read pins."""
        substituted = args.find("<(")
        if substituted >= 0:
            # `-r <(uv export --format requirements-txt)`: the requirements are what the
            # substituted command prints, an export of the lock or something unknown.
            if _EXPORTS_LOCK.match(args[substituted + 2 :]):
                return True
            args = args[:substituted]
        if "$(" in args or "`" in args:
            # `pip install $(grep -ivE "mpi4py" requirements.txt)`: the packages are what
            # a command prints, unknown here (ragflow's; `mpi4py` is the one it leaves out).
            return None
        # As the shell splits them: `"auto-sklearn[test, examples]"` is one requirement.
        words = command_words(args)
        if tool in ("poetry", "pipenv"):
            if verb != "install":
                return None
            lock = "poetry.lock" if tool == "poetry" else "Pipfile.lock"
            if _near(repo_files, directory, lock) or lock in copied_locks:
                return True
            return (
                f"`{tool} install` with no {lock} in the repository resolves versions at build time"
            )
        if verb == "sync":
            return True if tool == "uv pip" or "--locked" in words or "--frozen" in words else None
        if tool in ("conda", "mamba", "micromamba"):
            return None
        requirement_files: list[str] = []
        packages: list[str] = []
        local = False
        installed: list[str] = []  # the local paths and archives installed
        no_deps = "--no-deps" in words
        constrained = False
        hashes = "--require-hashes" in words
        index = 0
        while index < len(words):
            word = words[index]
            if word in PIP_VALUE_OPTIONS:
                value = words[index + 1] if index + 1 < len(words) else ""
                if word in ("-r", "--requirement"):
                    requirement_files.append(value)
                elif word in ("-c", "--constraint"):
                    constrained = True
                elif word in ("-e", "--editable"):
                    local = True
                    installed.append(value.strip("\"'"))
                index += 2
                continue
            if word.startswith(("--requirement=", "--constraint=")):
                if word.startswith("--constraint="):
                    constrained = True
                else:
                    requirement_files.append(word.split("=", 1)[1])
            elif word.startswith("-r") and len(word) > 2:
                requirement_files.append(word[2:])
            elif word.startswith("-"):
                pass
            elif "://" in word:
                # A wheel or archive named with its version, or a VCS URL at a ref: pinned.
                # A VCS URL at its default branch is an unpinned package.
                url = word.strip("\"'")
                if not (url.endswith(_ARCHIVES) or "@" in url.split("://", 1)[1]):
                    packages.append(url)
            elif _NAMED_REQUIREMENT.match(word.strip("\"'")):
                packages.append(word.strip("\"'"))  # `"poetry==$POETRY_VERSION"`: a name
            elif (
                word.startswith((".", "/"))
                or word.endswith(_ARCHIVES)
                or "$" in word
                or "/" in word.strip("\"'").rstrip("/")  # `csrc/layer_norm`: a folder
            ):
                local = True
                installed.append(word.strip("\"'"))
            else:
                packages.append(word.strip("\"'"))
            index += 1
        if constrained or hashes:
            return True
        for path in requirement_files:
            copied = _copied_from(
                posixpath.join(image_cwd or workdir, path), copies, repo_files, directory
            )
            verdict = _requirements_verdict(repo, path, directory, copied, pinned_names)
            if verdict is True:
                return True
            if isinstance(verdict, str):
                return verdict
        # `==`, `@ <ref>`, or held to one patch series (`~=1.7.0`), as TF202 judges it.
        pinned = {_project_name(p) for p in packages if _pinned_word(p)}
        # `pkg==1.4.2 pkg[extra]` only adds extras to the version pinned on the same line.
        unpinned = [
            p
            for p in packages
            if _project_name(p) not in pinned and not is_build_tool(_project_name(p))
        ]
        if unpinned:
            # Every package named: `check` groups an image's steps and shortens the list.
            return _unpinned_message(tool, unpinned, shortened=False)
        if local and installed and all(_wheels(path) for path in installed):
            # `pip install /install/*.whl`: wheels an earlier stage built from sources it
            # fetched at a commit or a tag (text-generation-inference's kernels and
            # ROCm forks), or that the base image ships: their build pinned them.
            return None
        if (
            local
            and installed
            and all(
                (folder := _copied_folder(repo, path, workdir, copies, directory)) is not None
                and declares_no_dependency(repo, folder)
                for path in installed
            )
        ):
            # `COPY megatron/fused_kernels/ /megatron/fused_kernels` then `pip install
            # /megatron/fused_kernels`: a kernel whose setup.py requires nothing.
            return None
        if (
            local
            and installed
            and all(
                _pins_every_dependency(
                    repo,
                    _copied_folder(repo, path, workdir, copies, directory),
                    directory,
                    path,
                )
                for path in installed
            )
        ):
            # `pip install .` of a project whose pyproject pins each dependency (`==`):
            # the same as a fully pinned requirements file, which this rule accepts.
            return None
        if (
            local
            and installed
            and all(path.rstrip("/") in ("", ".") for path in installed)
            and _setup_py_only(copies)
            and _setup_reads_pinned_requirements(repo, directory)
        ):
            # `COPY requirements.txt setup.py ./` then `pip install -e .`: the image holds
            # a setup.py whose install_requires is that pinned requirements file.
            return None
        if local and not no_deps and not locked_before and not requirement_files:
            # `.` is the build context; another folder may be anything (a clone of a
            # third-party repository in an earlier step): named as written.
            at = project_paths or {"."}
            project = not installed or any(
                path.rstrip("/") in ("", ".") or _local_target(path, workdir) in at
                for path in installed
            )
            # Extras and a trailing `/` dropped: `./server[gpu]` and `./server/` are one.
            shown = re.sub(r"\[[^\]]*\]$", "", installed[0]).rstrip("/") if installed else ""
            what = "the project" if project else f"`{shown or installed[0]}`"
            return f"`{tool} install` of {what} {_LOCAL_INSTALL}"
        return None


#: Lock files a COPY may bring into the image (a pattern, `poetry.lock*`, included).
_LOCK_FILES = ("poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock")


def _copied_locks(files: frozenset[str], directory: str, sources: list[str]) -> set[str]:
    """The lock files among a COPY's sources that exist in the repository, from the root
    or the Dockerfile's folder as the build context (`./backend/poetry.lock*`)."""
    from fnmatch import fnmatchcase

    found: set[str] = set()
    for source in sources:
        # A leading `/` names the build context's root too (`COPY /backend/poetry.lock ./`).
        pattern = source.strip("\"'").removeprefix("./").lstrip("/")
        name = posixpath.basename(pattern)
        for lock in _LOCK_FILES:
            if not fnmatchcase(lock, name):
                continue
            folder = posixpath.dirname(pattern)
            for context in dict.fromkeys((directory, "")):
                path = posixpath.normpath(posixpath.join(context, folder, lock))
                if path in files:
                    found.add(lock)
    return found


def _local_target(word: str, workdir: str) -> str:
    """The folder a local install or a COPY names, absolute (`./[gpu]` in `/app` is
    `/app`; `"/src/"` is `/src`)."""
    path = re.sub(r"\[[^\]]*\]$", "", word.strip("\"'")) or "."
    return posixpath.normpath(posixpath.join(workdir, path))


#: The message of unpinned packages, whose lists one RUN step's installs share.
_UNPINNED = lazy_compile(
    r"`(?P<tool>[^`]+) install` of unpinned packages (?P<shown>.+) in the image"
)


def _merged(messages: list[str]) -> list[str]:
    """One RUN step's messages, its installs of unpinned packages by the same tool as one
    (`pip install a && pip install b`), in order; every package named (`group` shortens
    the list)."""
    packages: dict[str, dict[str, None]] = {}  # tool -> packages in order
    merged: list[str] = []
    for message in messages:
        found = _UNPINNED.fullmatch(message)
        if found is None:
            merged.append(message)
            continue
        tool = found.group("tool")
        if tool not in packages:
            packages[tool] = {}
            merged.append(tool)  # a placeholder, replaced below
        packages[tool].update(dict.fromkeys(_listed(found.group("shown"))))
    return [
        _unpinned_message(item, list(packages[item]), shortened=False) if item in packages else item
        for item in merged
    ]


def _installed_target(args: str) -> str:
    """What `pip install` names (`.`, `./pkg`, `-e .`), options and their values left
    out and `./` normalised: `. 2>/dev/null` and `-e .` name the same project."""
    words = [word for word in args.split() if not word.startswith(("-", "2>", ">"))]
    return ",".join(sorted(posixpath.normpath(word.strip("\"'")) for word in words))


def _listed(shown: str) -> list[str]:
    """The packages a message of unpinned packages names (all of them: see
    `_unpinned_message`)."""
    return re.findall(r"`([^`]+)`", shown)


def _one_for_the_course(findings: list[Finding]) -> list[Finding]:
    """A course's lessons each build an image the same way (kubeflow/examples: 30): one
    practice, one finding at the first image, the other images in `files`."""
    images = [f for f in findings if f.path is not None]
    paths = list(dict.fromkeys(f.path for f in images if f.path is not None))
    if len(paths) < 2:
        return findings
    first = images[0]
    merged = replace(
        first,
        message=f"{len(paths)} of the course's images install Python packages without a "
        f"lock (first here: {first.message})",
        files=tuple(paths[1:]),
    )
    grouped = {id(f) for f in images}
    return [merged if f is first else f for f in findings if f is first or id(f) not in grouped]


def _unpinned_message(tool: str, unpinned: list[str], *, shortened: bool = True) -> str:
    named = unpinned[:4] if shortened else unpinned
    shown = ", ".join(f"`{p}`" for p in named) + (
        f" and {len(unpinned) - 4} more" if shortened and len(unpinned) > 4 else ""
    )
    return f"`{tool} install` of unpinned packages {shown} in the image"


def _pinned_word(word: str) -> bool:
    if re.search(r"==|===|@\s*\S", word):
        return True
    if _BARE_NAME.match(word):
        return False  # `pkg`, `pkg[extra]`: no version at all, no parser needed
    parsed = parse_requirement(word)
    return parsed is not None and parsed.pinned


_ARCHIVES = (".whl", ".tar.gz", ".zip")
#: A requirement by its name alone (extras allowed), so no version.
_BARE_NAME = lazy_compile(r"[A-Za-z0-9][\w.-]*(?:\[[\w,.-]*\])?\Z")
#: A requirement by name with a version operator, whatever the version (a build argument).
_NAMED_REQUIREMENT = lazy_compile(r"^[A-Za-z0-9][\w.-]*(?:\[[\w,.-]*\])?\s*(?:===?|~=|@\s*\S)")
#: A command printing the lock as requirements: `uv export`, `poetry export`, `pdm export`.
_EXPORTS_LOCK = lazy_compile(r"\s*(?:uv|poetry|pdm|pipenv)\s+(?:export|requirements)\b")
_LOCAL_INSTALL = "resolves its dependencies at build time (no lock installed first, no --no-deps)"
#: A repository cloned and checked out at a commit earlier in the same RUN.
_PINNED_CHECKOUT = lazy_compile(
    r"git\s+clone\b.*?\bgit\s+(?:-C\s+\S+\s+)?(?:checkout|reset\s+--hard)\s+[0-9a-f]{7,40}\b",
    re.S,
)


_GIT_CLONE = lazy_compile(
    # the folder on the same line (the next line's first word is a command)
    r"\bgit\s+clone\s+((?:-\S+\s+(?:\S+\s+)?)*?)(\S+://\S+|git@\S+)(?:[ \t]+(?![&;|])(\S+))?"
)
_CD = lazy_compile(r"\bcd\s+(\S+)")
#: `-r file`, `-rfile`, `--requirement=file`: the install reads a requirements file.
_READS_REQUIREMENTS = lazy_compile(r"(?:^|\s)(?:-r|--requirement)")


#: `uv sync`, which installs the project's `uv.lock` (writing one first if there is none).
_UV_SYNC = lazy_compile(r"(?:^|[\s;&|(])uv\s+sync\b")


def _locked_syncs(
    command: str, directory: str, files: frozenset[str], copied_locks: set[str]
) -> list[tuple[int, bool]]:
    """Where a RUN step's `uv sync`s of a committed uv.lock start (kserve's `cd kserve &&
    uv sync --active`, the lock beside the project it enters), each with whether it makes
    the environment exactly the lock's (not `--inexact`: it removes what the lock does
    not hold). In an image it installs the lock (TF804 asks `--locked` of CI, where a
    stale lock must fail the build)."""
    found: list[tuple[int, bool]] = []
    for match in _UV_SYNC.finditer(command):
        cwd = _repository_folder(directory, _entered_folder(command[: match.start()]))
        if _near(files, cwd, "uv.lock") or any(
            posixpath.basename(lock) == "uv.lock" for lock in copied_locks
        ):
            end = command.find("\n", match.end())
            arguments = command[match.end() : end if end >= 0 else len(command)]
            found.append((match.start(), "--inexact" not in arguments))
    return found


def _clones(command: str) -> tuple[dict[str, str], set[str]]:
    """The `git clone`s of a RUN step: folder -> URL of each that checks out no commit or
    tag, and the folders of those that do (`--branch v1.2`/`-b` with a version, or a
    later `git checkout <sha>`)."""
    unpinned: dict[str, str] = {}
    pinned: set[str] = set()
    for match in _GIT_CLONE.finditer(command):
        options, url, folder = match.group(1), match.group(2), match.group(3)
        name = (folder or url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")).strip("'\"")
        name = name.rstrip("/")
        if re.search(r"(?:--branch|-b)\s+v?\d", options) or _PINNED_CHECKOUT.search(command):
            pinned.add(name.rsplit("/", 1)[-1])
        else:
            unpinned[name] = url
    return unpinned, pinned


def _repository_folder(directory: str, folder: str) -> str:
    """The repository folder a step works in after `cd folder` from the build context at
    `directory`; the context itself for an absolute or variable path, which names the
    image's folders, not the repository's."""
    if folder in ("", ".") or folder.startswith(("/", "$", "~")):
        return directory
    return posixpath.normpath(posixpath.join(directory, folder))


def _entered_folder(before: str) -> str:
    """The folder the last `cd` of a RUN step's text before a command enters (`apex` of
    `git clone .../apex && cd apex/ && `), or "" without one."""
    entered = _CD.findall(before)
    return entered[-1].strip("'\"").removeprefix("./").rstrip("/") if entered else ""


def _installed_clone(args: str, before: str, clones: dict[str, str]) -> str | None:
    """The URL of the unpinned clone a local install points at: `./apex`, `apex/`, or
    `.` after `cd apex`."""
    for word in args.split():
        if word.startswith("-"):
            continue
        target = word.strip("'\"").removeprefix("./").rstrip("/")
        if target in ("", "."):
            target = _entered_folder(before)
        if target in clones:
            return clones[target]
        # `/apex` after `RUN git clone .../apex` in the working folder (`/` by default).
        if target.startswith("/") and target.rsplit("/", 1)[-1] in clones:
            return clones[target.rsplit("/", 1)[-1]]
    return None


_NAME_END = lazy_compile(r"[\[<>=!~;\s@]")
_SEPARATORS = lazy_compile(r"[-_.]+")
_SPACES = lazy_compile(r"\s+")


def _project_name(requirement: str) -> str:
    """The normalized project name (PEP 503) of a requirement: `Acme_Client[x]` is `acme-client`."""
    name = _NAME_END.split(requirement.strip("\"'"), maxsplit=1)[0]
    return _SEPARATORS.sub("-", name).lower()


def _near(files: frozenset[str], directory: str, name: str) -> bool:
    while True:
        if (posixpath.join(directory, name) if directory else name) in files:
            return True
        if not directory:
            return False
        directory = posixpath.dirname(directory)


def _copied_from(
    image_path: str,
    copies: tuple[tuple[str, str], ...],
    files: frozenset[str],
    directory: str,
    *,
    folders: bool = False,
    dirs: frozenset[str] = frozenset(),
) -> list[str]:
    """The repository paths a stage's COPY put at `image_path` (the latest COPY first),
    from the Dockerfile's folder, a folder above it or the root as the build context: `requirements.txt`
    after `COPY requirements/* ./` is `requirements/requirements.txt`. `folders`: the
    path is a folder (`COPY kernels/ /kernels`), one of `dirs`."""
    from fnmatch import fnmatchcase

    image_path = posixpath.normpath(image_path)
    found: list[str] = []
    for source, destination in reversed(copies):
        target = posixpath.normpath(destination)
        if image_path != target and not image_path.startswith(target.rstrip("/") + "/"):
            continue
        rest = image_path[len(target) :].lstrip("/")
        pattern = source.removeprefix("./").rstrip("/")
        if any(c in posixpath.basename(pattern) for c in "*?["):
            # `COPY requirements/* ./`: the matching files land in the destination.
            first = rest.split("/", 1)[0]
            if not rest or not fnmatchcase(first, posixpath.basename(pattern)):
                continue
            relative = posixpath.join(posixpath.dirname(pattern), rest)
        else:
            # `COPY kernels/ /kernels` (a folder's contents), `COPY a.txt /app/` (a file
            # into a folder) or `COPY a.txt /app/b.txt`.
            relative = posixpath.join(pattern, rest) if rest else pattern
        for context in dict.fromkeys((*_folder_and_ancestors(directory), "")):
            candidate = posixpath.normpath(posixpath.join(context, relative))
            alone = posixpath.normpath(posixpath.join(context, pattern))
            if candidate in (dirs if folders else files) or (folders and candidate == "."):
                found.append(candidate)  # (`COPY . /app`: the build context itself)
            elif not folders and rest == posixpath.basename(pattern) and alone in files:
                found.append(alone)
    return found


def _folders(repo: Repo) -> frozenset[str]:
    """Every folder of the repository (computed once per run)."""
    return repo.derived(_all_folders)


def _all_folders(repo: Repo) -> frozenset[str]:
    found: set[str] = set()
    for path in repo.by_path:
        folder = posixpath.dirname(path)
        while folder and folder not in found:
            found.add(folder)
            folder = posixpath.dirname(folder)
    return frozenset(found)


def _pins_every_dependency(repo: Repo, copied: str | None, directory: str, path: str) -> bool:
    """Whether the project installed from the image folder `path` (`.`, `./server[gpu]`)
    declares its dependencies in a pyproject `[project]` table, every one of them and of
    the extras installed pinned as TF202 judges a pin (`==`, a ref, one patch series).
    The folder: where a COPY took it from, else the build context's candidates (the
    Dockerfile's folder, the repository root). False when none can be read whole."""
    extras_text = re.search(r"\[([^\]]*)\]$", path.strip("\"'"))
    extras = {e.strip().lower() for e in extras_text.group(1).split(",")} if extras_text else set()
    folder = re.sub(r"\[[^\]]*\]$", "", path.strip("\"'")).rstrip("/") or "."
    candidates = [copied] if copied is not None else []
    if not folder.startswith("/"):
        candidates += [
            posixpath.normpath(posixpath.join(directory, folder)),
            posixpath.normpath(folder),
        ]
    for candidate in dict.fromkeys(candidates):
        manifest = "pyproject.toml" if candidate in ("", ".") else f"{candidate}/pyproject.toml"
        source = repo.source(manifest) if repo.has(manifest) else None
        if source is None:
            if not extras and _setup_reads_pinned_requirements(repo, candidate):
                return True
            continue
        data = source.toml
        project = data.get("project") if isinstance(data, dict) else None
        if not isinstance(project, dict) or "dependencies" in (project.get("dynamic") or []):
            return False
        declared = project.get("dependencies") or []
        optional = project.get("optional-dependencies") or {}
        if not isinstance(declared, list) or not isinstance(optional, dict):
            return False
        for extra in extras:
            more = optional.get(extra)
            if more is None or not isinstance(more, list):
                return False  # an extra not declared here (or read from elsewhere)
            declared = [*declared, *more]
        return all(
            isinstance(item, str) and _pinned_word(item.replace(" ", "")) for item in declared
        )
    return False


#: A requirements file a `setup.py` opens (`open(Path(BASE_DIR, "requirements.txt"))`,
#: `Path("requirements/prod.txt").read_text()`).
_REQUIREMENTS_READ = lazy_compile(r"[\"']([\w./-]*requirements[\w.-]*\.txt)[\"']")


def _setup_py_only(copies: tuple[tuple[str, str], ...]) -> bool:
    """The stage copied `setup.py` by name and no `pyproject.toml` nor a whole folder
    before installing: whatever the repository's pyproject says, the image has none."""
    names = {posixpath.basename(source.rstrip("/")) for source, _ in copies}
    whole = any(source.rstrip("/") in ("", ".") or source.endswith("/") for source, _ in copies)
    return "setup.py" in names and "pyproject.toml" not in names and not whole


def _setup_reads_pinned_requirements(repo: Repo, folder: str) -> bool:
    """A `setup.py` in `folder` with no pyproject beside it that takes its
    `install_requires` from requirements files it reads, each of them pinned throughout
    (as `pip install -r` of them is accepted)."""
    prefix = "" if folder in ("", ".") else f"{folder}/"
    source = repo.source(f"{prefix}setup.py") if repo.has(f"{prefix}setup.py") else None
    text = source.text if source is not None else None
    if text is None or "install_requires" not in text:
        return False
    files = [match.group(1) for match in _REQUIREMENTS_READ.finditer(text)]
    return bool(files) and all(
        _requirements_verdict(repo, posixpath.normpath(f"{prefix}{name}"), "") is True
        for name in files
    )


def _copied_folder(
    repo: Repo, path: str, workdir: str, copies: tuple[tuple[str, str], ...], directory: str
) -> str | None:
    """The repository folder a stage copied to the image folder `path`, if any."""
    found = _copied_from(
        _local_target(path, workdir),
        copies,
        frozenset(),
        directory,
        folders=True,
        dirs=_folders(repo),
    )
    return found[0] if found else None


#: A folder of wheels by its conventional name, installed whole: `/wheels/*`,
#: `wheelhouse/*.whl` (what `pip wheel --wheel-dir /wheels -r requirements.lock` wrote).
_WHEEL_FOLDER = lazy_compile(r"(?:^|/)(?:wheels|wheelhouse)/\*(?:\.whl)?$")


def _wheels(path: str) -> bool:
    """A wheel (`app-1.0-py3-none-any.whl`) or a folder of wheels (`/wheels/*`)."""
    return path.endswith(".whl") or _WHEEL_FOLDER.search(path) is not None


def _folder_and_ancestors(folder: str) -> list[str]:
    """`a/b/c`, `a/b`, `a` (not the root): where a build context may be, nearest first."""
    found: list[str] = []
    while folder not in ("", "."):
        found.append(folder)
        folder = posixpath.dirname(folder)
    return found


def _requirements_verdict(
    repo: Repo,
    path: str,
    directory: str,
    copied: list[str] | None = None,
    pinned_names: set[str] | None = None,
) -> bool | str | None:
    """True: a lock; a message: unpinned requirements; None: cannot tell (file not found).
    `copied`: where a COPY of the stage took the file from; `pinned_names` gets the names
    a pinned file pins (a later `pip install` of one of them changes nothing)."""
    if _LOCK_NAME.search(posixpath.basename(path)):
        return True
    # The build context is usually the Dockerfile's folder or the repository root, or a
    # folder between (`docker build -f services/search/docker/Dockerfile services/search`):
    # the nearest that holds the file.
    candidates = [
        *(copied or ()),
        *(
            posixpath.normpath(posixpath.join(folder, path))
            for folder in _folder_and_ancestors(directory)
        ),
        posixpath.normpath(path.lstrip("/")),
    ]
    for candidate in dict.fromkeys(candidates):
        source = repo.source(candidate) if repo.has(candidate) else None
        if source is None or source.text is None:
            continue
        requirements, _, hashed = parse_requirements(source.text)
        if hashed:
            if pinned_names is not None:
                pinned_names.update(r.name for r in requirements)
            return True
        # Build and test tools left open beside pinned requirements never run in the
        # product (`pytest` at the end of the image's pinned requirements.txt).
        # A name pinned on another line (`newspaper4k==0.9.3.1` above `newspaper4k[zh]`)
        # is pinned: the second line only adds extras, as TF202 reads it.
        pinned = {r.name for r in requirements if r.pinned}
        unpinned = [
            r
            for r in requirements
            if not r.pinned and r.name not in pinned and not is_build_tool(r.name)
        ]
        if not requirements or not unpinned:
            if requirements and pinned_names is not None:
                pinned_names.update(pinned)
            return True if requirements else None
        shown = ", ".join(f"`{r.text}`" for r in unpinned[:3]) + (
            f" and {len(unpinned) - 3} more" if len(unpinned) > 3 else ""
        )
        return f"`pip install -r {path}` installs unpinned requirements ({shown}) in the image"
    return None
