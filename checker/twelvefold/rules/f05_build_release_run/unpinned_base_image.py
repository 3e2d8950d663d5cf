"""TF503 unpinned-base-image: Dockerfile base image with no tag or `latest`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from twelvefold.detectors import dockerfile
from twelvefold.detectors.compose import compose_services
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Finding, Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import FileRule
from twelvefold.rules.f05_build_release_run._shared import (
    _DOCKERFILE_KINDS,
)
from twelvefold.sources import SourceFile


class UnpinnedBaseImage(FileRule):
    """## What it does
    Reports a Dockerfile `FROM` whose image has no tag, the `latest` tag
    (`FROM python`, `FROM pytorch/pytorch:latest`, `latest-gpu`) or a tag naming only a
    variant or a channel (`node:slim`, `python:alpine`, `ubuntu:rolling`: the newest
    version's), and a `COPY --from=` that pulls
    files out of such an image (`COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv`),
    as a warning: the tool it copies moves, the runtime does not. A base image whose
    name holds the version it ships (`gcr.io/deeplearning-platform-release/tf2-cpu.2-3`)
    is a warning too: only its patches move, as is a moving tag that holds the version of
    the toolchain it builds on (`cargo-chef:latest-rust-1.85.1`). So is a bare name with
    no tag and no registry (`FROM python`, `FROM cluster-base`): it may be an image a script of the
    repository builds first (`docker build -t cluster-base`), which the Dockerfile alone
    cannot tell from Docker Hub's. So is a conda installer image
    (`continuumio/miniconda3`) in which the environment is created from its file
    (`conda env create -f environment.yml`): the runtime is the file's. So is a one-stage
    wrapper of an organisation's image (`ghcr.io/org/app:latest` with only `ENV`,
    `EXPOSE`, `ENTRYPOINT`...: no `RUN`, `COPY` or `ADD`), which exists to follow that
    image's releases. Not reported: a base image the repository builds itself, named by
    the `image:` of a compose service with a `build:` (bugbug's `mozilla/bugbug-base`,
    built by the same `docker compose build` as the images `FROM` it). One moving image
    copied the same way into several Dockerfiles (`COPY --from=ghcr.io/astral-sh/uv:latest`
    in each) is one finding, at the first, naming the others. Fine: a pinned tag
    (`python:3.12-slim`), a digest (`@sha256:...`), `FROM scratch`, an earlier stage's
    name (`FROM builder`), and `ARG`-parametrised images whose default is pinned
    (`ARG PY=3.12` then `FROM python:${PY}-slim`). An `ARG` with no default cannot be
    judged and is not reported; one whose default moves is a warning (the build may pass
    another: `--build-arg BASE=org/app:0.13.2`). In a course every finding is a warning:
    its images are its lessons' (a lab's static front end on `nginx:alpine`); so is one
    in a script folder (a maintainer's migration tool under `hack/` or `scripts/`) or a
    demo's folder (`web_demos/`, `gradio_demo/`): nothing ships from them.

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

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """Leave out a base image the repository builds itself: a compose service with a
        `build:` that names its `image:` (bugbug's `mozilla/bugbug-base`, built by the
        same `docker compose build` as the images `FROM` it); and report one moving image
        copied the same way into several Dockerfiles once, naming the others, as a
        course's base image repeated in each student's folder."""
        built = repo.derived(_images_built_by_compose)
        kept = []
        copies: dict[str, list[Finding]] = {}  # message -> the same copy in each file
        for finding in findings:
            named = _BASE_IMAGE.match(finding.message)
            if named is not None and built:
                image = dockerfile.split_image(named.group(2) or named.group(1))[0].lower()
                if image in built:
                    continue
            # A course's students each start from the same image (`continuumio/anaconda3`
            # in every `model_api_N/`): one lesson's choice, one finding.
            lesson = repo.model.kind == project_kind.COURSE and named is not None
            if finding.message.startswith("`COPY --from=") or lesson:
                if finding.message not in copies:
                    copies[finding.message] = []
                    kept.append(finding)
                copies[finding.message].append(finding)
                continue
            kept.append(finding)
        # One moving tool image copied the same way into every Dockerfile (bugbug's
        # `COPY --from=ghcr.io/astral-sh/uv:latest` in fourteen): one fix, one finding.
        for message, same in copies.items():
            first = min(same, key=lambda f: (f.path or "", f.line or 0))
            others = sorted({f.path for f in same if f.path not in (None, first.path)})
            index = next(i for i, f in enumerate(kept) if f.message == message)
            if not others:
                # One Dockerfile: each of its copies stays a finding of its own.
                kept[index + 1 : index + 1] = same[1:]
                continue
            kept[index] = replace(
                first,
                message=f"{message} (and in {len(others)} more Dockerfile"
                f"{'s' if len(others) > 1 else ''})",
                files=tuple(others),
            )
        return kept

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
            image, tag, _ = dockerfile.split_image(expanded)
            named = _VERSIONED_NAME.search(image.rsplit("/", 1)[-1])
            # `cargo-chef:latest-rust-1.85.1`, `langgraph-api:latest-py3.12`: the tag
            # pins the toolchain it builds on; only the tool's own release moves.
            versioned_tag = tag is not None and _TAG_VERSION.search(tag) is not None
            # `FROM cluster-base`: a bare name with no tag may be an image a script of
            # the repository builds (`docker build -t cluster-base`), which this file
            # cannot tell from Docker Hub's `python`: a warning, not a gate failure.
            local_name = tag is None and "/" not in image
            # `continuumio/miniconda3` then `conda env create -f environment.yml`: the
            # runtime is the environment file's; the installer and its OS move.
            installer = (
                image.rsplit("/", 1)[-1].lower() in _CONDA_INSTALLER_IMAGES
                and _ENVIRONMENT_FROM_FILE.search(file.text) is not None
            )
            # `ARG BASE=org/app:latest` then `FROM $BASE`: a default the build script
            # may replace (`--build-arg BASE=org/app:0.13.2`), which this file cannot see.
            from_arg = base != expanded
            # `FROM ghcr.io/org/app:latest` + `ENTRYPOINT [...]`: a wrapper that only
            # configures an organisation's release image, to follow its releases.
            wrapper = len(parsed.stages) == 1 and "/" in image and _configures_only(stage)
            # A course's images are its lessons' (a lab's nginx front end): a warning.
            lesson = file.repo_kind == project_kind.COURSE
            # A maintainer's tool image (`hack/kserve_migration/`) or a demo's
            # (`web_demos/.../web_server/`): nothing ships from it.
            aside = file.role == role.SCRIPT or _in_demo_folder(file.path)
            note = (
                " (its name holds the version: only patches move)"
                if named
                else " (its tag holds the version it builds on: only the image's own release moves)"
                if versioned_tag
                else " (the environment comes from its file: only the conda installer and "
                "its OS move)"
                if installer
                else " (an `ARG` default: the build may pass another with `--build-arg`)"
                if from_arg
                else " (a wrapper that only configures that image: it follows its releases)"
                if wrapper
                else " (a course's image: a lesson's, not a deploy's)"
                if lesson
                else " (a script's or a demo's image: nothing ships from it)"
                if aside
                else ""
            )
            yield Violation(
                (
                    f"base image `{base}` (= `{expanded}`) {problem}"
                    if from_arg
                    else f"base image `{base}` {problem}"
                )
                + note,
                line=stage.instruction.line,
                fix=f"Pin `{expanded}` to a version tag (e.g. `{_suggest(expanded)}`) or a digest.",
                # `tf2-cpu.2-3`: the image's name pins TensorFlow 2.3, the tag its patches
                severity=Severity.WARNING
                if named
                or versioned_tag
                or local_name
                or installer
                or from_arg
                or wrapper
                or lesson
                or aside
                else None,
            )
        stage_names = {stage.name for stage in parsed.stages if stage.name}
        yield from _unpinned_copy_sources(parsed, stage_names)


#: A folder named for a demo: `web_demos`, `gradio_demo`, `Lab_Class_Demo`, `demo-ui`.
_DEMO_FOLDER = lazy_compile(r"(?:[a-z0-9.]+[-_])*demos?(?:[-_][a-z0-9.]+)*")


def _in_demo_folder(path: str) -> bool:
    return any(_DEMO_FOLDER.fullmatch(folder.lower()) for folder in path.split("/")[:-1])


#: The image a finding names: `base image `X`` or `base image `$B` (= `X`)`.
_BASE_IMAGE = lazy_compile(r"base image `([^`]+)`(?: \(= `([^`]+)`\))?")


def _images_built_by_compose(repo: Repo) -> frozenset[str]:
    """The images (without tag, lower case) that compose services build from the
    repository: `build:` and `image: mozilla/bugbug-base` on one service."""
    return frozenset(
        dockerfile.split_image(service["image"])[0].lower()
        for _, service in compose_services(repo)
        if service.get("build") and isinstance(service.get("image"), str)
    )


#: Instructions that configure an image without adding to it.
_CONFIGURING = frozenset(
    {"ENV", "EXPOSE", "ENTRYPOINT", "CMD", "LABEL", "ARG", "WORKDIR", "USER", "HEALTHCHECK"}
    | {"STOPSIGNAL", "VOLUME", "SHELL", "ONBUILD", "MAINTAINER"}
)


def _configures_only(stage: dockerfile.Stage) -> bool:
    """The stage adds nothing to its base (no `RUN`, `COPY` or `ADD`): it sets a port, an
    entrypoint, variables."""
    return all(
        instruction.keyword in _CONFIGURING
        for instruction in stage.instructions
        if instruction is not stage.instruction
    )


#: An image name that carries the version of what it ships (`tf2-cpu.2-3`,
#: `pytorch-gpu.1-13`, `python3.11-slim`): a moving tag moves within that version.
_VERSIONED_NAME = lazy_compile(r"[a-z][.-]?\d+[.-]\d+(?:$|[.-])")


#: Images that ship only a conda installer: what runs is the environment built in them.
_CONDA_INSTALLER_IMAGES = frozenset(
    {"miniconda", "miniconda3", "anaconda3", "mambaforge", "miniforge3", "micromamba"}
)
#: An environment created from a file: `conda env create -f environment.yml`,
#: `micromamba install -y -n base -f env.yaml`, `mamba env update --file ...`.
_ENVIRONMENT_FROM_FILE = lazy_compile(
    r"\b(?:conda|mamba|micromamba)\s+(?:env\s+)?(?:create|update|install)\b[^\n]*?"
    r"\s(?:-f|--file)[\s=]"
)


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
    words = re.split(r"[-_.]", tag.lower())
    if "latest" in words:
        return f"uses the moving `{tag}` tag"  # `latest-gpu`, `latest-fips-dev`, `gpu-latest`
    if set(words) <= _MOVING_WORDS:
        # `node:slim`, `python:alpine`, `ubuntu:rolling`: a variant of whatever is newest
        return f"uses the moving `{tag}` tag (no version in it)"
    return None


#: A dotted version in a moving tag (`latest-rust-1.85.1`, `latest-py3.12`).
_TAG_VERSION = lazy_compile(r"\d+\.\d+")


#: Tags that name a variant or a channel, never a version: alone, they follow the newest.
_MOVING_WORDS = frozenset(
    {"slim", "alpine", "stable", "lts", "edge", "nightly", "rolling", "current", "main", "master"}
)


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
            # files copied out of a tool's image (uv, a binary): the runtime stays pinned
            severity=Severity.WARNING,
        )


def _suggest(image: str) -> str:
    repository = dockerfile.split_image(image)[0]
    if repository.rsplit("/", 1)[-1] == "python":
        return f"{repository}:3.12-slim"
    return f"{repository}:<version>"
