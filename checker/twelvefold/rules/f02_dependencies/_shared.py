"""What several factor 2 rules share: conda environment files and the files that show
the project uses them (TF201, TF204, TF206), the tooling files, call names and the
words of commands (TF205, TF206, TF207), and which files are the project's code."""

from __future__ import annotations

import ast
import posixpath
import re

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.manifests import (
    CONDA_ENVIRONMENT_NAMES,
    defines_project,
    is_conda_environment,
)
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.sources import SourceFile

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


#: Build and task tooling whose job is installing things.
_TOOLING_FILES = frozenset(
    {"noxfile.py", "setup.py", "tasks.py", "fabfile.py", "dodo.py", "conftest.py"}
)


def _call_name(func: ast.expr) -> str:
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


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


def _is_project_code(file: SourceFile) -> bool:
    if kinds.is_test_path(file.path) or posixpath.basename(file.path) in _TOOLING_FILES:
        return False
    return file.role not in role.FOR_READING


def settings_only_file(repo: Repo, path: str) -> bool:
    """A file named like a project file that declares no project: tool settings in a
    `setup.cfg` or `pyproject.toml`, a `setup.py` compiling an extension in place
    (`manifests.defines_project`)."""
    source = repo.source(path)
    if source is None or source.text is None:
        return False
    name = posixpath.basename(path)
    return not defines_project(name, source.text, source.toml if name == "pyproject.toml" else None)


#: What runs a command line: `subprocess.run(...)`, `os.system(...)`, `get_ipython().system(...)`.
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


_SHELL_INSTALL = lazy_compile(
    r"(?:^|[\s;&|(])(?:python3?\s+-m\s+)?(?:pip3?|uv\s+pip|conda|mamba)\s+install\b"
)


def is_pip_install_call(node: ast.Call) -> bool:
    """A call that runs `pip install` (`subprocess.check_call([sys.executable, "-m",
    "pip", "install", "x"])`, `os.system("pip install x")`, `pip.main(["install", ...])`,
    `get_ipython().system(...)`): TF205's finding, and for TF206 what makes the import
    after it in an `except ImportError:` optional."""
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
