"""Which of a repository's Python modules another file imports or runs: a module importing
it (`from src.train import train`, `import train`, `from src.utils import logger`), a
string naming its dotted path (`"api.settings"`, `"pkg.cli:main"`), or a Dockerfile, CI
file, Makefile, shell script or configuration naming its file (`python ml/src/train.py`)
or module (`python -m src.train`, `luigi --module apps.pipeline`, a server's `uvicorn
app:app`). Documentation runs nothing; a test importing a module checks it, it does not
run it.

Read only when a rule has a candidate (a finding in a module), each file once for all the
candidates."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.repo import Repo


def _module_parts(path: str) -> list[str]:
    """`["src", "train"]` of `src/train.py`; a package's `__init__.py` is its package
    (it runs when the package is imported): `["src", "utils"]` of `src/utils/__init__.py`."""
    parts = path.removesuffix(".py").split("/")
    return parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts


def _dotted_names(parts: list[str]) -> list[str]:
    """`src.utils.logger`, `utils.logger`: the module's dotted path from any folder down."""
    return [".".join(parts[start:]) for start in range(len(parts) - 1)]


def _names_of(path: str) -> tuple[str, ...]:
    """How a build, CI or configuration file may name the module at `path`: its file
    name, `-m` and its name, and its dotted module path from any folder down to it."""
    parts = _module_parts(path)
    return (posixpath.basename(path), f"-m {parts[-1]}", *_dotted_names(parts))


def _import_pattern(path: str) -> re.Pattern[str]:
    """An import of the module at `path` by its own name (`import train`, `from
    src.train import fit`, `from src import train`) or a string naming its dotted path
    from its folder up (`"api.settings"`)."""
    parts = _module_parts(path)
    stem = re.escape(parts[-1])
    dotted = [re.escape(name) for name in _dotted_names(parts)]
    strings = rf"|[\"'](?:{'|'.join(dotted)})[\"':]" if dotted else ""
    # `from src.utils import logger` names its package; `from loguru import logger` does not
    package = rf"[\w.]*\b{re.escape(parts[-2])}" if len(parts) > 1 else r"(?!)"
    return re.compile(
        rf"^[ \t]*(?:from|import)[ \t]+[\w.]*\b{stem}\b"
        rf"|^[ \t]*from[ \t]+(?:{package}|\.+)[ \t]+import[^\n]*\b{stem}\b" + strings,
        re.M,
    )


#: An ASGI or WSGI server, which names the module it serves by its import path.
_SERVERS = r"\b(?:uvicorn|gunicorn|hypercorn|daphne|granian)\b"
_SERVER = lazy_compile(_SERVERS)


def _served_pattern(path: str) -> re.Pattern[str]:
    """A server command serving the module at `path` (`uvicorn app:app`, `gunicorn
    src.api.main:app`): its dotted path from any folder down, then `:` and the app."""
    parts = _module_parts(path)
    dotted = "|".join(re.escape(".".join(parts[start:])) for start in range(len(parts)))
    return re.compile(rf"{_SERVERS}[^\n]*?(?<![\w.])(?:{dotted}):\w")


def referenced(repo: Repo, candidates: Iterable[str]) -> frozenset[str]:
    """The modules of `candidates` (paths of Python files) that a file other than
    themselves imports or runs (see the module's docstring)."""
    wanted = set(candidates)
    if not wanted:
        return frozenset()
    named = {path: _names_of(path) for path in wanted}
    imports = {path: _import_pattern(path) for path in wanted}
    served: dict[str, re.Pattern[str]] = {}  # compiled once per module, when a server shows
    found: set[str] = set()
    for entry in repo.files:
        if entry.kind not in kinds.RUNNING_KINDS or (
            entry.kind == kinds.PYTHON and kinds.is_test_path(entry.path)
        ):
            continue
        open_paths = wanted - found - {entry.path}
        if not open_paths:
            continue
        source = repo.source(entry.path)
        text = source.text if source is not None else None
        if not text:
            continue
        for path in open_paths:
            if entry.kind in (kinds.PYTHON, kinds.NOTEBOOK):
                if imports[path].search(text):
                    found.add(path)
            elif any(name in text for name in named[path]):
                found.add(path)
            elif _SERVER.search(text):
                if path not in served:
                    served[path] = _served_pattern(path)
                if served[path].search(text):
                    found.add(path)
        if found == wanted:
            break
    return frozenset(found)


#: `python src/data/make_dataset.py`, `python3 -u train.py`: a command running a file.
_RUNS_A_FILE = lazy_compile(
    r"\bpython(?:3(?:\.\d+)?)?(?:[ \t]+-[a-zA-Z]+)*[ \t]+[\"']?(?:\./)?(\S+?\.py)\b"
)


def run_not_imported(repo: Repo, candidates: Iterable[str]) -> frozenset[str]:
    """The modules of `candidates` that a pipeline, build, CI or shell file runs as a
    script (`cmd: python src/data/make_dataset.py` in `dvc.yaml`, a Makefile's `python
    train.py`) and that no Python module imports: their top level runs when they are
    run, not when anything imports them."""
    wanted = set(candidates)
    if not wanted:
        return frozenset()
    run: set[str] = set()
    imported: set[str] = set()
    imports = {path: _import_pattern(path) for path in wanted}
    for entry in repo.files:
        if entry.kind not in kinds.RUNNING_KINDS or entry.kind == kinds.NOTEBOOK:
            continue
        source = repo.source(entry.path)
        text = source.text if source is not None else None
        if not text:
            continue
        if entry.kind == kinds.PYTHON:
            for path in wanted - imported - {entry.path}:
                if imports[path].search(text):
                    imported.add(path)
        elif "python" in text:
            folder = posixpath.dirname(entry.path)
            for found in _RUNS_A_FILE.finditer(text):
                named = found.group(1)
                for path in (named, posixpath.normpath(posixpath.join(folder, named))):
                    if path in wanted:
                        run.add(path)
    return frozenset(run - imported)
