"""A file as rules see it: bytes read once, text and parsed forms computed on demand.

Every parsed form is computed at most once per file and shared by all rules. A form
that cannot be made (bad encoding, syntax error, malformed TOML/YAML/JSON) is `None`
and leaves one diagnostic, so the run goes on.
"""

from __future__ import annotations

import ast
import codecs
import errno
import os
import stat
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.notebook import CodeLine, Notebook, NotebookError, notebook_code, parse_notebook

#: YAML documents are untrusted: cap aliases so a "billion laughs" file cannot explode.
_MAX_YAML_ALIASES = 1000
#: ... and cap the size of the document with every alias expanded: 100 aliases nested ten
#: deep expand to 10**10 values, which any rule walking the data would never finish.
_MAX_YAML_EXPANDED_NODES = 1_000_000
#: The attribute of a module's tree where `twelvefold.rules._pyast` remembers its walks.
TREE_MEMO = "_twelvefold_memo"


def _open_regular(path: Path, *, follow_symlinks: bool = False) -> int:
    """A descriptor open for reading on a regular file, never through a symlink (unless
    told to), never on a FIFO, socket or device (`OSError`): see `read_regular_file`."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular_file(path: Path, limit: int, *, follow_symlinks: bool = False) -> bytes:
    """At most `limit + 1` bytes of a regular file (the caller sees it is over the limit).

    Never reads through a symlink (unless told to), and never blocks or reads forever:
    a FIFO, socket or device put where a file was (`/dev/zero`, a pipe) is refused with
    an `OSError`, checked on the open descriptor so a swap after discovery is caught too.
    """
    fd = _open_regular(path, follow_symlinks=follow_symlinks)
    try:
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


# --- decoding: what Python and the other tools decode ---------------------------------------

#: PEP 263: a coding line is a comment in one of the first two lines...
_CODING_LINE = lazy_compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
#: ... and the second line counts only after a blank or comment first line.
_BLANK_OR_COMMENT = lazy_compile(rb"^[ \t\f]*(?:[#\r\n]|$)")
#: Bytes of the head of a file that decide its encoding when it has no BOM.
_SNIFF_BYTES = 4096
#: Encodings where every ASCII byte is that character: control bytes can be replaced
#: before decoding (fast), and ASCII anchors are tested on the raw bytes.
_ASCII_SUPERSETS = ("utf-8", "iso8859-", "cp125", "ascii", "latin")


def detect_encoding(data: bytes, *, python: bool = False) -> str:
    """The codec that decodes `data` (its BOM included) as the tools that read it would.

    A byte order mark first (UTF-8, UTF-16, UTF-32: editors, PowerShell and Notepad write
    them; JSON and YAML parsers honour them); for Python, a PEP 263 coding line in the
    first two lines (`# -*- coding: latin-1 -*-`), as the interpreter reads it; then
    UTF-16 or UTF-32 without a BOM when the NUL bytes of the head fall in their pattern
    (every other byte, of mostly ASCII text); else UTF-8.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"  # before UTF-16: the UTF-32-LE BOM starts like the UTF-16-LE one
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if python:
        declared = _coding_line(data)
        if declared is not None:
            return declared
    return _wide_encoding(data[:_SNIFF_BYTES]) if b"\0" in data[:_SNIFF_BYTES] else "utf-8"


def _coding_line(data: bytes) -> str | None:
    first, _, rest = data[:_SNIFF_BYTES].partition(b"\n")
    match = _CODING_LINE.match(first)
    if match is None and _BLANK_OR_COMMENT.match(first):
        match = _CODING_LINE.match(rest.partition(b"\n")[0])
    if match is None:
        return None
    try:
        info = codecs.lookup(match.group(1).decode("ascii"))
    except LookupError:
        return None  # Python refuses the module: read it as UTF-8, as far as it goes
    # `rot13` and `zlib` are codecs but no text encodings: Python refuses those too.
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _wide_encoding(head: bytes) -> str:
    """UTF-32 or UTF-16 (byte order from where the NULs are) or UTF-8, from NUL bytes."""
    units = len(head) // 4
    if units:
        columns = [head[i : units * 4 : 4].count(0) for i in range(4)]
        if columns[3] == units and columns[2] * 4 >= units * 3 and columns[0] * 4 <= units:
            return "utf-32-le"
        if columns[0] == units and columns[1] * 4 >= units * 3 and columns[3] * 4 <= units:
            return "utf-32-be"
    pairs = len(head) // 2
    if pairs:
        even, odd = head[0 : pairs * 2 : 2].count(0), head[1 : pairs * 2 : 2].count(0)
        if even == 0 and odd * 4 >= pairs:
            return "utf-16-le"
        if odd == 0 and even * 4 >= pairs:
            return "utf-16-be"
    return "utf-8"


#: Control characters that are no text (C0 but the tab and the line breaks `splitlines`
#: knows, and DEL): read lossily, they become spaces, so no NUL or escape sequence
#: reaches a report.
_CONTROL_BYTES = bytes(
    0x20 if byte < 0x09 or 0x0E <= byte <= 0x1B or byte in (0x1F, 0x7F) else byte
    for byte in range(256)
)
_CONTROL_CHARS = lazy_compile("[\x00-\x08\x0e-\x1b\x1f\x7f]")


def ascii_superset(encoding: str) -> bool:
    """Whether every ASCII byte means its character in `encoding` (not so in UTF-16,
    nor in the codecs a coding line may name: `utf-7`, EBCDIC `cp500`)."""
    return encoding.startswith(_ASCII_SUPERSETS)


def decode_readable(data: bytes, encoding: str) -> str:
    """`data` decoded as far as it goes: undecodable bytes become U+FFFD and control
    characters spaces, so lines and ASCII (every secret format) survive any damage."""
    if ascii_superset(encoding):
        return data.translate(_CONTROL_BYTES).decode(encoding, "replace")
    return _clean(data.decode(encoding, "replace"))


def _clean(text: str) -> str:
    return _CONTROL_CHARS.sub(" ", text) if _CONTROL_CHARS.search(text) else text


# --- streaming: the secret scan of files over the content limit ---------------------------

#: A file over the content limit is read for secrets in pieces of about this many
#: characters (and bytes read at a time): memory stays bounded whatever the file size.
STREAM_PIECE_CHARS = 1 << 20
#: A line longer than a piece is cut into pieces that overlap by this many characters,
#: so a secret across a cut is whole in one of them (a secret is a few hundred at most).
STREAM_OVERLAP_CHARS = 4096
#: Left context a match needs in a piece that continues a cut line: a match that starts
#: closer to the cut belongs to the piece before (see `TextPiece`).
STREAM_CONTEXT_CHARS = 128
#: The secret scan of one file stops after this many bytes (TF305 says so).
MAX_STREAMED_BYTES = 1 << 30


@dataclass(frozen=True)
class TextPiece:
    """Consecutive lines of a streamed file.

    `lines[0]` is line `first_line`, from its column `column` (1-based). A piece ends
    with a complete line, except when one line is longer than a piece: that line comes
    in pieces (`cut` on all but its last) that overlap by `STREAM_OVERLAP_CHARS`; a match
    starting in the last `STREAM_OVERLAP_CHARS - STREAM_CONTEXT_CHARS` characters of a cut
    piece is whole, with its left context, in the next one, and belongs to it. After a
    complete line the next piece starts by repeating it (`repeated`): a private key's
    header and the body on the following line are read together.
    """

    first_line: int
    column: int
    lines: list[str]
    cut: bool = False
    repeated: bool = False


def stream_text(path: Path, kind: str) -> Iterator[TextPiece]:
    """The text of the file at `path` in pieces, decoded as `decode_readable` does
    (the encoding is detected from the head). Reads at most `MAX_STREAMED_BYTES`."""
    fd = _open_regular(path)
    try:
        head = os.read(fd, STREAM_PIECE_CHARS)
        encoding = detect_encoding(head, python=kind == kinds.PYTHON)
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        plain = ascii_superset(encoding)
        pending, line, column, carry = "", 1, 1, None
        chunk, total = head, 0
        while chunk:
            total += len(chunk)
            if plain:
                pending += decoder.decode(chunk.translate(_CONTROL_BYTES))
            else:
                pending += _clean(decoder.decode(chunk))
            cut = pending.rfind("\n")
            if cut >= 0:
                complete, pending = pending[: cut + 1], pending[cut + 1 :]
                lines = complete.splitlines()
                if carry is not None:
                    yield TextPiece(line - 1, 1, [carry, *lines], repeated=True)
                else:
                    yield TextPiece(line, column, lines)
                # The last line is read again with the next piece; not the tail of a cut
                # line, which is no line of its own.
                carry = lines[-1] if len(lines) > 1 or column == 1 else None
                line, column = line + len(lines), 1
            elif len(pending) > STREAM_PIECE_CHARS:
                yield TextPiece(line, column, [pending], cut=True)
                kept = pending[-STREAM_OVERLAP_CHARS:]
                column += len(pending) - len(kept)
                pending, carry = kept, None
            if total >= MAX_STREAMED_BYTES:
                break
            chunk = os.read(fd, min(STREAM_PIECE_CHARS, MAX_STREAMED_BYTES - total))
        if total < MAX_STREAMED_BYTES:
            pending += _clean(decoder.decode(b"", final=True))
        if pending:
            lines = pending.splitlines()
            if carry is not None:
                yield TextPiece(line - 1, 1, [carry, *lines], repeated=True)
            else:
                yield TextPiece(line, column, lines)
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
    def imported_tops(self) -> set[str] | None:
        """The top-level names the code may import, from a scan of its text (no parse;
        `detectors.import_scan`), shared by the rules that ask it of the same file."""
        from twelvefold.detectors.import_scan import imported_tops

        return imported_tops(self.text)

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


_Derived = TypeVar("_Derived")


class SourceFile:
    """One file of the audited repository.

    Its content is in memory (`data`), unless the file is over the content limit
    (`stream`: the secret scan reads it in pieces) or could not be read (`unreadable`
    says why); then `data` is empty and `text` None.
    """

    #: The file's role and the repository's kind (`twelvefold.project`), set by the
    #: engine before rules run.
    role: str = "package"
    repo_kind: str = "application"

    def __init__(
        self,
        path: str,
        kind: str,
        data: bytes,
        *,
        stream: Path | None = None,
        size: int | None = None,
        unreadable: str | None = None,
    ) -> None:
        self.path = path  # repo-relative, POSIX
        self.kind = kind
        self.data = data
        self.diagnostics: list[str] = []
        #: Where to stream the content of a file over the content limit from.
        self.stream = stream
        self.size = len(data) if size is None else size
        #: Why the file could not be read (the OS error), or None.
        self.unreadable = unreadable

    @property
    def loaded(self) -> bool:
        """The content is in `data` (neither over the limit nor unreadable)."""
        return self.stream is None and self.unreadable is None

    def diagnose(self, message: str) -> None:
        if message not in self.diagnostics:
            self.diagnostics.append(message)

    def derived(self, compute: Callable[[SourceFile], _Derived]) -> _Derived:
        """`compute(self)`, worked out once per file: the facts and rules that read the
        same view of its text (the code with its strings blanked) share it."""
        memo: dict[Any, Any] = self.__dict__.setdefault("_derived", {})
        if compute not in memo:
            memo[compute] = compute(self)
        value: _Derived = memo[compute]
        return value

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
    def encoding(self) -> str:
        """The codec of the content (see `detect_encoding`)."""
        return detect_encoding(self.data, python=self.kind == kinds.PYTHON)

    @cached_property
    def is_binary(self) -> bool:
        """NUL bytes in the head that are not those of UTF-16 or UTF-32 text."""
        return b"\0" in self.data[:8192] and not self.encoding.startswith(("utf-16", "utf-32"))

    @cached_property
    def text(self) -> str | None:
        """The file decoded (BOM dropped, see `encoding`), or None with a diagnostic."""
        if not self.loaded or self.is_binary:
            return None
        try:
            return self.data.decode(self.encoding)
        except UnicodeDecodeError as exc:
            name = "UTF-8" if self.encoding.startswith("utf-8") else self.encoding
            self.diagnose(f"not {name} text (byte {exc.start}); text rules skipped this file")
            return None

    @cached_property
    def lines(self) -> list[str]:
        """Lines of text without their line endings; empty when there is no text."""
        return self.text.splitlines() if self.text else []

    @cached_property
    def readable_text(self) -> str:
        """The text as far as it can be read, for the secret scan: `text` when the file
        decodes, else a lossy decode (`decode_readable`); empty when not loaded."""
        if not self.loaded:
            return ""
        if self.text is not None:
            return self.text
        return decode_readable(self.data, self.encoding)

    @cached_property
    def readable_lines(self) -> list[str]:
        """The lines of `readable_text`: `lines` when the file decodes."""
        if self.text is not None:
            return self.lines
        return self.readable_text.splitlines()

    @cached_property
    def readable_bytes(self) -> bytes:
        """Bytes in which an ASCII literal of `readable_text` is found: the raw bytes, or
        the text re-encoded as UTF-8 when the encoding is not a superset of ASCII."""
        if not self.loaded or ascii_superset(self.encoding):
            return self.data
        return self.readable_text.encode("utf-8", "surrogatepass")

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
            data: dict[str, Any] = tomllib.loads(self.text)
            return data
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
            found = self.notebook.cell(cell)
            if found is not None:
                if 1 <= cell_line <= len(found.lines):
                    return found.lines[cell_line - 1]
                return None
        lines = self.lines if self.text is not None else self.readable_lines
        if line is not None and 1 <= line <= len(lines):
            return lines[line - 1]
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


def load_yaml_documents(text: str, diagnose: Any, *, limit: int | None = None) -> list[Any]:
    """The documents of a YAML stream (a Drone file: `kind: secret` documents, then the
    pipelines), the first `limit` of them if given, with the same guards as `load_yaml`;
    those read before a malformed one are kept."""
    import yaml

    documents: list[Any] = []
    try:
        loader = _SafeBoundedLoader(text)
        try:
            while (limit is None or len(documents) < limit) and loader.check_data():
                documents.append(loader.get_data())
        finally:
            loader.dispose()
    except _TooManyAliases as exc:
        diagnose(f"YAML {exc}; not parsed (alias bomb guard)")
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        diagnose(f"malformed YAML: {_yaml_problem(exc)}")
    return documents


def _first_document(text: str, diagnose: Any) -> Any:
    documents = load_yaml_documents(text, diagnose, limit=1)
    return documents[0] if documents else None


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

    # An application's own tags (Compose's `!reset` / `!override`, CloudFormation's `!Ref`,
    # GitLab's `!reference`) are read as the plain value they tag: the document is
    # well-formed, only its consumer gives the tag a meaning.
    SafeBoundedLoader.add_multi_constructor("!", _untagged_value)
    return SafeBoundedLoader


def _untagged_value(loader: Any, suffix: str, node: Any) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


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
