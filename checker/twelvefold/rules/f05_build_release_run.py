"""Factor 5 - Build, release, run: separate stages."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.detectors import dockerfile
from twelvefold.lazy_regex import lazy_compile
from twelvefold.manifests import parse_requirements
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.knowledge import is_build_tool
from twelvefold.repo import Repo
from twelvefold.rule import FileRule, RepoRule
from twelvefold.sources import SourceFile

_DOCKERFILE_KINDS = frozenset({kinds.DOCKERFILE})


class NoBuildConfiguration(RepoRule):
    """## What it does
    Reports a Python project with nothing that builds it into an artifact: no
    `[build-system]` table in any `pyproject.toml`, no `setup.py`, and no Dockerfile
    (or Containerfile).

    Applies to applications (services, pipelines) and libraries. Not to a DVC pipeline
    whose outputs are its release: a `dvc.yaml` with stages at the root and the
    `dvc.lock` that records them. `dvc repro` is its build, and the lock versions each
    artifact (data, model) by content hash with the code, parameters and inputs that
    produced it; the stage scripts are never installed or shipped on their own, so a
    wheel or an image of them would release nothing. Nor to research scripts, courses,
    templates or competition solutions: nobody releases those as artifacts.

    ## Why is this bad?
    Without a build stage there is no versioned artifact (a wheel, an image) to release
    and run: production runs whatever happens to be checked out, installed by hand, and
    nobody can say which code a deployed model came from or roll back to the previous one.

    ## Example
    A training script, a service and a `requirements.txt`, nothing else:
    ```python
    # train.py
    import joblib
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    df = pd.read_parquet("data/customers.parquet")
    model = LogisticRegression(max_iter=1000).fit(df.drop(columns="churn"), df["churn"])
    joblib.dump(model, "model.joblib")
    ```
    ```python
    # serve.py
    import joblib
    from fastapi import FastAPI

    app = FastAPI()
    model = joblib.load("model.joblib")
    ```
    ```text
    # requirements.txt
    fastapi==0.115.0
    joblib==1.4.2
    pandas==2.2.3
    scikit-learn==1.5.2
    ```

    ## Use instead
    Make the project a package with a build backend:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    version = "0.1.0"
    requires-python = ">=3.11"
    dependencies = ["fastapi>=0.115", "pandas>=2.2", "scikit-learn>=1.5"]

    [build-system]
    requires = ["hatchling"]
    build-backend = "hatchling.build"
    ```
    or describe the runtime image in a `Dockerfile` that installs the locked
    dependencies.
    """

    code = "TF501"
    depends_on = ("@manifests", "@dockerfiles", "/dvc.yaml", "/dvc.lock")
    name = "no-build-configuration"
    factor = 5
    severity = Severity.WARNING
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.LIBRARY})
    summary = "No build configuration ([build-system], setup.py or Dockerfile)"
    fix = "Add a [build-system] table to pyproject.toml (e.g. hatchling) or a Dockerfile that builds the release image."

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if repo.named("setup.py") or repo.of_kind(kinds.DOCKERFILE):
            return
        if _dvc_pipeline(repo):
            return
        for entry in repo.named("pyproject.toml"):
            source = repo.source(entry.path)
            if source is not None and isinstance((source.toml or {}).get("build-system"), dict):
                return
        pyproject = next(iter(repo.named("pyproject.toml")), None)
        if pyproject is not None:
            yield Violation(
                f"{pyproject.path} has no [build-system] table and there is no Dockerfile: nothing builds a release artifact",
                path=pyproject.path,
            )
        else:
            yield Violation(
                "no build configuration: no pyproject.toml [build-system], setup.py or Dockerfile"
            )


def _dvc_pipeline(repo: Repo) -> bool:
    """Whether the repository is a DVC pipeline whose artifacts DVC versions: a root
    `dvc.yaml` with `stages` and the `dvc.lock` that records their outputs."""
    if not (repo.has("dvc.yaml") and repo.has("dvc.lock")):
        return False
    source = repo.source("dvc.yaml")
    data = source.yaml if source is not None and source.text is not None else None
    return isinstance(data, dict) and isinstance(data.get("stages"), dict) and bool(data["stages"])


_SETUP_VERSION = lazy_compile(r"\bversion\s*=")
_INIT_VERSION = lazy_compile(r"^__version__\s*(?::\s*\w+\s*)?=", re.MULTILINE)


class NoVersion(RepoRule):
    """## What it does
    Reports a Python package that declares no version: its `pyproject.toml` has a
    `[project]` (or `[tool.poetry]`) table with neither `version` nor `"version"` in
    `dynamic`, and no `setup.py`/`setup.cfg` sets one. Projects built only as images are
    not checked: their version is the image tag given at build time.

    ## Why is this bad?
    A release is a build plus its config, identified by a version. Without one, two
    builds of different code are indistinguishable, models cannot record which code
    produced them, and rolling back means guessing a commit.

    ## Example
    ```toml
    [project]
    name = "churn-model"
    dependencies = ["pandas>=2.2"]
    ```

    ## Use instead
    ```toml
    [project]
    name = "churn-model"
    version = "0.3.0"  # or dynamic = ["version"] with a VCS/file source
    ```
    """

    code = "TF502"
    depends_on = ("@manifests",)
    name = "no-version"
    factor = 5
    severity = Severity.WARNING
    roles = role.PRODUCT
    summary = "Package with no version"
    fix = 'Set `version = "0.1.0"` in [project], or `dynamic = ["version"]` with a version source (hatch-vcs, __version__).'
    requires = ("TF501",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        for entry in repo.named("pyproject.toml"):
            source = repo.source(entry.path)
            data = source.toml if source is not None else None
            if source is None or not isinstance(data, dict):
                continue
            project = data.get("project")
            tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
            poetry = tool.get("poetry") if isinstance(tool, dict) else None
            if isinstance(project, dict):
                dynamic = project.get("dynamic") or []
                if project.get("version") or (isinstance(dynamic, list) and "version" in dynamic):
                    continue
                if isinstance(poetry, dict) and poetry.get("version"):
                    continue
                if self._setup_has_version(repo, posixpath.dirname(entry.path)):
                    continue
                line = next(
                    (n for n, text in enumerate(source.lines, 1) if text.strip() == "[project]"),
                    None,
                )
                name = project.get("name")
                yield Violation(
                    f"{entry.path}: package `{name}` declares no version (no `version`, not in `dynamic`)"
                    if name
                    else f"{entry.path}: [project] declares no version",
                    path=entry.path,
                    line=line,
                )
            elif isinstance(poetry, dict) and "version" not in poetry and "name" in poetry:
                yield Violation(
                    f"{entry.path}: [tool.poetry] package `{poetry['name']}` declares no version",
                    path=entry.path,
                )

    def _setup_has_version(self, repo: Repo, directory: str) -> bool:
        for name in ("setup.py", "setup.cfg"):
            source = repo.source(posixpath.join(directory, name) if directory else name)
            if source is not None and source.text and _SETUP_VERSION.search(source.text):
                return True
        return False


class UnpinnedBaseImage(FileRule):
    """## What it does
    Reports a Dockerfile `FROM` whose image has no tag or the `latest` tag
    (`FROM python`, `FROM pytorch/pytorch:latest`), and a `COPY --from=` that pulls
    files out of such an image (`COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv`).
    Fine: a pinned tag
    (`python:3.12-slim`), a digest (`@sha256:...`), `FROM scratch`, an earlier stage's
    name (`FROM builder`), and `ARG`-parametrised images whose default is pinned
    (`ARG PY=3.12` then `FROM python:${PY}-slim`). An `ARG` with no default cannot be
    judged and is not reported.

    ## Why is this bad?
    The build is not repeatable: `latest` moves, so the same commit builds a different
    image next week (a new Python, a new CUDA, a new glibc), and a model that passed its
    tests ships on a runtime nobody tested.

    ## Example
    ```dockerfile
    FROM python
    COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12.8-slim-bookworm
    # or pin the digest: FROM python:3.12-slim@sha256:...
    COPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /bin/uv
    ```
    """

    code = "TF503"
    name = "unpinned-base-image"
    factor = 5
    severity = Severity.ERROR
    roles = role.OWN_CODE
    repo_kinds = frozenset(
        {
            project_kind.APPLICATION,
            project_kind.RESEARCH,
            project_kind.COURSE,
        }
    )
    summary = "Dockerfile base image with no tag or `latest`"
    fix = "Pin the base image to a version tag (python:3.12-slim) or a digest."
    kinds = _DOCKERFILE_KINDS
    prefilter = lazy_compile(rb"(?im)^\s*from\s")

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if file.text is None:
            return
        parsed = dockerfile.parse(file.text)
        global_args = parsed.global_args
        seen_stages: set[str] = set()
        for stage in parsed.stages:
            base = stage.base
            if stage.name:
                seen_stages.add(stage.name)
            if not base or base.lower() == "scratch" or base.lower() in seen_stages - {stage.name}:
                continue
            expanded = dockerfile.expand(base, global_args)
            if expanded is None:
                continue  # an ARG with no default: the caller pins it, or not; unknown
            if expanded.lower() in seen_stages - {stage.name} or expanded.lower() == "scratch":
                continue
            problem = _moving_reference(expanded)
            if problem is None:
                continue
            shown = base if base == expanded else f"{base}` (= `{expanded}`)"
            yield Violation(
                f"base image `{shown}` {problem}"
                if base != expanded
                else f"base image `{base}` {problem}",
                line=stage.instruction.line,
                fix=f"Pin `{expanded}` to a version tag (e.g. `{_suggest(expanded)}`) or a digest.",
            )
        stage_names = {stage.name for stage in parsed.stages if stage.name}
        yield from _unpinned_copy_sources(parsed, stage_names)


def _moving_reference(image: str) -> str | None:
    """What is wrong with an image reference that moves (no tag, or `latest`), or None
    for one pinned by a version tag or a digest."""
    _, tag, digest = dockerfile.split_image(image)
    if digest:
        return None
    if tag is None:
        return "has no tag (it means `latest`)"
    if tag.lower() == "latest":
        return "uses the moving `latest` tag"
    return None


def _unpinned_copy_sources(
    parsed: dockerfile.Dockerfile, stage_names: set[str]
) -> Iterator[Violation]:
    """`COPY --from=IMAGE` pulling files from an image with no tag or `latest`
    (`COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv`). A stage's name or index is
    no image, and a bare word may be a named build context: only a reference with a
    registry path or a tag counts."""
    variables = parsed.global_args
    for instruction in parsed.instructions:
        if instruction.keyword != "COPY":
            continue
        source = instruction.flags.get("from")
        if not source:
            continue
        expanded = dockerfile.expand(source, variables)
        if expanded is None or expanded.lower() in stage_names or expanded.isdigit():
            continue
        if not any(mark in expanded for mark in "/:@"):
            continue
        problem = _moving_reference(expanded)
        if problem is None:
            continue
        yield Violation(
            f"`COPY --from={source}` copies from an image that {problem}",
            line=instruction.line,
            fix=f"Pin `{expanded}` to a version tag (e.g. `{_suggest(expanded)}`) or a digest.",
        )


def _suggest(image: str) -> str:
    repository = dockerfile.split_image(image)[0]
    if repository.rsplit("/", 1)[-1] == "python":
        return f"{repository}:3.12-slim"
    return f"{repository}:<version>"


# Files that hold secrets and must never be copied into an image.
_SECRET_FILE = lazy_compile(
    r"(?:^|/)(?:\.env(?:\.[\w.-]+)?|[\w.-]*\.env|id_rsa|id_ed25519|\.netrc|\.pypirc|\.npmrc|"
    r"credentials|[\w.-]*credentials[\w.-]*\.json|service[-_]account[\w.-]*\.json|[\w.-]*\.pem|[\w.-]*\.p12|[\w.-]*\.key)$"
)


def _is_secret_source(path: str) -> bool:
    path = path.rstrip("/").strip("\"'")
    name = posixpath.basename(path)
    if kinds.is_dotenv_template(name) or name in (".envrc",):
        return False
    if "*" in name and name.startswith(".env"):
        return True  # `.env*` copies the real .env along with the example
    return bool(_SECRET_FILE.search(path))


class SecretInImage(FileRule):
    """## What it does
    Reports secrets baked into a container image by its Dockerfile: `COPY`/`ADD` of a
    `.env` file, SSH or cloud credentials (`id_rsa`, `.netrc`, `credentials.json`,
    `*.pem`, `*.key`), and `ENV`/`ARG` instructions that put a secret-named variable
    into the image (`ENV HF_TOKEN=$HF_TOKEN`, `ARG GITHUB_TOKEN=ghp_...`). A literal
    credential value is reported once, by `hard-coded-secret` (TF301), not again here.
    Templates (`.env.example`) and variables pointing at files (`*_FILE`,
    `/run/secrets/...`) are fine.

    ## Why is this bad?
    Every layer of an image is readable by anyone who can pull it: `docker history` and
    `docker save` show `ENV` values, build args and copied files even if a later layer
    deletes them. The secret then ships to every registry and machine the image goes
    to, and the image only works with one deploy's credentials.

    ## Example
    ```dockerfile
    COPY .env /app/.env
    ARG HF_TOKEN
    ENV HF_TOKEN=${HF_TOKEN}
    ```

    ## Use instead
    ```dockerfile
    RUN --mount=type=secret,id=hf_token HF_TOKEN=$(cat /run/secrets/hf_token) python download.py
    ```
    and pass runtime secrets with `docker run --env-file .env` or the orchestrator's
    secret store. Add `.env` to `.dockerignore`.
    """

    code = "TF504"
    name = "secret-in-image"
    factor = 5
    severity = Severity.ERROR
    summary = "Secret or .env file baked into a container image"
    fix = "Pass secrets at run time (--env-file, orchestrator secrets) or with RUN --mount=type=secret; never COPY/ENV them."
    kinds = _DOCKERFILE_KINDS
    prefilter = (
        b".env",
        b"id_rsa",
        b"id_ed25519",
        b"netrc",
        b"pypirc",
        b"npmrc",
        b"credentials",
        b"service",
        b".pem",
        b".key",
        b".p12",
        b"ENV",
        b"ARG",
        b"env ",
        b"arg ",
    )

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if file.text is None:
            return
        from twelvefold.detectors.secrets import is_placeholder, is_secret_key, scan_lines

        parsed = dockerfile.parse(file.text)
        for instruction in parsed.instructions:
            if instruction.keyword in ("COPY", "ADD"):
                words = list(instruction.exec_form) if instruction.exec_form else instruction.words
                if "--from" in instruction.flags or len(words) < 2:
                    continue  # from another stage or image: not the build context
                for source in words[:-1]:
                    if _is_secret_source(source):
                        yield Violation(
                            f"`{instruction.keyword} {source}` copies a secrets file into the image",
                            line=instruction.line,
                            fix=f"Remove the {instruction.keyword}, add `{source}` to .dockerignore, and pass its values at run time (`docker run --env-file`).",
                        )
            elif instruction.keyword in ("ENV", "ARG"):
                literal_lines = list(range(instruction.line, instruction.end_line + 1))
                reported_by_tf301 = any(
                    True
                    for _ in scan_lines(
                        [file.lines[n - 1] for n in literal_lines if n - 1 < len(file.lines)],
                        file.data,
                        file.lower,
                        code=False,
                    )
                )
                for name, raw_value in _assignments(instruction):
                    if not is_secret_key(name) or raw_value is None:
                        continue
                    value = raw_value.strip("\"'")
                    if not value or value.startswith("/run/secrets"):
                        continue
                    if value.startswith("$"):
                        if instruction.keyword == "ARG":
                            continue
                        problem = f"`ENV {name}={value}` stores the secret in the image's config, readable with `docker inspect`"
                    elif is_placeholder(value) or reported_by_tf301:
                        continue
                    else:
                        problem = (
                            f"`{instruction.keyword} {name}` bakes a literal secret into the image"
                        )
                    yield Violation(problem, line=instruction.line)


def _assignments(instruction: dockerfile.Instruction) -> Iterator[tuple[str, str | None]]:
    words = instruction.words
    # Legacy `ENV NAME value with spaces`.
    if instruction.keyword == "ENV" and words and "=" not in words[0]:
        yield words[0], " ".join(words[1:]) or None
        return
    for word in words:
        name, equals, value = word.partition("=")
        yield name, value if equals else None


_PIP_INSTALL = lazy_compile(
    r"(?:^|[\s;&|(])(?:(?:python3?(?:\.\d+)?|\S*/python3?)\s+-m\s+)?(?P<tool>uv\s+pip|pip3?|poetry|pipenv|conda|mamba|micromamba)\s+(?P<verb>install|add|sync)\b(?P<args>[^;&|\n]*)"
)
_LOCK_NAME = lazy_compile(
    r"(?:\.lock$|lock[\w.-]*\.txt$|[-_.]lock(?:ed)?\b|constraints|pinned)", re.IGNORECASE
)
_OPTIONS_WITH_VALUE = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "--target",
        "-t",
        "--prefix",
        "--root",
        "--python",
        "--platform",
        "--python-version",
        "--only-binary",
        "--no-binary",
        "--trusted-host",
        "--cache-dir",
        "--src",
        "--progress-bar",
        "--implementation",
        "--abi",
        "--upgrade-strategy",
        "--report",
        "-p",
    }
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
    extras of a version pinned in the same command (`pip install pkg==1.4 pkg[extra]`).

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
            for stage in parsed.stages:
                locked_before = False
                for instruction in stage.instructions:
                    if instruction.keyword != "RUN":
                        continue
                    for match in _PIP_INSTALL.finditer(instruction.shell_text):
                        tool = re.sub(r"\s+", " ", match.group("tool"))
                        verdict = self._judge(
                            repo,
                            tool,
                            match.group("verb"),
                            match.group("args"),
                            directory,
                            files,
                            locked_before,
                        )
                        if verdict is True:
                            locked_before = True
                        elif isinstance(verdict, str):
                            yield Violation(verdict, path=entry.path, line=instruction.line)

    def _judge(
        self,
        repo: Repo,
        tool: str,
        verb: str,
        args: str,
        directory: str,
        repo_files: frozenset[str],
        locked_before: bool,
    ) -> bool | str | None:
        """True: a locked install; a message: an unlocked one; None: not judged."""
        words = args.split()
        if tool in ("poetry", "pipenv"):
            if verb != "install":
                return None
            lock = "poetry.lock" if tool == "poetry" else "Pipfile.lock"
            if _near(repo_files, directory, lock):
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
        no_deps = "--no-deps" in words
        constrained = False
        hashes = "--require-hashes" in words
        index = 0
        while index < len(words):
            word = words[index]
            if word in _OPTIONS_WITH_VALUE:
                value = words[index + 1] if index + 1 < len(words) else ""
                if word in ("-r", "--requirement"):
                    requirement_files.append(value)
                elif word in ("-c", "--constraint"):
                    constrained = True
                elif word in ("-e", "--editable"):
                    local = True
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
            elif word.startswith((".", "/")) or word.endswith((".whl", ".tar.gz")) or "$" in word:
                local = True
            else:
                packages.append(word.strip("\"'"))
            index += 1
        if constrained or hashes:
            return True
        for path in requirement_files:
            verdict = _requirements_verdict(repo, path, directory)
            if verdict is True:
                return True
            if isinstance(verdict, str):
                return verdict
        pinned = {_project_name(p) for p in packages if re.search(r"==|===|@\s*\S", p)}
        # `pkg==1.4.2 pkg[extra]` only adds extras to the version pinned on the same line.
        unpinned = [
            p
            for p in packages
            if _project_name(p) not in pinned and not is_build_tool(_project_name(p))
        ]
        if unpinned:
            shown = ", ".join(f"`{p}`" for p in unpinned[:4]) + (
                " ..." if len(unpinned) > 4 else ""
            )
            return f"`{tool} install` of unpinned packages {shown} in the image"
        if local and not no_deps and not locked_before and not requirement_files:
            return f"`{tool} install` of the project resolves its dependencies at build time (no lock installed first, no --no-deps)"
        return None


def _project_name(requirement: str) -> str:
    """The normalized project name (PEP 503) of a requirement: `Acme_Client[x]` is `acme-client`."""
    name = re.split(r"[\[<>=!~;\s@]", requirement.strip("\"'"), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _near(files: frozenset[str], directory: str, name: str) -> bool:
    while True:
        if (posixpath.join(directory, name) if directory else name) in files:
            return True
        if not directory:
            return False
        directory = posixpath.dirname(directory)


def _requirements_verdict(repo: Repo, path: str, directory: str) -> bool | str | None:
    """True: a lock; a message: unpinned requirements; None: cannot tell (file not found)."""
    if _LOCK_NAME.search(posixpath.basename(path)):
        return True
    # The build context is usually the Dockerfile's folder or the repository root.
    candidates = [
        posixpath.normpath(posixpath.join(directory, path)),
        posixpath.normpath(path.lstrip("/")),
    ]
    for candidate in dict.fromkeys(candidates):
        source = repo.source(candidate) if repo.has(candidate) else None
        if source is None or source.text is None:
            continue
        requirements, _, hashed = parse_requirements(source.text)
        if hashed:
            return True
        # Build and test tools left open beside pinned requirements never run in the
        # product (`pytest` at the end of the image's pinned requirements.txt).
        unpinned = [r for r in requirements if not r.pinned and not is_build_tool(r.name)]
        if not requirements or not unpinned:
            return True if requirements else None
        shown = ", ".join(f"`{r.text}`" for r in unpinned[:3]) + (
            f" and {len(unpinned) - 3} more" if len(unpinned) > 3 else ""
        )
        return f"`pip install -r {path}` installs unpinned requirements ({shown}) in the image"
    return None
