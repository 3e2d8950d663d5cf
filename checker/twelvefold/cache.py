"""A cache of per-file results, so an unchanged file is never read or checked twice.

What one file contributes to a run (its findings, per-file facts, diagnostics and usage
errors) is a pure function of its bytes, its path and kind, the rules and facts asked of
it, and the effective configuration. The cache stores that outcome under:

* a *namespace* (the name of the cache file): the tool version, the Python version, the
  code of the twelvefold package and of every registered rule, the selected rules with
  their options and severities, the audited root, and a per-user random key;
* per file: its path, the rules and facts asked of it (a *variant*: a pre-commit run asks
  fewer rules of most files than a full run), a stat key (mtime_ns, size, inode,
  ctime_ns) that lets a warm run skip reading unchanged files, and a content hash to fall
  back on when only the stat key changed (a `touch`, a fresh checkout). ctime catches an
  edit in place that restores the mtime (`touch -m -r`): no process can set it back.

The cache folder (`.twelvefold_cache/` at the project root, or `$TWELVEFOLD_CACHE_DIR`)
holds a `.gitignore` of `*` and a `CACHEDIR.TAG`. Writes go to a temporary file that is
moved into place (`os.replace`), so concurrent runs never see a half-written cache: the
last writer wins, and either version is valid. Anything unreadable is treated as empty.
Entries are JSON, never pickle: loading a cache must not run code.

Trust model. The cache is trusted input: a forged entry can hide findings, so the gate
holds only while nobody but the user can write the cache, its folder and the per-user key
(`$XDG_CACHE_HOME/twelvefold/cache-key`, created private). The audited repository is
hostile: it can commit `.twelvefold_cache` as a symlink out of the tree, or as a folder of
files of its own. So the cache folder must be a real directory owned by the user, with no
symlink between it and the audited root (`open_folder`), or the cache is not used and a
warning says why; every file in it is opened without following symlinks and used only if
it is a regular file owned by the user; eviction deletes only regular files named as the
tool names them. A committed folder of forged entries is harmless while the key is
secret: the file names are derived from it. In CI (`CI=true`) that no longer holds: an
earlier step may have run the pull request's code as the same user, which can write the
key (or read it) and commit a cache forged with it. So in CI a cache inside the audited
tree is never read or written; a cache folder named explicitly in `$TWELVEFOLD_CACHE_DIR`
(one the workflow restores itself, outside the checkout) is used, and trusted as far as
the workflow that fills it.
"""

from __future__ import annotations

import dataclasses
import enum
import errno
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Diagnostic, Finding, Severity

CACHE_DIR_NAME = ".twelvefold_cache"
CACHE_DIR_ENV = "TWELVEFOLD_CACHE_DIR"
FORMAT = 6
#: Variants kept per file: a full run's and a pre-commit run's are the usual two.
MAX_VARIANTS = 2

_GITIGNORE = "# Automatically created by twelvefold.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by twelvefold.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


@dataclass
class FileOutcome:
    """Everything one file contributes to a run, in the order the file produced it."""

    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    usage_errors: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    #: The file was read and handed to rules (counted in "files checked").
    checked: bool = False
    #: blake2b of the bytes that were checked (None when the file was not read).
    content_hash: str | None = None
    #: The first this many diagnostics come from reading the file and extracting its
    #: facts (the rest from its rules): a facts-only outcome is that prefix.
    fact_diagnostics: int = 0


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def cache_dir(root: Path) -> Path:
    configured = os.environ.get(CACHE_DIR_ENV)
    return Path(configured) if configured else root / CACHE_DIR_NAME


def in_ci() -> bool:
    """The run is a CI job (`CI=true` or `CI=1`, as every major CI service sets it)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def open_folder(root: Path) -> tuple[Path | None, str | None]:
    """The cache folder of `root`, created if missing and checked (see the trust model
    in the module's docstring): (folder, None), or (None, why it is not used; None when
    there is nothing worth saying, e.g. it cannot be created)."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        folder = Path(os.path.abspath(configured))
        base = Path(os.path.abspath(root))
        try:
            # Inside the audited tree, no folder from the root down may be a symlink.
            parts = folder.relative_to(base).parts
        except ValueError:
            base, parts = folder.parent, (folder.name,)  # elsewhere: the user's choice
            try:
                base.mkdir(parents=True, exist_ok=True)
            except OSError:
                return None, None
        label = f"${CACHE_DIR_ENV} ({configured})"
    else:
        base, parts = root, (CACHE_DIR_NAME,)
        label = CACHE_DIR_NAME
        if in_ci():
            if os.path.lexists(root / CACHE_DIR_NAME):
                return None, (
                    f"{label}: in CI (CI is set) a cache inside the audited tree is not "
                    "used, since the code under review could have forged it; set "
                    f"{CACHE_DIR_ENV} to a folder the workflow keeps to use a cache"
                )
            return None, None
    if not parts or any(part in ("", ".", "..") for part in parts):
        return None, f"{label}: not a folder name; the cache is not used"
    current = base
    for part in parts:
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            try:
                os.mkdir(current)
                info = os.lstat(current)
            except OSError:
                return None, None  # a read-only tree: no cache, nothing to warn about
        except OSError:
            return None, None
        problem = _folder_problem(info)
        if problem is not None:
            where = label if current == base / Path(*parts) else f"{label}: {current}"
            return None, f"{where} {problem}; the cache is not used"
    return current, None


def _folder_problem(info: os.stat_result) -> str | None:
    if stat.S_ISLNK(info.st_mode):
        return "is a symlink"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a directory"
    if not _owned(info):
        return "is owned by another user"
    return None


def _owned(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def _usable_folder(directory: Path) -> bool:
    """`directory` is a real folder of the user's (checked again where a cache opens it)."""
    try:
        return _folder_problem(os.lstat(directory)) is None
    except OSError:
        return False


_OPEN_FLAGS = (
    getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
)


def _read_own_file(path: Path) -> bytes:
    """The bytes of a regular file of the user's, never read through a symlink.
    FileNotFoundError when absent, another OSError when it is not such a file."""
    fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _owned(info):
            raise OSError(errno.EPERM, "not a regular file of the user's", str(path))
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _new_private_file(directory: Path, suffix: str, data: bytes) -> Path:
    """A new file (mode 0600) in `directory` holding `data`: created exclusively, so
    never through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _OPEN_FLAGS
    while True:
        path = directory / f".tmp-{os.urandom(6).hex()}{suffix}"
        try:
            fd = os.open(path, flags, 0o600)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        with _suppress_oserror():
            os.unlink(path)
        raise
    return path


def _user_key(problems: list[str] | None = None) -> str | None:
    """The per-user random key, created on first use; None when it cannot be kept, or
    when the file is not a private regular file of the user's (then `problems` says so)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "twelvefold" / "cache-key"
    for _ in range(2):
        try:
            fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
        except FileNotFoundError:
            _create_user_key(path)
            continue
        except OSError as exc:
            if problems is not None and os.path.islink(path):
                problems.append(f"{path} is a symlink; the cache is not used")
            elif problems is not None and exc.errno not in (errno.EACCES, errno.ENOTDIR):
                problems.append(f"{path}: {exc.strerror}; the cache is not used")
            return None
        try:
            info = os.fstat(fd)
            data = os.read(fd, 256)
        except OSError:
            return None
        finally:
            os.close(fd)
        problem = None
        if not stat.S_ISREG(info.st_mode):
            problem = "is not a regular file"
        elif not _owned(info):
            problem = "is owned by another user"
        elif info.st_mode & 0o077:
            problem = "can be read or written by other users (chmod 600 it)"
        if problem is not None:
            if problems is not None:
                problems.append(f"{path} {problem}; the cache is not used")
            return None
        return data.decode("ascii", "replace").strip() or None
    return None


def _create_user_key(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = _new_private_file(path.parent, "", (os.urandom(16).hex() + "\n").encode())
        try:
            os.link(temporary, path)  # first writer wins; a concurrent run reads its key
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    except OSError:
        pass


def code_fingerprint(modules: Iterable[str]) -> list[tuple[str, int, int]]:
    """(file, mtime_ns, size) of the twelvefold package and the modules rules live in,
    so editing a rule (or installing a new version of a plugin) invalidates the cache."""
    files: set[str] = set()
    for name in modules:
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        if path:
            files.add(path)
    package = Path(__file__).resolve().parent
    for path in package.rglob("*.py"):
        files.add(str(path))
    out = []
    for path in sorted(files):
        try:
            info = os.stat(path)
        except OSError:
            continue
        out.append((path, info.st_mtime_ns, info.st_size))
    return out


def namespace(parts: Mapping[str, Any], problems: list[str] | None = None) -> str | None:
    """The cache file name for one root and effective configuration (None: no cache;
    `problems` gets the reason when the per-user key is refused)."""
    key = _user_key(problems)
    if key is None:
        return None
    text = json.dumps({**parts, "format": FORMAT}, sort_keys=True, default=repr)
    return hashlib.sha256((key + "\0" + text).encode("utf-8", "surrogatepass")).hexdigest()[:32]


class ResultCache:
    """Per-file outcomes of one root under one configuration, loaded and saved whole."""

    def __init__(self, directory: Path, name: str) -> None:
        self.directory = directory
        self.path = directory / f"{name}.json"
        self._entries: dict[str, list[Any]] = {}
        self._changed = False
        # A folder that is not the user's own (a symlink, a planted folder) is never
        # read or written, whoever opened it.
        self._usable = _usable_folder(directory)
        if self._usable:
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(_read_own_file(self.path))
        except (OSError, ValueError, RecursionError):
            return  # absent, not the user's own file, or corrupt: start empty
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return
        files, names = data.get("files"), data.get("variants")
        if not isinstance(files, dict) or not isinstance(names, list):
            return
        # On disk a variant is a number into one table: the full name of a full run's
        # variant ("TF205,TF301,...|facts") per file was a third of the file.
        for path, entry in files.items():
            try:
                entry[4] = {names[int(number)]: outcome for number, outcome in entry[4].items()}
            except (LookupError, TypeError, ValueError, AttributeError):
                continue  # a corrupt entry: that file is checked again
            self._entries[path] = entry

    # An entry: [mtime_ns, size, inode, content_hash, {variant: encoded outcome}, *rest]
    # where `rest` is the rest of the stat key (ctime_ns): `_stat_of` and `_entry`.

    def lookup(self, path: str, stat: tuple[int, ...], variant: str) -> FileOutcome | None:
        """The stored outcome when the file's stat key is unchanged."""
        entry = self._entries.get(path)
        try:
            if entry is None or _stat_of(entry) != stat:
                return None
            return _pick(entry[4], variant)
        except (LookupError, TypeError, ValueError, AttributeError):
            return None  # a missing variant or a corrupt entry: recompute

    def lookup_content(
        self, path: str, stat: tuple[int, ...], variant: str, digest: str
    ) -> FileOutcome | None:
        """The stored outcome when only the stat key changed, not the bytes."""
        entry = self._entries.get(path)
        try:
            if entry is None or entry[3] is None or entry[3] != digest:
                return None
            outcome = _pick(entry[4], variant)
        except (LookupError, TypeError, ValueError, AttributeError):
            return None
        self._entries[path] = _entry(stat, entry[3], entry[4])
        self._changed = True
        return outcome

    def has_content_hash(self, path: str) -> bool:
        entry = self._entries.get(path)
        return isinstance(entry, list) and len(entry) >= 5 and isinstance(entry[3], str)

    def store(self, path: str, stat: tuple[int, ...], variant: str, outcome: FileOutcome) -> None:
        try:
            encoded = _encode_outcome(outcome)
        except _Uncacheable:
            return
        entry = self._entries.get(path)
        variants: dict[str, Any] = {}
        if (
            isinstance(entry, list)
            and len(entry) >= 5
            and entry[3] == outcome.content_hash
            and _stat_of(entry) == stat
            and isinstance(entry[4], dict)
        ):
            variants = {k: v for k, v in entry[4].items() if k != variant}
            variants = dict(list(variants.items())[-(MAX_VARIANTS - 1) :])
        variants[variant] = encoded
        self._entries[path] = _entry(stat, outcome.content_hash, variants)
        self._changed = True

    def keep_only(self, paths: set[str]) -> None:
        """Forget deleted files, so the cache does not grow without bound."""
        stale = [path for path in self._entries if path not in paths]
        for path in stale:
            del self._entries[path]
        self._changed = self._changed or bool(stale)

    def save(self) -> None:
        if not self._changed or not self._usable:
            return
        # dumps, not dump: `dump` streams through the pure-Python encoder.
        text = json.dumps({"format": FORMAT, **_numbered(self._entries)})
        if not _write_atomically(self.directory, self.path, text):
            return  # a read-only tree or a full disk: the run's result stands without a cache
        self._changed = False
        _forget_old_namespaces(self.directory, keep=self.path)


class RunMemo:
    """The report of the last full run of a root, reused whole while nothing it was
    computed from has changed.

    `key` digests what the cache name does not cover: the configuration, git's view and
    the stat key of every discovered file, and the files repo rules read outside that
    list. A hit skips the per-file lookups and the repo rules, which are most of a warm
    run. An `untrusted` memo (a file changed within the last moments, which a coarse
    clock could change again unseen) is read but never written. Stored beside the
    per-file entries as `<name>.run`, JSON like them."""

    def __init__(self, directory: Path, name: str, key: str, trusted: bool) -> None:
        self.path = directory / f"{name}{RUN_MEMO_SUFFIX}"
        self.directory = directory
        self.key = key
        self.trusted = trusted

    def load(self) -> MemoizedRun | None:
        if not _usable_folder(self.directory):
            return None
        try:
            data = json.loads(_read_own_file(self.path))
            if data.get("format") != FORMAT or data.get("key") != self.key:
                return None
            report = data["report"]
            outcome = _decode_outcome(report["outcome"])
            applicable = {int(factor): bool(applies) for factor, applies in report["applicable"]}
            return MemoizedRun(
                outcome.findings,
                outcome.diagnostics,
                outcome.usage_errors,
                int(report["files_checked"]),
                applicable,
            )
        except (OSError, ValueError, RecursionError, LookupError, TypeError, AttributeError):
            return None  # absent, stale or corrupt: run the check

    def save(self, run: MemoizedRun) -> None:
        if not _usable_folder(self.directory):
            return
        if not self.trusted:
            with _suppress_oserror():
                self.path.unlink()  # a stale memo must not outlive a run that saw a change
            return
        outcome = FileOutcome(list(run.findings), list(run.diagnostics), list(run.usage_errors))
        report = {
            "outcome": _encode_outcome(outcome),
            "files_checked": run.files_checked,
            "applicable": sorted(run.applicable.items()),
        }
        text = json.dumps({"format": FORMAT, "key": self.key, "report": report})
        _write_atomically(self.directory, self.path, text)


def _write_atomically(directory: Path, path: Path, text: str) -> bool:
    """Write `text` to a temporary file moved onto `path`, so a concurrent run reads the
    old version or the new one, never half of one. False when it cannot be written, or
    the folder is not the user's own. A symlink at `path` is replaced, not followed."""
    if not _usable_folder(directory):
        return False
    try:
        _prepare_directory(directory)
        temporary = _new_private_file(directory, path.suffix, text.encode("utf-8"))
        try:
            os.replace(temporary, path)
        except BaseException:
            with _suppress_oserror():
                os.unlink(temporary)
            raise
    except OSError:
        return False
    return True


@dataclass
class MemoizedRun:
    """What a run of one root reports, before formatting."""

    findings: list[Finding]
    diagnostics: list[Diagnostic]
    usage_errors: list[str]
    files_checked: int
    applicable: dict[int, bool]


RUN_MEMO_SUFFIX = ".run"


def _stat_of(entry: list[Any]) -> tuple[Any, ...]:
    return (*entry[:3], *entry[5:])


def _entry(stat: tuple[int, ...], digest: str | None, variants: Any) -> list[Any]:
    return [*stat[:3], digest, variants, *stat[3:]]


def _numbered(entries: Mapping[str, list[Any]]) -> dict[str, Any]:
    """The entries with each variant name replaced by its number in a `variants` table."""
    numbers: dict[str, str] = {}
    files: dict[str, list[Any]] = {}
    for path, entry in entries.items():
        variants = {}
        for variant, outcome in entry[4].items():
            number = numbers.setdefault(variant, str(len(numbers)))
            variants[number] = outcome
        files[path] = [*entry[:4], variants, *entry[5:]]
    return {"variants": list(numbers), "files": files}


#: Cache files kept per folder: one per configuration in use (full runs, pre-commit,
#: CI); older ones are left by upgrades and config edits.
MAX_NAMESPACES = 8


#: The names the tool gives its cache files (`namespace`): nothing else is ever deleted.
_OWN_NAME = lazy_compile(r"[0-9a-f]{32}\.json")


def _forget_old_namespaces(directory: Path, keep: Path) -> None:
    """Delete the oldest cache files beyond `MAX_NAMESPACES`, and their memos: only
    regular files of the user's named as the tool names them, never what a symlink
    points to (a committed cache folder can hold anything)."""
    found = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name == keep.name or not _OWN_NAME.fullmatch(entry.name):
                    continue
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and _owned(info):
                    found.append((info.st_mtime_ns, entry.name))
    except OSError:
        return
    found.sort(reverse=True)
    for _, name in found[MAX_NAMESPACES - 1 :]:
        for path in (directory / name, (directory / name).with_suffix(RUN_MEMO_SUFFIX)):
            with _suppress_oserror():
                info = os.lstat(path)
                if stat.S_ISREG(info.st_mode) and _owned(info):
                    os.unlink(path)


def _pick(variants: Mapping[str, Any], variant: str) -> FileOutcome:
    """The stored outcome for `variant` ("codes|facts"). A request for facts only (the
    files a pre-commit run does not check) is also served by a variant with the same
    facts and some rules: its facts and the diagnostics of reading and extracting them."""
    if variant in variants:
        return _decode_outcome(variants[variant])
    codes, _, facts = variant.partition("|")
    if not codes:
        for stored, encoded in variants.items():
            if stored.partition("|")[2] == facts:
                # Only the facts part is decoded: the findings are the other run's.
                prefix = int(encoded.get("k", 0))
                return _decode_outcome(
                    {"c": encoded["c"], "k": prefix, "d": encoded.get("d", [])[:prefix]}
                    | ({"x": encoded["x"]} if "x" in encoded else {})
                )
    raise KeyError(variant)


def _prepare_directory(directory: Path) -> None:
    """The markers of a cache folder (the folder itself is made by `open_folder`); a
    name already taken, even by a symlink, is left alone."""
    for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
        marker = directory / name
        if not os.path.lexists(marker):
            temporary = _new_private_file(directory, "", text.encode("utf-8"))
            try:
                os.replace(temporary, marker)
            except BaseException:
                with _suppress_oserror():
                    os.unlink(temporary)
                raise


class _suppress_oserror:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, value: object, traceback: object) -> bool:
        return isinstance(value, OSError)


# --- JSON encoding of outcomes --------------------------------------------------------------


class _Uncacheable(Exception):
    """A fact value JSON cannot carry faithfully; the file is simply not cached."""


def _encode_value(value: Any) -> Any:
    # Tagged one-key objects keep tuples, sets, non-string keys and the rules' own
    # dataclasses distinct from plain JSON lists and objects.
    if value is None or type(value) in (bool, int, float, str):
        return value
    kind = type(value)
    if (kind is list or kind is dict) and _is_json(value):
        return {"j": value}  # decoded as loaded, without a walk: most facts are these
    if isinstance(value, list):
        return [_encode_value(item) for item in value]
    if kind is tuple:
        return {"t": [_encode_value(item) for item in value]}
    if kind is frozenset:
        return {"f": [_encode_value(item) for item in value]}
    if kind is set:
        return {"s": [_encode_value(item) for item in value]}
    if kind is dict:
        return {"d": [[_encode_value(k), _encode_value(v)] for k, v in value.items()]}
    reference = _class_reference(kind)
    if dataclasses.is_dataclass(value):
        fields = {f.name: _encode_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"o": [reference, fields]}
    if isinstance(value, tuple) and hasattr(kind, "_fields"):  # a NamedTuple
        return {"n": [reference, [_encode_value(item) for item in value]]}
    if isinstance(value, enum.Enum):
        return {"e": [reference, _encode_value(value.value)]}
    raise _Uncacheable(kind.__name__)


def _is_json(value: Any) -> bool:
    """Plain JSON: lists, dicts with string keys, and scalars, all of these exact types
    (a subclass or a tuple would not come back as itself)."""
    kind = type(value)
    if kind is list:
        return all(item is None or type(item) in _SCALARS or _is_json(item) for item in value)
    if kind is dict:
        return all(
            type(key) is str and (item is None or type(item) in _SCALARS or _is_json(item))
            for key, item in value.items()
        )
    return False


def _class_reference(kind: type) -> str:
    """`module:qualname` of a class that decoding can find again without importing."""
    reference = f"{kind.__module__}:{kind.__qualname__}"
    try:
        found = _resolve_class(reference)
    except (LookupError, AttributeError, ValueError):
        found = None
    if found is not kind:
        raise _Uncacheable(reference)  # a local or shadowed class
    return reference


def _resolve_class(reference: str) -> type:
    # Only classes of modules already loaded (the rules' own): decoding never imports.
    module_name, _, qualname = reference.partition(":")
    found: Any = sys.modules[module_name]
    for part in qualname.split("."):
        found = getattr(found, part)
    if not isinstance(found, type):
        raise ValueError(f"{reference} is not a class")
    return found


#: JSON scalars decode to themselves: the lists of a warm run's facts are mostly these,
#: and skipping a call per item halves the decoding.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _decode_value(value: Any) -> Any:
    if isinstance(value, list):
        return [item if type(item) in _SCALARS else _decode_value(item) for item in value]
    if isinstance(value, dict):
        [(tag, items)] = value.items()
        if tag == "j":
            return items
        if tag == "t":
            return tuple(item if type(item) in _SCALARS else _decode_value(item) for item in items)
        if tag == "f":
            return frozenset(_decode_hashable(item) for item in items)
        if tag == "s":
            return {_decode_hashable(item) for item in items}
        if tag == "d":
            return {_decode_hashable(k): _decode_value(v) for k, v in items}
        if tag == "o":
            kind = _resolve_class(items[0])
            if not dataclasses.is_dataclass(kind):
                raise ValueError(f"{items[0]} is not a dataclass")
            instance = object.__new__(kind)
            names = {f.name for f in dataclasses.fields(kind)}
            for name, item in items[1].items():
                if name not in names:
                    raise ValueError(f"{items[0]} has no field {name}")
                object.__setattr__(instance, name, _decode_value(item))
            return instance
        if tag == "n":
            kind = _resolve_class(items[0])
            if not (issubclass(kind, tuple) and hasattr(kind, "_fields")):
                raise ValueError(f"{items[0]} is not a NamedTuple")
            return kind(*(_decode_value(item) for item in items[1]))
        if tag == "e":
            kind = _resolve_class(items[0])
            if not issubclass(kind, enum.Enum):
                raise ValueError(f"{items[0]} is not an Enum")
            return kind(_decode_value(items[1]))
        raise ValueError(f"unknown tag {tag!r}")
    return value


def _decode_hashable(value: Any) -> Any:
    decoded = _decode_value(value)
    if isinstance(decoded, list):
        raise ValueError("unhashable list in a set or key")
    return decoded


_FINDING_FIELDS = (
    "path",
    "line",
    "column",
    "code",
    "name",
    "factor",
    "message",
    "fix",
    "cell",
    "cell_line",
    "source",
    "key",
    "related",
    "files",
)


def _encode_outcome(outcome: FileOutcome) -> dict[str, Any]:
    encoded: dict[str, Any] = {"c": outcome.checked, "k": outcome.fact_diagnostics}
    if outcome.findings:
        encoded["f"] = [
            [*(getattr(f, name) for name in _FINDING_FIELDS), f.severity.value]
            for f in outcome.findings
        ]
    if outcome.diagnostics:
        encoded["d"] = [
            [d.path, d.message, d.level, d.internal, d.rule] for d in outcome.diagnostics
        ]
    if outcome.usage_errors:
        encoded["u"] = list(outcome.usage_errors)
    if outcome.facts:
        encoded["x"] = {name: _encode_value(value) for name, value in outcome.facts.items()}
    return encoded


def _decode_outcome(encoded: Mapping[str, Any]) -> FileOutcome:
    findings = []
    for row in encoded.get("f", ()):
        values = dict(zip(_FINDING_FIELDS, row[:-1], strict=True))
        values["related"] = tuple((int(line), str(text)) for line, text in values["related"])
        values["files"] = tuple(str(path) for path in values["files"])
        findings.append(Finding(**values, severity=Severity(row[-1])))
    diagnostics = [
        Diagnostic(path, message, level, bool(internal), rule)
        for path, message, level, internal, rule in encoded.get("d", ())
    ]
    usage_errors = [str(message) for message in encoded.get("u", ())]
    facts = {str(name): _decode_value(value) for name, value in encoded.get("x", {}).items()}
    fact_diagnostics = int(encoded.get("k", 0))
    return FileOutcome(
        findings, diagnostics, usage_errors, facts, bool(encoded["c"]), None, fact_diagnostics
    )
