"""Read Jupyter notebooks as data: cells, their code as Python, and where lines live.

Code cells become one Python text in which IPython syntax (`!cmd`, `%magic`, `%%cell`
magics, `x = !cmd`, `obj?`) is replaced by `pass` statements that keep the original as a
comment, so the AST parses and line-based rules still see the magic. Every line of that
text maps back to (cell index, line in the cell, line in the `.ipynb` file on disk).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

from twelvefold.lazy_regex import lazy_compile

# `!cmd`, `%magic`, `files = !ls`, and `obj?` / `obj??` help requests.
# IPython's automagic runs `pip install x` (and conda's) without the `%`. A magic's name
# follows its `%` (`%timeit`, `%%bash`): a line starting `%(a, b))` or `!= b` goes on a
# Python expression (old-style formatting, a comparison) broken over lines.
_MAGIC = r"(?:%%?[A-Za-z_]|!(?!=))"
_MAGIC_LINE = lazy_compile(
    rf"^(\s*)({_MAGIC}.*|[\w.]+\s*=\s*{_MAGIC}.*|[\w.]+\?\??|(?:pip|conda|mamba)\s+install\b.*)\s*$"
)


@dataclass
class Cell:
    index: int
    cell_type: str
    lines: list[str]  # source lines, without trailing newlines
    file_lines: list[int | None]  # line in the .ipynb file of each source line
    #: The cell's `outputs` as stored, read into texts and located on the first ask: a
    #: notebook carries tens of thousands of output lines, and only secret candidates
    #: among them are ever located.
    raw_outputs: list[Any] = field(default_factory=list)
    #: Where the file holds this cell, for locating its outputs: the text, where the
    #: cell's stretch begins, and the notebook's budget of locator misses.
    _origin: _Origin | None = field(default=None, repr=False, compare=False)

    @property
    def source(self) -> str:
        return "\n".join(self.lines)

    @cached_property
    def output_lines(self) -> list[str]:
        """The lines of the cell's text outputs (images and other binary payloads carry no
        config or secrets), in the order the file stores them."""
        lines: list[str] = []
        for pieces in _output_texts(self.raw_outputs):
            lines += _lines_of(pieces)
        return lines

    @cached_property
    def output_file_lines(self) -> list[int | None]:
        """The line in the `.ipynb` file of each of `output_lines`."""
        if self._origin is None:
            return [None] * len(self.output_lines)
        # Jupyter sorts a cell's keys: `outputs` is stored before `source`, so the outputs
        # are looked for from the start of the cell.
        locator = self._origin.locator()
        found: list[int | None] = []
        for piece in _output_pieces(self.raw_outputs):
            start = locator.find(piece)
            found.extend([start] * len(_split_lines(piece)))
        return found

    @property
    def outputs(self) -> list[tuple[str, int | None]]:
        """Each output line with its line in the file."""
        return list(zip(self.output_lines, self.output_file_lines, strict=True))


@dataclass
class Notebook:
    cells: list[Cell]
    metadata: dict[str, Any]

    @property
    def code_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.cell_type == "code"]

    def cell(self, index: int) -> Cell | None:
        """The cell whose `index` is `index` (not a list position: a cell that is no JSON
        object is skipped). A lookup, so a finding per cell costs no scan of the cells."""
        return self._by_index.get(index)

    @cached_property
    def _by_index(self) -> dict[int, Cell]:
        return {cell.index: cell for cell in self.cells}

    @cached_property
    def made_for_colab(self) -> bool:
        """Written for Google Colab: Colab's own metadata (`"colab": {...}`, which Colab
        writes on save), an "Open in Colab" link, or code that imports `google.colab` or
        tests for it (`if 'google.colab' in sys.modules:` before its installs). Such
        a notebook runs on Colab's runtime, which ships the common ML packages, and
        installs the rest in its first cells: that is how it runs, not a missing manifest."""
        if "colab" in self.metadata:
            return True
        return any(_COLAB_MARK in line for cell in self.cells for line in cell.lines) or any(
            "google.colab" in line
            for cell in self.code_cells
            for line in cell.lines
            if "import" in line or "sys.modules" in line
        )


#: What an "Open in Colab" badge or link holds.
_COLAB_MARK = "colab.research.google.com"


class NotebookError(ValueError):
    """The file is not a notebook we can read; the message says why."""


def parse_notebook(text: str) -> Notebook:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise NotebookError(f"not valid JSON ({_short(exc)})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells", []), list):
        raise NotebookError("not a notebook: no list of cells")
    raw_cells = data.get("cells", [])
    misses = _Misses()
    locator = _LineLocator(text, misses)
    cells: list[Cell] = []
    for index, raw in enumerate(raw_cells):
        if not isinstance(raw, dict):
            continue
        cell_type = str(raw.get("cell_type", "code"))
        cell_start = locator.mark()
        pieces = _as_pieces(raw.get("source", ""))
        lines: list[str] = []
        file_lines: list[int | None] = []
        for piece in pieces:
            # A JSON string sits on one physical line whatever newlines it holds.
            start = locator.find(piece)
            for line in _split_lines(piece):
                lines.append(line)
                file_lines.append(start)
        cell = Cell(index, cell_type, lines, file_lines)
        outputs = raw.get("outputs")
        if cell_type == "code" and isinstance(outputs, list) and outputs:
            cell.raw_outputs = outputs
            cell._origin = _Origin(text, cell_start, misses)
        cells.append(cell)
    metadata = data.get("metadata", {})
    return Notebook(cells, metadata if isinstance(metadata, dict) else {})


def _split_lines(piece: str) -> list[str]:
    parts = piece.split("\n")
    if piece.endswith("\n"):
        parts.pop()
    if "\r" not in piece:
        return parts  # the common case: nothing to strip (a notebook has ~10^4 pieces)
    return [part.rstrip("\r") for part in parts]


def _as_pieces(source: Any) -> list[str]:
    if isinstance(source, str):
        return [source] if source else []
    if isinstance(source, list):
        return [piece for piece in source if isinstance(piece, str)]
    return []


_TEXT_MIMES = frozenset({"text/plain", "text/html", "application/json"})


def _lines_of(pieces: list[str]) -> list[str]:
    """The lines of one output's text, as `_split_lines` gives them piece by piece, from
    one split of the text joined: an output holds thousands of pieces (one per line), each
    but the last ending with its newline. When one does not (a piece of half a line, an
    empty piece), the pieces are split one by one."""
    joined = "".join(pieces)
    ending = sum(map(str.endswith, pieces, repeat("\n")))  # pieces that end a line
    if len(pieces) - ending != (0 if joined.endswith("\n") else 1):
        return [line for piece in pieces for line in _split_lines(piece)]
    lines = joined.split("\n")
    if joined.endswith("\n"):
        lines.pop()
    if "\r" in joined:
        return [line.rstrip("\r") for line in lines]
    return lines


def _output_texts(outputs: list[Any]) -> Iterator[list[str]]:
    """The pieces of each text output (a stream's `text`, a result's `text/plain`), in
    the order the file stores them."""
    for output in outputs:
        if not isinstance(output, dict):
            continue
        for key, value in output.items():
            if key == "text" or (key == "traceback" and isinstance(value, list)):
                yield _as_pieces(value)
            elif key == "data" and isinstance(value, dict):
                for mime in value:
                    if mime in _TEXT_MIMES:
                        yield _as_pieces(value[mime])


def _output_pieces(outputs: list[Any]) -> Iterator[str]:
    """The strings of the text outputs, in the order the file stores them (`json` keeps
    it; Jupyter writes `text/html` before `text/plain`)."""
    for pieces in _output_texts(outputs):
        yield from pieces


#: After this many strings not found verbatim (the file escapes differently than
#: `json.dumps`), stop looking: each miss searches the rest of the file, and a crafted
#: 5 MB notebook of near-miss strings took minutes.
_MAX_LOCATOR_MISSES = 16


class _Misses:
    """A notebook's count of strings not found verbatim, shared by its locators."""

    count = 0


@dataclass(frozen=True)
class _Origin:
    text: str
    mark: tuple[int, int]
    misses: _Misses

    def locator(self) -> _LineLocator:
        locator = _LineLocator(self.text, self.misses)
        locator.reset(self.mark)
        return locator


class _LineLocator:
    """Finds, moving forward, the file line on which a JSON string value is stored."""

    def __init__(self, text: str, misses: _Misses) -> None:
        self._text = text
        self._pos = 0
        self._line = 1
        self._misses = misses

    def find(self, piece: str) -> int | None:
        if self._misses.count >= _MAX_LOCATOR_MISSES:
            return None
        # What `json.dumps(piece)` gives, with and without `ensure_ascii`, from the C
        # encoders themselves: dumps costs a new encoder per call, and a notebook has one
        # call per output line (tens of thousands). An ASCII piece encodes the same twice.
        at = self._text.find(encode_basestring(piece), self._pos)
        if at < 0 and not piece.isascii():
            at = self._text.find(encode_basestring_ascii(piece), self._pos)
        if at < 0:
            self._misses.count += 1
            return None
        self._line += self._text.count("\n", self._pos, at)
        self._pos = at
        return self._line

    def mark(self) -> tuple[int, int]:
        return self._pos, self._line

    def reset(self, mark: tuple[int, int]) -> None:
        self._pos, self._line = mark


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


@dataclass(frozen=True)
class CodeLine:
    """Where a line of a notebook's combined code came from."""

    cell: int
    cell_line: int
    file_line: int | None


def notebook_code(notebook: Notebook) -> tuple[str, list[CodeLine]]:
    """The notebook's code cells as one Python text, with a map for each of its lines."""
    out: list[str] = []
    where: list[CodeLine] = []
    for cell in notebook.code_cells:
        in_cell_magic = bool(cell.lines) and cell.lines[0].lstrip().startswith("%%")
        continued: str | None = None  # the indentation of a magic that goes on (`\`)
        for number, line in enumerate(cell.lines, start=1):
            if continued is not None:
                # `!pip install -qU \` then `    pinecone==5.0.1 \`: the shell's line
                # goes on; read as Python, the indented rest is an "unexpected indent".
                out.append(f"{continued}pass  # {line.strip()}")
            else:
                out.append(_neutralise(line, whole_cell=in_cell_magic))
            magic = continued is not None or (
                not in_cell_magic and _MAGIC_LINE.match(line) is not None
            )
            stripped = line.rstrip()
            if magic and stripped.endswith("\\"):
                if continued is None:
                    continued = line[: len(line) - len(line.lstrip())]
            else:
                continued = None
            where.append(CodeLine(cell.index, number, cell.file_lines[number - 1]))
        # A blank line between cells keeps one cell's open block from swallowing the next.
        out.append("")
        where.append(CodeLine(cell.index, len(cell.lines) + 1, None))
    return "\n".join(out), where


def _neutralise(line: str, *, whole_cell: bool) -> str:
    if whole_cell:
        return "# " + line
    match = _MAGIC_LINE.match(line)
    if not match:
        return line
    return f"{match.group(1)}pass  # {match.group(2)}"
