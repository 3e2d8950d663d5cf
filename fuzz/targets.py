"""Fuzz targets: each takes the raw bytes of one untrusted file and must not raise.

A target exercises one parser the way the checker uses it on a stranger's repository,
and asserts the invariants that must hold for any input. Run under atheris
(coverage-guided) or the hypothesis fallback: see fuzz/README.md and fuzz/run.py.
"""

from __future__ import annotations

from collections.abc import Callable

KINDS_BY_BYTE = (
    ("src/app.py", "python"),
    ("nb.ipynb", "notebook"),
    ("requirements.txt", "requirements"),
    ("pyproject.toml", "pyproject"),
    (".github/workflows/ci.yml", "yaml"),
    ("docker-compose.yml", "yaml"),
    ("Dockerfile", "dockerfile"),
    (".env", "dotenv"),
    ("config.json", "json"),
    ("setup.cfg", "ini"),
    ("run.sh", "shell"),
    ("Makefile", "makefile"),
)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def requirements(data: bytes) -> None:
    from twelvefold.manifests import parse_requirement, parse_requirements, requirements_lines

    text = _text(data)
    found, includes, _ = parse_requirements(text)
    for requirement in found:
        assert requirement.name and isinstance(requirement.pinned, bool)
    assert all(isinstance(include, str) for include in includes)
    for _, line in requirements_lines(text):
        parse_requirement(line)


def notebook(data: bytes) -> None:
    from twelvefold.sources import SourceFile

    source = SourceFile("nb.ipynb", "notebook", data)
    parsed = source.notebook
    python = source.python
    if parsed is None or python is None:
        return
    python.tree  # noqa: B018  (parsing is the point)
    for number in range(len(python.lines) + 2):
        where = python.loc(number)
        source.line_text(where.line, where.cell, where.cell_line)
    for cell in parsed.cells:
        assert len(cell.lines) == len(cell.file_lines)


def dockerfile(data: bytes) -> None:
    from twelvefold.detectors import dockerfile as docker

    parsed = docker.parse(_text(data))
    for instruction in parsed.instructions:
        instruction.flags  # noqa: B018
        instruction.words  # noqa: B018
        instruction.shell_text  # noqa: B018
        assert instruction.line <= instruction.end_line
    for stage in parsed.stages:
        variables = docker.stage_variables(parsed, stage)
        docker.expand(stage.base, {**parsed.global_args, **variables})
        docker.split_image(stage.base)


def yaml(data: bytes) -> None:
    from twelvefold.sources import load_yaml

    problems: list[str] = []
    load_yaml(_text(data), problems.append)
    assert all(isinstance(problem, str) for problem in problems)


def suppression(data: bytes) -> None:
    from twelvefold.registry import all_rules
    from twelvefold.suppression import line_suppresses, parse_line, scan

    lines = _text(data).splitlines()
    known = set(all_rules())
    for python in (True, False):
        found = scan(lines, known, python=python)
        assert all(code in known for code in found.file_codes - {c for _, c in found.unknown})
    for line in lines[:50]:
        parse_line(line)
        line_suppresses(line, "TF301")


def secrets(data: bytes) -> None:
    from twelvefold.detectors.secrets import mask, scan_lines

    text = _text(data)
    lines = text.splitlines()
    raw = text.encode("utf-8", "surrogatepass")
    for code in (True, False):
        for match in scan_lines(lines, raw, raw.lower(), code=code):
            line = lines[match.line - 1]
            assert match.value in line
            # What the reports print instead of the line never holds the whole secret.
            if match.value not in mask(match.value):
                assert match.value not in match.masked_line(line)


def rules(data: bytes) -> None:
    """Every per-file rule on the bytes as one kind of file (chosen by the first byte)."""
    from twelvefold.registry import all_rules
    from twelvefold.rule import FACTS, FileRule
    from twelvefold.sources import SourceFile

    if not data:
        return
    path, kind = KINDS_BY_BYTE[data[0] % len(KINDS_BY_BYTE)]
    source = SourceFile(path, kind, data[1:])
    for cls in all_rules().values():
        if issubclass(cls, FileRule) and kind in cls.kinds:
            list(cls(None).check(source) or ())
    for fact in FACTS.values():
        if kind in fact.kinds:
            fact.extract(source)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "requirements": requirements,
    "notebook": notebook,
    "dockerfile": dockerfile,
    "yaml": yaml,
    "suppression": suppression,
    "secrets": secrets,
    "rules": rules,
}
