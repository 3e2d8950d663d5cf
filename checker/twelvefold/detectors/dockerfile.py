"""A small, forgiving Dockerfile parser: instructions, stages and base images.

It follows the Dockerfile reference closely enough for linting: parser directives at the
top (`# syntax=`, `# escape=`), line continuations with the escape character (comment and
blank lines inside a continuation are dropped, as BuildKit does), heredocs
(`RUN <<EOF ... EOF`, `<<-EOF`, quoted delimiters) whose bodies belong to the
instruction, and exec form (`["a", "b"]`) told apart from shell form. Anything it cannot
understand becomes an instruction with what it could read; it never raises.
"""

from __future__ import annotations

import functools
import json
import re
import shlex
from dataclasses import dataclass, field

from twelvefold.lazy_regex import lazy_compile

_DIRECTIVE = lazy_compile(r"^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$")
_HEREDOC = lazy_compile(r"<<(-?)\s*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_VARIABLE = lazy_compile(
    r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))"
)
_DEFAULT_IN_BRACES = lazy_compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?-([^}]*)\}")


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: FROM, RUN, CMD...
    arguments: str  # the text after the keyword, continuations joined (no heredoc bodies)
    line: int  # 1-based line of the keyword
    end_line: int  # 1-based last line (heredoc bodies included)
    heredocs: tuple[str, ...] = ()  # bodies of `<<EOF` documents, in order
    #: The JSON array of an exec-form instruction (`CMD ["python", "app.py"]`), else None.
    exec_form: tuple[str, ...] | None = None

    @property
    def flags(self) -> dict[str, str]:
        """Leading `--name=value` options (`--from=build`, `--platform=...`)."""
        found: dict[str, str] = {}
        for word in self.arguments.split():
            if not word.startswith("--"):
                break
            name, _, value = word[2:].partition("=")
            found[name.lower()] = value
        return found

    @property
    def words(self) -> list[str]:
        """The arguments split like a shell would, flags dropped (never raises); the JSON
        array's items for the exec form (`COPY ["setup.py", "./"]`)."""
        rest = self.arguments
        while rest.startswith("--"):
            parts = rest.split(None, 1)
            rest = parts[1] if len(parts) == 2 else ""
        array = self.exec_form if rest == self.arguments else _exec_form(rest)
        if array is not None:
            return list(array)
        try:
            words = shlex.split(self.arguments, comments=False, posix=True)
        except ValueError:
            words = self.arguments.split()
        while words and words[0].startswith("--"):
            words.pop(0)
        return words

    @property
    def shell_text(self) -> str:
        """The command a RUN executes: its arguments plus heredoc bodies."""
        if self.exec_form is not None:
            return " ".join(self.exec_form)
        return "\n".join([self.arguments, *self.heredocs])


@dataclass
class Stage:
    index: int
    base: str  # the image reference as written after FROM (flags dropped)
    name: str | None  # the `AS name`, lower case
    instruction: Instruction
    instructions: list[Instruction] = field(default_factory=list)


@dataclass
class Dockerfile:
    instructions: list[Instruction]
    directives: dict[str, str]
    escape: str = "\\"

    @property
    def global_args(self) -> dict[str, str | None]:
        """`ARG` defaults declared before the first FROM (what FROM lines can use)."""
        found: dict[str, str | None] = {}
        for instruction in self.instructions:
            if instruction.keyword == "FROM":
                break
            if instruction.keyword == "ARG":
                found.update(_arg_definitions(instruction))
        return found

    @property
    def stages(self) -> list[Stage]:
        stages: list[Stage] = []
        for instruction in self.instructions:
            if instruction.keyword == "FROM":
                words = instruction.words
                base = words[0] if words else ""
                name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
                stages.append(Stage(len(stages), base, name, instruction))
            elif stages:
                stages[-1].instructions.append(instruction)
        return stages


def unbuilt_stages(parsed: Dockerfile) -> frozenset[int]:
    """Indexes of the stages no build produces: not the last, with no name (so no
    `--target` asks for it) and that no `--from=<index>` names (BuildKit skips such a
    stage; the legacy builder builds it into no image: two Dockerfiles pasted into one,
    the first copy dead)."""
    stages = parsed.stages
    referenced: set[str] = set()
    for instruction in parsed.instructions:
        referenced.update(_FROM_INDEX.findall(instruction.arguments))
    return frozenset(
        stage.index
        for stage in stages[:-1]
        if stage.name is None and str(stage.index) not in referenced
    )


#: A stage named by its index: `COPY --from=0`, `RUN --mount=type=bind,from=1,...`.
_FROM_INDEX = lazy_compile(r"(?:--from=|\bfrom=)(\d+)\b")


@functools.lru_cache(maxsize=8)
def parse(text: str) -> Dockerfile:
    """The Dockerfile's instructions (remembered: seven rules ask for the same file's;
    callers only read the result)."""
    lines = text.splitlines()
    directives: dict[str, str] = {}
    index = 0
    # Parser directives: only at the very top, before any other line (even blank).
    while index < len(lines):
        match = _DIRECTIVE.match(lines[index])
        if not match or match.group(1).lower() in directives:
            break
        directives[match.group(1).lower()] = match.group(2)
        index += 1
    escape = directives.get("escape", "\\")
    escape = escape if escape in ("\\", "`") else "\\"
    instructions: list[Instruction] = []
    while index < len(lines):
        raw = lines[index]
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        start = index
        parts = [raw]
        while _continues(parts[-1], escape) and index + 1 < len(lines):
            index += 1
            following = lines[index]
            if not following.strip() or following.lstrip().startswith("#"):
                continue  # dropped inside a continuation
            parts.append(following)
        joined = " ".join(_strip_escape(part, escape).strip() for part in parts).strip()
        if _continues(parts[-1], escape):
            joined = joined.rstrip(escape).rstrip()
        head = joined.split(None, 1)
        keyword = head[0] if head else ""
        arguments = head[1].strip() if len(head) > 1 else ""
        heredocs: list[str] = []
        for match in (
            _HEREDOC.finditer(arguments) if keyword.upper() in ("RUN", "COPY", "ADD") else ()
        ):
            strip_tabs, delimiter = match.group(1) == "-", match.group(3)
            body: list[str] = []
            while index + 1 < len(lines):
                index += 1
                line = lines[index].lstrip("\t") if strip_tabs else lines[index]
                if line.strip() == delimiter:
                    break
                body.append(line)
            heredocs.append("\n".join(body))
        instructions.append(
            Instruction(
                keyword.upper(),
                arguments,
                start + 1,
                index + 1,
                tuple(heredocs),
                _exec_form(arguments),
            )
        )
        index += 1
    return Dockerfile(instructions, directives, escape)


def _continues(line: str, escape: str) -> bool:
    stripped = line.rstrip()
    return stripped.endswith(escape) and not stripped.lstrip().startswith("#")


def _strip_escape(line: str, escape: str) -> str:
    stripped = line.rstrip()
    return stripped[:-1] if stripped.endswith(escape) else line


def _exec_form(arguments: str) -> tuple[str, ...] | None:
    text = arguments.strip()
    if not text.startswith("["):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None  # `CMD [not json` runs in a shell, as Docker does
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _arg_definitions(instruction: Instruction) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for word in instruction.words:
        name, equals, value = word.partition("=")
        found[name] = value if equals else None
    return found


def expand(reference: str, variables: dict[str, str | None]) -> str | None:
    """`python:${PY}-slim` with the ARG defaults substituted; None if a variable has none.

    `${VAR:-default}` uses its inline default when the ARG has none.
    """

    def inline(match: re.Match[str]) -> str:
        value = variables.get(match.group(1))
        return value if value else match.group(2)

    reference = _DEFAULT_IN_BRACES.sub(inline, reference)
    unresolved = False

    def substitute(match: re.Match[str]) -> str:
        nonlocal unresolved
        value = variables.get(match.group(1) or match.group(2))
        if value is None:
            unresolved = True
            return ""
        return value

    expanded = _VARIABLE.sub(substitute, reference)
    return None if unresolved else expanded


def split_image(reference: str) -> tuple[str, str | None, str | None]:
    """(repository, tag, digest) of `registry:5000/org/name:tag@sha256:...`."""
    digest = None
    if "@" in reference:
        reference, digest = reference.split("@", 1)
    last = reference.rsplit("/", 1)[-1]
    tag = None
    if ":" in last:
        repository, tag = reference.rsplit(":", 1)
    else:
        repository = reference
    return repository, tag, digest


def stage_variables(dockerfile: Dockerfile, stage: Stage) -> dict[str, str | None]:
    """ARG and ENV values visible in a stage (global ARG defaults it re-declares, its own)."""
    global_args = dockerfile.global_args
    variables: dict[str, str | None] = {}
    for instruction in stage.instructions:
        if instruction.keyword == "ARG":
            for name, value in _arg_definitions(instruction).items():
                variables[name] = value if value is not None else global_args.get(name)
        elif instruction.keyword == "ENV":
            for word in instruction.words:
                name, equals, value = word.partition("=")
                if equals:
                    variables[name] = value
    return variables
