"""autograd/files.py: files written whole or not at all (stage, commit, write_atomically) and files
read within a bound (read_bounded)."""

from __future__ import annotations

import errno
import os
import stat
import threading

import pytest

from autograd._files import commit, read_bounded, stage, write_atomically

posix = pytest.mark.skipif(os.name != "posix", reason="permission bits, named pipes and symbolic links are POSIX")


def test_write_atomically_round_trip_leaves_only_the_file(tmp_path) -> None:
    path = tmp_path / "a.bin"
    data = bytes(range(256)) * 10
    write_atomically(path, data, "save")
    assert path.read_bytes() == data
    write_atomically(str(path), b"second", "save")  # replaces it; a str path works too
    assert path.read_bytes() == b"second"
    assert os.listdir(tmp_path) == ["a.bin"]  # no temporary file left behind


@posix
def test_an_existing_file_keeps_its_permission_bits(tmp_path) -> None:
    path = tmp_path / "private.json"
    path.write_bytes(b"old")
    path.chmod(0o600)
    mask = os.umask(0o022)
    try:
        write_atomically(path, b"new", "save")
    finally:
        os.umask(mask)
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@posix
def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path) -> None:
    mask = os.umask(0o027)
    try:
        write_atomically(tmp_path / "new.txt", b"x", "save")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_writing_to_a_pipe_is_refused_and_the_pipe_stays(tmp_path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(OSError) as info:
        write_atomically(pipe, b"data", "render")
    assert info.value.errno == errno.EINVAL
    assert str(info.value) == (
        f"[Errno {errno.EINVAL}] render: cannot write {str(pipe)!r}: it is not a regular file (a device, a pipe, ...)"
    )
    assert stat.S_ISFIFO(os.stat(pipe).st_mode) and os.listdir(tmp_path) == ["pipe"]


def test_a_folder_or_a_missing_folder_is_refused_naming_the_path(tmp_path) -> None:
    with pytest.raises(IsADirectoryError) as info:
        write_atomically(tmp_path, b"x", "save")
    assert (
        str(info.value)
        == f"[Errno {errno.EISDIR}] save: cannot write {str(tmp_path)!r}: it is a folder; give a file name"
    )
    missing = tmp_path / "nowhere" / "f.txt"
    with pytest.raises(FileNotFoundError) as info:
        write_atomically(missing, b"x", "save")
    folder = os.path.dirname(os.path.realpath(missing))
    assert str(info.value) == (
        f"[Errno {errno.ENOENT}] save: cannot write {str(missing)!r}: the folder {folder!r} does not exist"
    )
    assert os.listdir(tmp_path) == []


@posix
def test_a_symbolic_link_is_written_through_to_its_file(tmp_path) -> None:
    (tmp_path / "real").mkdir()
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "real" / "file.txt")  # to a file that does not exist yet
    write_atomically(link, b"through", "save")
    assert link.is_symlink() and (tmp_path / "real" / "file.txt").read_bytes() == b"through"
    assert os.listdir(tmp_path / "real") == ["file.txt"]


def test_a_staged_file_waits_beside_its_path_until_committed_or_discarded(tmp_path) -> None:
    path = tmp_path / "a.txt"
    staged = stage(path, b"hello", "save")
    assert not path.exists() and staged.path == str(path) and staged.operation == "save"
    assert os.path.dirname(staged.temporary) == os.path.dirname(os.path.realpath(path))
    with open(staged.temporary, "rb") as f:
        assert f.read() == b"hello"
    staged.discard()
    staged.discard()  # twice is fine
    assert os.listdir(tmp_path) == []
    commit([stage(path, b"again", "save")])
    assert path.read_bytes() == b"again" and os.listdir(tmp_path) == ["a.txt"]


def fail_to_replace(monkeypatch, temporary: str) -> None:
    """Make ``os.replace`` fail, as on a full disk, when it would move ``temporary`` in place."""
    real_replace = os.replace

    def replace(src, dst):
        if src == temporary:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def test_commit_of_two_files_where_the_second_fails_leaves_both_as_before(tmp_path, monkeypatch) -> None:
    graph, steps = tmp_path / "graph.svg", tmp_path / "steps.html"
    graph.write_bytes(b"old graph")
    steps.write_bytes(b"old steps")
    staged = [stage(graph, b"new graph", "--graph"), stage(steps, b"new steps", "--steps")]
    fail_to_replace(monkeypatch, staged[1].temporary)
    with pytest.raises(OSError) as info:
        commit(staged)
    assert info.value.errno == errno.ENOSPC
    assert str(info.value) == f"[Errno {errno.ENOSPC}] --steps: cannot write {str(steps)!r}: No space left on device"
    assert graph.read_bytes() == b"old graph" and steps.read_bytes() == b"old steps"
    assert not any(os.path.exists(s.temporary) for s in staged)  # the new contents are gone
    assert sorted(os.listdir(tmp_path)) == ["graph.svg", "steps.html"]


def test_a_failed_commit_leaves_no_backup_file_behind(tmp_path, monkeypatch) -> None:
    graph, steps = tmp_path / "graph.svg", tmp_path / "steps.html"
    graph.write_bytes(b"old graph")
    steps.write_bytes(b"old steps")
    staged = [stage(graph, b"new graph", "--graph"), stage(steps, b"new steps", "--steps")]
    fail_to_replace(monkeypatch, staged[1].temporary)
    with pytest.raises(OSError):
        commit(staged)
    assert sorted(os.listdir(tmp_path)) == ["graph.svg", "steps.html"]


def test_commit_removes_a_new_file_again_when_a_later_one_fails(tmp_path, monkeypatch) -> None:
    new, old = tmp_path / "new.dot", tmp_path / "old.html"
    old.write_bytes(b"old")
    staged = [stage(new, b"n", "--graph"), stage(old, b"o", "--steps")]
    fail_to_replace(monkeypatch, staged[1].temporary)
    with pytest.raises(OSError):
        commit(staged)
    assert not new.exists() and old.read_bytes() == b"old"
    assert [name for name in os.listdir(tmp_path) if not name.endswith(".old")] == ["old.html"]


def test_commit_of_several_files_moves_them_all(tmp_path) -> None:
    paths = [tmp_path / f"{k}.txt" for k in range(3)]
    paths[1].write_bytes(b"old")
    commit([stage(p, f"new {k}".encode(), "save") for k, p in enumerate(paths)])
    assert [p.read_bytes() for p in paths] == [b"new 0", b"new 1", b"new 2"]
    assert sorted(os.listdir(tmp_path)) == ["0.txt", "1.txt", "2.txt"]  # the backup of 1.txt is gone too


def test_read_bounded_reads_a_file_up_to_the_bound_and_refuses_one_over_it(tmp_path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 1001)
    assert read_bounded(path, 1001, "load") == b"x" * 1001
    with pytest.raises(OSError) as info:
        read_bounded(path, 1000, "load")
    assert info.value.errno == errno.EFBIG
    assert str(info.value) == f"[Errno {errno.EFBIG}] load: {str(path)!r} is 1,001 bytes, more than the 1,000 it reads"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_read_bounded_refuses_a_pipe_without_waiting_for_a_writer(tmp_path) -> None:
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    errors: list[OSError] = []

    def read() -> None:
        try:
            read_bounded(pipe, 100, "load")
        except OSError as e:
            errors.append(e)

    reader = threading.Thread(target=read, daemon=True)  # if it blocked, the test run would not hang
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "read_bounded is waiting for a writer on the pipe"
    (error,) = errors
    assert error.errno == errno.EINVAL
    assert str(error) == (
        f"[Errno {errno.EINVAL}] load: cannot read {str(pipe)!r}: it is not a regular file (a device, a pipe, ...)"
    )


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_read_bounded_refuses_a_device_that_never_ends() -> None:
    with pytest.raises(OSError, match=r"load: cannot read '/dev/zero': it is not a regular file"):
        read_bounded("/dev/zero", 100, "load")


def test_read_bounded_of_a_missing_file_names_it(tmp_path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(FileNotFoundError) as info:
        read_bounded(path, 10, "load")
    assert str(info.value) == f"[Errno {errno.ENOENT}] load: cannot read {str(path)!r}: No such file or directory"
