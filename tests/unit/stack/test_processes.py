import os
import subprocess
import sys

from lakehouse.stack.endpoints import wait_until
from lakehouse.stack.processes import (
    hold_lock,
    is_alive,
    process_state,
    read_command,
    read_pid,
    remove_pid,
    spawn_detached,
    stop_process,
    write_pid,
)


def test_write_pid_creates_the_folder_and_read_pid_returns_the_pid(tmp_path):
    pid_file = tmp_path / "pids" / "moto.pid"

    write_pid(pid_file, 4242)

    assert (pid_file.read_text(), read_pid(pid_file)) == ("4242\n", 4242)


def test_read_pid_takes_the_first_line_of_a_postmaster_pid_file(tmp_path):
    pid_file = tmp_path / "postmaster.pid"
    pid_file.write_text("7235\n/tmp/state/postgres\n1700000000\n25439\n")

    assert read_pid(pid_file) == 7235


def test_read_pid_returns_none_for_a_missing_empty_or_invalid_file(tmp_path):
    empty, garbage, zero = tmp_path / "empty", tmp_path / "garbage", tmp_path / "zero"
    empty.write_text("")
    garbage.write_text("not a pid\n")
    zero.write_text("0\n")

    assert [read_pid(path) for path in (tmp_path / "missing", empty, garbage, zero)] == [None] * 4


def test_remove_pid_deletes_the_file_and_accepts_a_missing_one(tmp_path):
    pid_file = tmp_path / "moto.pid"
    write_pid(pid_file, 1)

    remove_pid(pid_file)
    remove_pid(pid_file)

    assert not pid_file.exists()


def test_is_alive_is_true_for_this_process():
    assert is_alive(os.getpid()) is True


def test_is_alive_is_false_once_a_detached_process_has_exited(tmp_path):
    pid = spawn_detached([sys.executable, "-c", "pass"], tmp_path / "quick.log")

    assert wait_until(lambda: not is_alive(pid), timeout=30) is True


def test_spawn_detached_runs_the_command_outside_our_session_and_logs_its_output(tmp_path):
    log = tmp_path / "logs with space.log"
    code = "import time; print('up', flush=True); time.sleep(30)"

    pid = spawn_detached([sys.executable, "-c", code], log)
    try:
        logged = wait_until(lambda: log.read_text() == "up\n", timeout=30)
        assert (logged, os.getsid(pid) != os.getsid(0), "time.sleep(30)" in read_command(pid)) == (
            True,
            True,
            True,
        )
    finally:
        stop_process(pid, timeout=5)


def test_stop_process_ends_a_running_process(tmp_path):
    pid = spawn_detached([sys.executable, "-c", "import time; time.sleep(30)"], tmp_path / "s.log")

    stop_process(pid, timeout=5)

    # ended; reaped by now or soon, by the machine's first process
    assert (is_alive(pid), "time.sleep(30)" in read_command(pid)) == (False, False)


def test_is_alive_is_false_for_a_process_that_exited_and_waits_to_be_reaped():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        # not reaped: this process is its parent and does not wait for it until the end
        assert wait_until(lambda: process_state(child.pid) == "Z", timeout=30) is True
        assert is_alive(child.pid) is False
    finally:
        child.wait()


def test_hold_lock_makes_a_second_holder_wait(tmp_path):
    lock_file = tmp_path / "state" / "stack.lock"
    probe = (
        "import fcntl, sys; handle = open(sys.argv[1]);"
        " fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)"
    )

    command = [sys.executable, "-c", probe, str(lock_file)]

    with hold_lock(lock_file):
        while_held = subprocess.run(command, check=False, capture_output=True)
    after = subprocess.run(command, check=False, capture_output=True)

    assert (while_held.returncode, after.returncode) == (1, 0)
