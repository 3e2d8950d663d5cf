"""Writing files the audited repository may have planted traps for.

An output path (`--output`, `--write-baseline`, a file `--fix` rewrites) can be a
committed symlink to a file outside the repository (`twelvefold.sarif -> ../../.bashrc`),
or sit under a committed symlinked folder. Writing through either would let a pull
request overwrite any file the CI user can write, so both are refused. A file with
more than one hard link is refused too: truncating it rewrites its other names.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class UnsafeWriteError(OSError):
    """The destination is a symlink, under a symlinked folder, or not a plain file."""


def _symlinked_parent(path: Path, within: Path | None) -> Path | None:
    """The first folder of `path` below `within` (default: the current folder, for a
    relative path) that is a symlink. An absolute path given with no `within` is the
    user's own choice and is not walked."""
    if within is not None:
        try:
            relative = path.relative_to(within)
        except ValueError:
            return None
        current = within
    elif path.is_absolute():
        return None
    else:
        relative, current = path, Path()
    for part in relative.parts[:-1]:
        current = current / part
        if part not in (".", "..") and current.is_symlink():
            return current
    return None


def check_writable(path: Path, *, allow_new: bool = True, within: Path | None = None) -> None:
    """Raise `UnsafeWriteError` unless writing `path` writes that file and nothing else
    (`within`: the repository whose folders between it and `path` are checked)."""
    link = _symlinked_parent(path, within)
    if link is not None:
        raise UnsafeWriteError(
            errno.ELOOP, f"{link} is a symlink; refusing to write through it", str(path)
        )
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if allow_new:
            return
        raise
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeWriteError(
            errno.ELOOP, "the file is a symlink; refusing to write through it", str(path)
        )
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeWriteError(
            errno.EINVAL, "not a regular file; refusing to write to it", str(path)
        )
    if info.st_nlink > 1:
        raise UnsafeWriteError(
            errno.EMLINK, "the file has other hard links; refusing to rewrite them too", str(path)
        )


def write_text(path: Path, text: str, *, within: Path | None = None) -> None:
    """Write `text` (UTF-8) to `path`, never through a symlink or into a hard link.

    The final component is opened with O_NOFOLLOW and checked again on the open
    descriptor, so a swap between the check and the open is caught too.
    """
    check_writable(path, within=within)
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeWriteError(
                errno.ELOOP, "the file is a symlink; refusing to write through it", str(path)
            ) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeWriteError(
                errno.EINVAL, "not a regular file; refusing to write to it", str(path)
            )
        if info.st_nlink > 1:
            raise UnsafeWriteError(
                errno.EMLINK,
                "the file has other hard links; refusing to rewrite them too",
                str(path),
            )
        os.ftruncate(fd, 0)
        data = text.encode("utf-8", "surrogateescape")
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)
