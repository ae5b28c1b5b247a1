"""Files written whole or not at all, and files read within a bound: for saved models and pictures.

``write_atomically`` writes through a temporary file in the same folder and ``os.replace``: a
reader sees the old file or the complete new one, never a part, and a failure leaves the old one
as it was. Several files are written all or none with ``stage`` and ``commit``. An existing
file keeps its permission bits, so a private (0600) file stays private. A symbolic link is
written through, to the file it names; a device or a pipe is refused.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Union

PathLike = Union[str, "os.PathLike[str]"]


@dataclass
class Staged:
    """New contents for ``path``, written to ``temporary`` and waiting for ``commit``."""

    path: str  # as the user gave it, for messages
    target: str  # the file a commit replaces (a symbolic link resolved)
    temporary: str
    operation: str

    def discard(self) -> None:
        """Remove the temporary file; ``path`` stays as it was."""
        try:
            os.unlink(self.temporary)
        except FileNotFoundError:
            pass


def stage(path: PathLike, data: bytes, operation: str) -> Staged:
    """Write ``data`` to a new temporary file beside ``path``, to be moved in place by ``commit``.

    Raises:
        OSError: ``path`` is a folder, a device or a pipe, its folder does not exist, or the
            temporary file cannot be written; the message names ``path``.
    """
    shown = as_path(path, operation)
    if os.path.isdir(shown):
        raise IsADirectoryError(errno.EISDIR, f"{operation}: cannot write {shown!r}: it is a folder; give a file name")
    target = os.path.realpath(shown)  # through a symbolic link to its file: replacing the link would cut it
    if os.path.exists(target) and not os.path.isfile(target):
        raise OSError(
            errno.EINVAL, f"{operation}: cannot write {shown!r}: it is not a regular file (a device, a pipe, ...)"
        )
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            errno.ENOENT, f"{operation}: cannot write {shown!r}: the folder {folder!r} does not exist"
        )
    fd, temporary = _create_temporary(folder, shown, operation)
    staged = Staged(shown, target, temporary, operation)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))  # keep the old file's permissions
        except FileNotFoundError:
            pass  # a new file: created with 0o666 less the umask, as open() would
    except OSError as e:
        staged.discard()
        raise _naming(e, shown, operation) from None
    except BaseException:
        staged.discard()
        raise
    return staged


def commit(staged: Sequence[Staged]) -> None:
    """Move every staged file in place, all or none: if one move fails, the others are undone.

    Each replaced file is first kept under a second name (a hard link, so no data is copied),
    which a failure moves back; a file that did not exist before is removed again.
    """
    done: list[tuple[Staged, str | None]] = []
    try:
        for s in staged:
            backup = _keep(s.target) if len(staged) > 1 and os.path.exists(s.target) else None
            done.append((s, backup))
            os.replace(s.temporary, s.target)
    except BaseException as e:
        for s, backup in reversed(done):
            _undo(s, backup)
        for s in staged:
            s.discard()
        if not isinstance(e, OSError):
            raise
        failed = done[-1][0] if done else staged[0]
        raise _naming(e, failed.path, failed.operation) from None
    for _, backup in done:
        if backup is not None:
            os.unlink(backup)


def _keep(target: str) -> str:
    """A second name for ``target``'s current contents: a hard link, or a copy where links fail."""
    backup = os.path.join(os.path.dirname(target), f".{secrets.token_hex(6)}.old")
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
    return backup


def _undo(s: Staged, backup: str | None) -> None:
    moved = not os.path.exists(s.temporary)  # the new contents are in place
    try:
        if backup is None:
            if moved:  # a new file: remove it again
                os.unlink(s.target)
        elif moved:
            os.replace(backup, s.target)
        else:  # the move itself failed: the old file is still there, and the backup is a second name of it
            os.unlink(backup)
    except OSError:
        pass


def write_atomically(path: PathLike, data: bytes, operation: str) -> None:
    """Write ``data`` to ``path`` whole or not at all; errors name ``operation`` and ``path``.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_atomically(pathlib.Path(d) / "a.txt", b"hello", "save")
    ...     (pathlib.Path(d) / "a.txt").read_bytes()
    b'hello'
    """
    commit([stage(path, data, operation)])


def read_bounded(path: PathLike, max_bytes: int, operation: str) -> bytes:
    """The bytes of the regular file ``path``, refused up front if it holds more than ``max_bytes``.

    A pipe or a device is refused without waiting for it (a pipe with no writer would block
    forever, ``/dev/zero`` never ends).

    Raises:
        OSError: ``path`` cannot be opened, is not a regular file, or (``errno.EFBIG``) is too large.
    """
    shown = as_path(path, operation)
    try:
        fd = os.open(shown, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise _naming(e, shown, operation, f"cannot read {shown!r}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # told before fdopen, which names a folder by its descriptor
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, a pipe, ...)"
        raise OSError(errno.EINVAL, f"{operation}: cannot read {shown!r}: it is {kind}")
    with os.fdopen(fd, "rb") as f:
        if info.st_size > max_bytes:
            raise OSError(
                errno.EFBIG, f"{operation}: {shown!r} is {info.st_size:,} bytes, more than the {max_bytes:,} it reads"
            )
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew while we read
        raise OSError(errno.EFBIG, f"{operation}: {shown!r} is more than the {max_bytes:,} bytes it reads")
    return data


def as_path(path: Any, operation: str) -> str:
    """``path`` as a string, or a ``TypeError`` naming ``operation`` for something that is not a path.

    >>> as_path(None, "save")
    Traceback (most recent call last):
    TypeError: save: the path must be a str or an os.PathLike (a pathlib.Path), got None
    """
    try:
        shown = os.fspath(path)
    except TypeError:
        raise TypeError(
            f"{operation}: the path must be a str or an os.PathLike (a pathlib.Path), got {path!r:.60}"
        ) from None
    if isinstance(shown, bytes):
        return os.fsdecode(shown)
    return shown


def _create_temporary(folder: str, shown: str, operation: str) -> tuple[int, str]:
    """A new file in ``folder``, created with mode 0o666 so the umask applies as for ``open()``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = os.path.join(folder, f".{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue  # another writer drew the same name: draw again
        except OSError as e:
            raise _naming(
                e, shown, operation, f"cannot write {shown!r}: cannot create a file in the folder {folder!r}"
            ) from None
    raise FileExistsError(
        errno.EEXIST, f"{operation}: cannot write {shown!r}: no free temporary file name in {folder!r}"
    )


def _naming(e: OSError, path: str, operation: str, what: str = "") -> OSError:
    """The same kind of error, naming the user's file rather than our temporary one.

    >>> str(_naming(PermissionError(13, "Permission denied", "/sys/.x.tmp"), "/sys/x.svg", "render"))
    "[Errno 13] render: cannot write '/sys/x.svg': Permission denied"
    """
    if str(path) in str(e) and e.filename is None:
        return e  # already ours
    message = f"{operation}: {what or f'cannot write {path!r}'}: {e.strerror or e}"
    return type(e)(e.errno, message) if e.errno is not None else type(e)(message)
