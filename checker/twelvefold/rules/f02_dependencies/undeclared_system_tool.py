"""TF207 undeclared-system-tool: system program run from code that nothing installs."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from typing import Any

from twelvefold import kinds
from twelvefold.detectors.pipeline_notebooks import notebooks_are_pipeline_steps
from twelvefold.lazy_regex import lazy_compile
from twelvefold.manifests import (
    MANIFEST_NAMES,
    declarations,
)
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, fact
from twelvefold.rules._pyast import import_aliases, nodes
from twelvefold.rules.f02_dependencies._shared import (
    _call_name,
    _is_project_code,
    _words,
)
from twelvefold.sources import SourceFile

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


#: A process call's name called (`run(`, `sp.check_output (`) or renamed by an import
#: (`from subprocess import run as sh`): a module without one runs no program.
_PROCESS_CALL_TEXT = lazy_compile(
    r"\b(?:"
    + "|".join(sorted({name.rsplit(".", 1)[-1] for name in _PROCESS_CALLS}))
    + r")\s*(?:\(|as\b)"
)


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
    if python is None:
        return None
    if file.kind == kinds.PYTHON and not _PROCESS_CALL_TEXT.search(python.text):
        return None  # no process call (nor an import that renames one): no parse
    if python.tree is None:
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
    # Opt-in (`Rule.default`): 1 of its 7 findings on 146 real repositories was worth fixing: the program is usually installed by a README step, a base image or the platform.
    default = False
    roles = role.IN_USE
    facts_per_file = True
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
