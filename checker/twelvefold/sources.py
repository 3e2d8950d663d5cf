"""A file as rules see it: bytes read once, text and parsed forms computed on demand.

Every parsed form is computed at most once per file and shared by all rules. A form
that cannot be made (bad encoding, syntax error, malformed TOML/YAML/JSON) is `None`
and leaves one diagnostic, so the run goes on.
"""

from __future__ import annotations

import ast
import errno
import os
import stat
import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from twelvefold import kinds
from twelvefold.notebook import CodeLine, Notebook, NotebookError, notebook_code, parse_notebook

#: YAML documents are untrusted: cap aliases so a "billion laughs" file cannot explode.
_MAX_YAML_ALIASES = 1000
#: ... and cap the size of the document with every alias expanded: 100 aliases nested ten
#: deep expand to 10**10 values, which any rule walking the data would never finish.
_MAX_YAML_EXPANDED_NODES = 1_000_000
#: The attribute of a module's tree where `twelvefold.rules._pyast` remembers its walks.
TREE_MEMO = "_twelvefold_memo"


def read_regular_file(path: Path, limit: int, *, follow_symlinks: bool = False) -> bytes:
    """At most `limit + 1` bytes of a regular file (the caller sees it is over the limit).

    Never reads through a symlink (unless told to), and never blocks or reads forever:
    a FIFO, socket or device put where a file was (`/dev/zero`, a pipe) is refused with
    an `OSError`, checked on the open descriptor so a swap after discovery is caught too.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Location:
    line: int | None
    cell: int | None = None
    cell_line: int | None = None


class PythonSource:
    """Python code to analyse: a module's text, or a notebook's code cells joined."""

    def __init__(self, file: SourceFile, text: str, code_lines: list[CodeLine] | None) -> None:
        self.file = file
        self.text = text
        self._code_lines = code_lines

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def tree(self) -> ast.Module | None:
        """The AST, or None (with a diagnostic) when the code does not parse."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is not ours to report
            try:
                return ast.parse(self.text, filename=self.file.path)
            except SyntaxError as exc:
                where = self.loc(exc.lineno or 0)
                line = f" line {where.line}" if where.line else ""
                cell = f" (cell {where.cell})" if where.cell is not None else ""
                self.file.diagnose(
                    f"Python syntax error{line}{cell}: {exc.msg}; rules that need the AST skipped this file"
                )
            except (ValueError, RecursionError, MemoryError) as exc:
                self.file.diagnose(f"cannot parse Python: {type(exc).__name__}")
        return None

    def loc(self, line: int) -> Location:
        """Where line `line` (1-based) of this code is: file line, and cell for notebooks."""
        if self._code_lines is None:
            return Location(line or None)
        if 1 <= line <= len(self._code_lines):
            code_line = self._code_lines[line - 1]
            return Location(code_line.file_line, code_line.cell, code_line.cell_line)
        return Location(None)


class SourceFile:
    """One file of the audited repository."""

    def __init__(self, path: str, kind: str, data: bytes) -> None:
        self.path = path  # repo-relative, POSIX
        self.kind = kind
        self.data = data
        self.diagnostics: list[str] = []

    def diagnose(self, message: str) -> None:
        if message not in self.diagnostics:
            self.diagnostics.append(message)

    def release(self) -> None:
        """Drop the parsed Python: the module links back to this file, and its tree holds
        its own remembered walks (lists that contain the tree), both reference cycles.
        Broken here, reference counting frees a file's AST as soon as it is done with."""
        python = self.__dict__.pop("python", None)
        if python is None:
            return
        tree = python.__dict__.pop("tree", None)
        if tree is not None:
            tree.__dict__.pop(TREE_MEMO, None)

    @cached_property
    def is_binary(self) -> bool:
        return b"\0" in self.data[:8192]

    @cached_property
    def text(self) -> str | None:
        """The file decoded as UTF-8 (a BOM is dropped), or None with a diagnostic."""
        if self.is_binary:
            return None
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.diagnose(f"not UTF-8 text (byte {exc.start}); text rules skipped this file")
            return None

    @cached_property
    def lines(self) -> list[str]:
        """Lines of text without their line endings; empty when there is no text."""
        return self.text.splitlines() if self.text else []

    @cached_property
    def lower(self) -> bytes:
        """The bytes in lower case, for cheap case-insensitive prefilters."""
        return self.data.lower()

    @cached_property
    def notebook(self) -> Notebook | None:
        if self.kind != kinds.NOTEBOOK or self.text is None:
            return None
        try:
            return parse_notebook(self.text)
        except NotebookError as exc:
            self.diagnose(f"malformed notebook: {exc}")
            return None

    @cached_property
    def python(self) -> PythonSource | None:
        """Python code of a module or of a notebook's code cells."""
        if self.kind == kinds.NOTEBOOK:
            notebook = self.notebook
            if notebook is None:
                return None
            text, code_lines = notebook_code(notebook)
            return PythonSource(self, text, code_lines)
        if self.text is None:
            return None
        return PythonSource(self, self.text, None)

    @cached_property
    def toml(self) -> dict[str, Any] | None:
        if self.text is None:
            return None
        from twelvefold.compat import tomllib

        try:
            return tomllib.loads(self.text)
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            self.diagnose(f"malformed TOML: {str(exc).splitlines()[0]}")
            return None

    @cached_property
    def yaml(self) -> Any:
        """The first YAML document, or None when empty or malformed."""
        if self.text is None:
            return None
        return load_yaml(self.text, self.diagnose)

    def line_text(
        self, line: int | None, cell: int | None = None, cell_line: int | None = None
    ) -> str | None:
        """The text of a reported line: the cell's line for notebooks, else the file's."""
        if cell is not None and cell_line is not None and self.notebook is not None:
            for candidate in self.notebook.cells:
                if candidate.index == cell:
                    if 1 <= cell_line <= len(candidate.lines):
                        return candidate.lines[cell_line - 1]
                    return None
        if line is not None and 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return None


def load_yaml(text: str, diagnose: Any) -> Any:
    import yaml

    try:
        loader = _SafeBoundedLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc):
            return _first_document(text, diagnose)
        diagnose(f"malformed YAML: {_yaml_problem(exc)}")
    except _TooManyAliases as exc:
        diagnose(f"YAML {exc}; not parsed (alias bomb guard)")
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        diagnose(f"malformed YAML: {_yaml_problem(exc)}")
    return None


def _first_document(text: str, diagnose: Any) -> Any:
    import yaml

    try:
        loader = _SafeBoundedLoader(text)
        try:
            return loader.get_data() if loader.check_data() else None
        finally:
            loader.dispose()
    except _TooManyAliases as exc:
        diagnose(f"YAML {exc}; not parsed (alias bomb guard)")
        return None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        diagnose(f"malformed YAML: {_yaml_problem(exc)}")
        return None


def _yaml_problem(exc: BaseException) -> str:
    problem = (
        getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if str(exc)
        else type(exc).__name__
    )
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} (line {mark.line + 1})" if mark is not None else str(problem)


class _TooManyAliases(Exception):
    pass


def _make_loader() -> type:
    import yaml

    # The pure-Python loader: the C one composes nodes in C, out of reach of the guard.
    class SafeBoundedLoader(yaml.SafeLoader):
        """SafeLoader that refuses documents with absurd numbers of aliases."""

        _alias_count = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                self._alias_count += 1
                if self._alias_count > _MAX_YAML_ALIASES:
                    raise _TooManyAliases(f"uses more than {_MAX_YAML_ALIASES} aliases")
            return super().compose_node(parent, index)

        def construct_document(self, node: Any) -> Any:
            if self._alias_count:
                expanded = _expanded_size(node, {})
                if expanded > _MAX_YAML_EXPANDED_NODES:
                    raise _TooManyAliases(
                        f"expands to more than {_MAX_YAML_EXPANDED_NODES:,} values through aliases"
                    )
            return super().construct_document(node)

    return SafeBoundedLoader


def _expanded_size(node: Any, sizes: dict[int, int]) -> int:
    """Values in the document under `node` with aliases expanded; each distinct node is
    visited once (aliases share the node object), so this costs the size of the file."""
    import yaml

    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = 1  # a recursive alias counts once instead of looping
    total = 1
    # Recursion is safe: the composer, which already recursed deeper, built this tree.
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
        children = node.value
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        for child in children:
            total += _expanded_size(child, sizes)
            if total > _MAX_YAML_EXPANDED_NODES:
                break
    sizes[id(node)] = total
    return total


class _LazyLoader:
    _cls: type | None = None

    def __call__(self, text: str) -> Any:
        if self._cls is None:
            self._cls = _make_loader()
        return self._cls(text)


_SafeBoundedLoader = _LazyLoader()
