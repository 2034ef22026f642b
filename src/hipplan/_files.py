"""Reading the command line's input files safely.

An input file must be a regular file (not a folder, a named pipe or a device such as ``/dev/zero``) of at most
:data:`MAX_INPUT_BYTES`. The checks come before any byte is read, and a file that grows while it is read is
refused after ``MAX_INPUT_BYTES + 1`` bytes, so a wrong path never eats the memory or hangs.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from .errors import InvalidInput

__all__ = ["MAX_INPUT_BYTES", "read_input"]

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
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    _check(path, mode, 0, limit)
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
