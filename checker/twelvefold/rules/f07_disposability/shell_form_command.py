"""TF702 shell-form-command: Dockerfile CMD/ENTRYPOINT in shell form (signals do not
reach the process).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.detectors import dockerfile
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.rule import FileRule
from twelvefold.sources import SourceFile

#: Init programs run as PID 1 by an exec-form ENTRYPOINT: they forward signals to the
#: command (CMD) they start, so a shell running that command is not PID 1.
_INITS = frozenset({"tini", "tini-static", "dumb-init", "catatonit"})


def _init_entrypoints(parsed: dockerfile.Dockerfile) -> set[int]:
    """Indexes of the stages whose ENTRYPOINT (their own, or inherited from the earlier
    stage they are built `FROM`) is an init in exec form (`["/tini", "--"]`)."""
    wrapped: set[int] = set()
    by_name: dict[str, int] = {}
    for stage in parsed.stages:
        entrypoint = None
        for instruction in stage.instructions:
            if instruction.keyword == "ENTRYPOINT":
                entrypoint = instruction
        if entrypoint is None:
            parent = by_name.get(stage.base.lower())
            if parent is not None and parent in wrapped:
                wrapped.add(stage.index)
        elif entrypoint.exec_form and posixpath.basename(entrypoint.exec_form[0]) in _INITS:
            wrapped.add(stage.index)
        if stage.name is not None:
            by_name[stage.name] = stage.index
    return wrapped


def _last_per_stage(
    parsed: dockerfile.Dockerfile,
) -> Iterator[tuple[dockerfile.Stage, dockerfile.Instruction]]:
    """The CMD and ENTRYPOINT that take effect in each stage that can be run."""
    copied_from = set()
    for instruction in parsed.instructions:
        source = instruction.flags.get("from")
        if instruction.keyword in ("COPY", "ADD") and source:
            copied_from.add(source.lower())
    stages = parsed.stages
    for stage in stages:
        # A builder stage only copied from is never run; its CMD does not matter.
        is_last = stage is stages[-1]
        if not is_last and stage.name is not None and stage.name in copied_from:
            continue
        if not is_last and str(stage.index) in copied_from:
            continue
        last: dict[str, dockerfile.Instruction] = {}
        for instruction in stage.instructions:
            if instruction.keyword in ("CMD", "ENTRYPOINT"):
                last[instruction.keyword] = instruction
        for instruction in sorted(last.values(), key=lambda i: i.line):
            yield stage, instruction


class ShellFormCommand(FileRule):
    """## What it does
    Reports a Dockerfile `CMD` or `ENTRYPOINT` in shell form (`CMD python serve.py`),
    the one that takes effect in each stage that can be run (builder stages that are
    only copied from are skipped). Fine: exec form (`CMD ["python", "serve.py"]`),
    shell form that replaces the shell with `exec` (`CMD exec uvicorn app:app`), and a
    shell-form `CMD` in a stage whose exec-form `ENTRYPOINT` (its own, or that of the
    earlier stage it is built from) runs an init (`["/tini", "--"]`, `dumb-init`): the
    init is PID 1, not the shell. Not reported in a course (kind `course`): a lesson's
    image runs an exercise and is stopped with its container, never rolled by an
    orchestrator; nor in an image named for development (`Dockerfile.dev`,
    `Dockerfile.onnx.cpu.dev`, `dev.Dockerfile`): a developer's hot-reload image,
    stopped with Ctrl+C.

    ## Why is this bad?
    Shell form runs `/bin/sh -c "python serve.py"`: the shell is PID 1 and, in general,
    does not forward SIGTERM, so `docker stop` and Kubernetes cannot stop the server
    gracefully: in-flight requests are cut off when the container is killed after the
    grace period, and every stop takes the full timeout.

    ## Example
    ```dockerfile
    # Dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN pip install --no-cache-dir -r requirements.lock
    CMD uvicorn app.main:app --host 0.0.0.0 --port 8000
    ```

    ## Use instead
    ```dockerfile
    # Dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN pip install --no-cache-dir -r requirements.lock
    CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
    ```
    `twelvefold check --fix` rewrites simple commands to exec form.

    ## References
    Docker build check `JSONArgsRecommended`.
    """

    code = "TF702"
    name = "shell-form-command"
    factor = 7
    severity = Severity.WARNING
    roles = role.OWN_CODE
    # A course's lesson images run one exercise in a student's terminal and are stopped
    # with the container: nobody deploys them behind an orchestrator's SIGTERM.
    repo_kinds = frozenset(project_kind.KINDS) - {project_kind.COURSE}
    summary = "Dockerfile CMD/ENTRYPOINT in shell form (signals do not reach the process)"
    fix = 'Use exec form: CMD ["program", "arg", ...] (or prefix the shell command with `exec`).'
    kinds = frozenset({kinds.DOCKERFILE})
    prefilter = lazy_compile(rb"(?im)^\s*(?:cmd|entrypoint)\s")

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if file.text is None or _DEVELOPMENT_IMAGE.search(posixpath.basename(file.path)):
            return  # a developer's hot-reload image, stopped with Ctrl+C, never deployed
        parsed = dockerfile.parse(file.text)
        under_init = _init_entrypoints(parsed)
        for stage, instruction in _last_per_stage(parsed):
            if instruction.exec_form is not None:
                continue
            if instruction.keyword == "CMD" and stage.index in under_init:
                continue  # the init is PID 1 and forwards signals; the shell is its child
            command = instruction.arguments.strip()
            if not command or command.startswith("exec "):
                continue
            if command.startswith("["):
                yield Violation(
                    f"`{instruction.keyword} {_short(command)}` is not valid JSON (single quotes?), so Docker runs it in a shell",
                    line=instruction.line,
                    fix='Write exec form as a JSON array with double quotes: ["program", "arg"].',
                )
                continue
            exec_form = _exec_suggestion(command)
            yield Violation(
                f"`{instruction.keyword} {_short(command)}` is in shell form: /bin/sh is PID 1 and SIGTERM does not reach the process",
                line=instruction.line,
                fix=f"Use exec form: `{instruction.keyword} {exec_form}`."
                if exec_form
                else f'Use exec form (`{instruction.keyword} ["..."]`) or start the command with `exec`.',
            )


#: An image named for development (`Dockerfile.dev`, `Dockerfile.onnx.cpu.dev`,
#: `dev.Dockerfile`, `Dockerfile-development`).
_DEVELOPMENT_IMAGE = lazy_compile(r"(?:^|[._-])dev(?:elopment)?(?:[._-]|$)", re.IGNORECASE)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _exec_suggestion(command: str) -> str | None:
    import json

    from twelvefold.fixes.dockerfile_exec_form import to_exec_form

    argv = to_exec_form(command)
    return json.dumps(argv) if argv else None
