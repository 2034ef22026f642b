"""The command line's files: inputs read safely, outputs written whole.

An input file must be a regular file (not a folder, a named pipe or a device such as ``/dev/zero``) of at most
:data:`MAX_INPUT_BYTES`. The checks come before any byte is read, and a file that grows while it is read is
refused after ``MAX_INPUT_BYTES + 1`` bytes, so a wrong path never eats the memory or hangs.

An output file is replaced whole or not at all (see :func:`write_output`), keeps its permissions and its links,
and a device such as ``/dev/stdout`` is written in place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import InvalidInput

__all__ = ["MAX_INPUT_BYTES", "read_input", "regular_file", "streamed_output", "write_output"]

MAX_INPUT_BYTES = 10_000_000
"""The largest input file hipplan reads: 10 MB (a plan request is a few KB)."""

_CHUNK = 1 << 20


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def _check(path: Path, mode: int, size: int, limit: int) -> None:
    if not stat.S_ISREG(mode):
        raise InvalidInput(f"{path}: is {_kind(mode)}, not a regular file")
    if size > limit:
        raise InvalidInput(
            f"{path}: the file is {size:,} bytes; hipplan reads files of at most {limit:,} bytes"
        )


def regular_file(path: Path) -> None:
    """Check that ``path`` names a regular file (not a device, a pipe or a folder), before anything reads it.

    Raises:
        InvalidInput: the file is missing, cannot be looked at, or is not a regular file; the message names it.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode):
        raise InvalidInput(f"{path}: is {_kind(mode)}, not a regular file")


def read_input(path: Path, *, suffixes: Sequence[str] = (), limit: int = MAX_INPUT_BYTES) -> str:
    """The text of a UTF-8 input file, checked before it is read.

    Args:
        path: the file.
        suffixes: the suffixes the file name may end in (any when empty), such as ``(".toml", ".json")``.
        limit: the largest size in bytes; at most ``limit + 1`` bytes are ever read.

    Raises:
        InvalidInput: the file is missing, is not a regular file, has another suffix, is larger than ``limit``,
            cannot be read or is not UTF-8; the message names the file.
    """
    regular_file(path)
    if suffixes and path.suffix.lower() not in suffixes:
        wanted = " or ".join(suffixes)
        raise InvalidInput(f"{path}: the file name must end in {wanted} (got {path.suffix or 'no suffix'!r})")
    # Non-blocking, so that a file swapped for a named pipe after the check cannot hang the open.
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        _check(path, info.st_mode, info.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if total > limit:
        raise InvalidInput(
            f"{path}: the file holds more than {limit:,} bytes; hipplan reads files of at most {limit:,} bytes"
        )
    data = b"".join(chunks)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text (byte {exc.start + 1} cannot be decoded)") from None


# ---------------------------------------------------------------- writing


def _target(path: Path) -> tuple[Path, os.stat_result | None, bool]:
    """Where a write to ``path`` lands: (the file, its status or None when it is new, whether to write it in
    place rather than replace it).

    Symbolic links are followed to the file they name, so the link stays a link. A device, a named pipe or a
    socket, or anything reached through /proc (``/dev/stdout`` is ``/proc/self/fd/1``), is written in place.
    """
    current = os.path.abspath(path)
    for _ in range(40):
        current = os.path.join(os.path.realpath(os.path.dirname(current)), os.path.basename(current))
        if current.startswith("/proc/"):
            return Path(current), None, True
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return Path(current), None, False
        if stat.S_ISLNK(info.st_mode):
            current = os.path.join(os.path.dirname(current), os.readlink(current))
            continue
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInput(f"{path}: is a folder, not a file")
        return Path(current), info, not stat.S_ISREG(info.st_mode)
    raise InvalidInput(f"{path}: too many symbolic links")


_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def _signals_noted() -> Iterator[list[int]]:
    """While the block runs, SIGTERM and SIGHUP are noted in the list it yields instead of ending the process.

    Only signals whose action is the default one are taken (an ignored SIGHUP under ``nohup`` stays ignored, a
    program's own handler stays in place), and only in the main thread. Afterwards the previous handlers are
    back, and a noted signal is raised again: the process ends as that signal would have ended it.
    """
    noted: list[int] = []
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():

        def note(signum: int, frame: object) -> None:
            noted.append(signum)

        for signum in _SIGNALS:
            if signal.getsignal(signum) == signal.SIG_DFL:
                previous[signum] = signal.signal(signum, note)
    try:
        yield noted
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if noted:
            signal.raise_signal(noted[0])
            raise SystemExit(128 + noted[0])  # only reached when the signal is blocked


class _Stopped(Exception):
    """A signal came during a write: stop, and leave nothing behind."""


@contextlib.contextmanager
def streamed_output(path: Path) -> Iterator[Callable[[str], None]]:
    """A ``write(text)`` for output that comes bit by bit (UTF-8), landing in ``path`` as ``--output`` files do.

    A regular file is written whole or not at all: the text goes to a temporary file in the same folder, renamed
    over the target only when the block ends without an error, so nothing is left behind on an error, Ctrl-C,
    SIGTERM or SIGHUP (a signal ends the process as it would have, once the temporary file is gone). A new file
    gets the permissions the umask allows; an existing file keeps its permissions. A symbolic link stays a link:
    the file it names is written. A device, a named pipe or ``/dev/stdout`` is written in place, as the text
    comes (appended to), never replaced.

    Raises:
        InvalidInput: the folder does not exist, or the path is a folder.
        OSError: the file cannot be written (no permission, disk full, ...).
    """
    target, info, in_place = _target(path)
    if in_place:
        # Appending: a device or a pipe does not care, and /dev/stdout redirected to a file ('>> log') goes on
        # where the output is instead of cutting the file.
        with open(path, "a", encoding="utf-8", newline="") as appended:

            def append(text: str) -> None:
                appended.write(text)

            yield append
        return
    if not target.parent.is_dir():
        raise InvalidInput(f"{path}: the folder {target.parent} does not exist")
    if info is not None and not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    tmp: Path | None = None
    with _signals_noted() as noted:
        try:
            # A new file gets 0666 less the umask, as the shell's '>' gives it; an existing one keeps its mode.
            create = 0o600 if info is not None else 0o666
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
            while tmp is None:
                candidate = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
                try:
                    fd = os.open(candidate, flags, create)
                except FileExistsError:
                    continue
                tmp = candidate
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                if info is not None:
                    _keep_mode(handle.fileno(), info)

                def write(text: str) -> None:
                    if noted:
                        raise _Stopped
                    handle.write(text)

                yield write
                if noted:
                    raise _Stopped
                handle.flush()
                os.fsync(handle.fileno())
            if noted:
                raise _Stopped
            os.replace(tmp, target)
            tmp = None
        except _Stopped:
            pass  # leaving the block raises the signal again
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
    _sync_folder(target.parent)


def _keep_mode(fd: int, info: os.stat_result) -> None:
    """Give the new file the old one's permissions, and its owner and group where the system allows it."""
    if hasattr(os, "fchown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):
            os.fchown(fd, info.st_uid, info.st_gid)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(info.st_mode))


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where folders can be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_output(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` as ``hipplan plan --output PATH`` does: whole or not at all, see
    :func:`streamed_output`.

    Raises:
        InvalidInput: the folder does not exist, or the path is a folder.
        OSError: the file cannot be written (no permission, disk full, ...).
    """
    with streamed_output(path) as write:
        write(text)
