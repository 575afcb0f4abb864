"""The daemon's loop in-process (injected capture, real signals), its back-off schedule,
and the log's syslog and errlogger ends."""

import os
import signal
import socket
import threading
import time

import pytest

from aixdr_agent.commands.daemon import BACKOFF_MAX, Daemon, Idle, backoff_delay
from aixdr_agent.log import ERROR, INFO, errlog, setup, syslog_address, syslog_handler
from aixdr_agent.state import LockHeld
from tests.harness.stub import StubRunner


class Lines:
    def __init__(self):
        self.lines = []

    def __call__(self, message, level=INFO):
        self.lines.append((level, message))

    def text(self):
        return "\n".join(m for _, m in self.lines)


def kill_later(seconds, sig=signal.SIGTERM):
    timer = threading.Timer(seconds, os.kill, (os.getpid(), sig))
    timer.start()
    return timer


def make(capture, interval=3600.0, first=0.05, errlog=None):
    log = Lines()
    errs = []
    daemon = Daemon("/nonexistent/agent.yaml", "/nonexistent/state", interval, log,
                    backoff_first=first, capture=capture,
                    errlog=errlog or errs.append)
    return daemon, log, errs


def test_backoff_doubles_from_the_first_delay_up_to_the_cap():
    assert [backoff_delay(n, 60) for n in range(1, 9)] == [
        60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert backoff_delay(500, 60) == BACKOFF_MAX
    assert backoff_delay(1, 0.1, cap=1) == 0.1


def test_the_first_retry_is_never_later_than_the_interval():
    daemon, _, _ = make(lambda: "ok", interval=10.0, first=60.0)
    assert daemon.first == 10.0


def test_sigterm_while_sleeping_ends_the_loop_at_once_with_exit_0():
    calls = []
    daemon, log, _ = make(lambda: calls.append(1) or "inventory refreshed", interval=30.0)
    timer = kill_later(0.3)
    t0 = time.monotonic()
    try:
        assert daemon.run() == 0
    finally:
        timer.cancel()
    assert time.monotonic() - t0 < 1.0
    assert calls == [1]
    assert "daemon stopped by SIGTERM" in log.text()
    assert signal.getsignal(signal.SIGTERM) is not daemon._on_signal   # handler restored


def test_sigint_during_a_capture_abandons_it():
    def slow():
        time.sleep(5)
        return "never"

    daemon, log, _ = make(slow)
    timer = kill_later(0.2, signal.SIGINT)
    t0 = time.monotonic()
    try:
        assert daemon.run() == 0
    finally:
        timer.cancel()
    assert time.monotonic() - t0 < 1.0
    assert "daemon stopped by SIGINT, the capture in progress abandoned" in log.text()


def test_failures_back_off_log_each_time_and_errlog_once_per_streak():
    outcomes = [RuntimeError("lsattr: boom"), OSError("disk"), "ok", ValueError("again")]
    stamps = []

    def capture():
        stamps.append(time.monotonic())
        result = outcomes.pop(0) if outcomes else "ok"
        if isinstance(result, Exception):
            raise result
        return "inventory refreshed"

    daemon, log, errs = make(capture, interval=0.05, first=0.05)
    delays = [daemon.cycle() for _ in range(4)]
    assert delays == [0.05, 0.1, 0.05, 0.05]
    assert daemon.failures == 1
    assert len(errs) == 2 and "RuntimeError: lsattr: boom" in errs[0]
    assert "ValueError: again" in errs[1]
    text = log.text()
    assert "failed (2 in a row): OSError: disk; next try in 0.1s" in text
    assert "works again after 2 failure(s)" in text
    assert any(level == ERROR for level, _ in log.lines)


def test_a_real_run_sleeps_between_failures_instead_of_spinning():
    stamps = []

    def failing():
        stamps.append(time.monotonic())
        raise RuntimeError("no")

    daemon, _, errs = make(failing, first=0.05)
    timer = kill_later(1.0)
    try:
        daemon.run()
    finally:
        timer.cancel()
    # 0.05 + 0.1 + 0.2 + 0.4 = 0.75 s: five tries in the second, not thousands
    assert 3 <= len(stamps) <= 6
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert all(b > a for a, b in zip(gaps, gaps[1:]))
    assert len(errs) == 1


def test_a_held_lock_and_a_missing_configuration_are_not_failures():
    daemon, log, errs = make(lambda: (_ for _ in ()).throw(LockHeld("/x/lock", 42)),
                             interval=300.0, first=60.0)
    assert daemon.cycle() == 60.0
    daemon.capture = lambda: (_ for _ in ()).throw(Idle("no configuration file x yet"))
    assert daemon.cycle() == 300.0
    assert daemon.failures == 0 and errs == []
    assert "held by pid 42" in log.text()


def test_the_real_capture_is_idle_without_a_configuration(tmp_path):
    daemon = Daemon(str(tmp_path / "agent.yaml"), str(tmp_path / "state"), 1.0, Lines())
    with pytest.raises(Idle):
        daemon.capture_once()


def test_syslog_goes_to_the_socket_with_facility_daemon(tmp_path):
    path = str(tmp_path / "log")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(2)
    try:
        log = setup(str(tmp_path / "state"), syslog=path)
        log("site prod: nothing to do")
        data = sock.recv(4096).decode()
    finally:
        sock.close()
        setup(str(tmp_path / "state"), syslog=False)
    # <30> = facility daemon (3) * 8 + info (6)
    assert data.startswith("<30>aixdr-agent[%d]: site prod: nothing to do" % os.getpid())
    assert "site prod" in open(str(tmp_path / "state" / "agent.log")).read()


def test_syslog_is_optional_and_failures_stay_silent(tmp_path, capsys):
    assert syslog_handler(str(tmp_path / "no-such-socket")) is None
    assert syslog_address({"AIXDR_SYSLOG": "off"}) is None
    assert syslog_address({}) == "/dev/log"
    path = str(tmp_path / "log")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    log = setup(str(tmp_path / "state"), syslog=path)
    sock.close()
    os.unlink(path)                  # syslogd went away
    log("still fine")
    setup(str(tmp_path / "state"), syslog=False)
    assert capsys.readouterr().err == ""


def test_errlog_cuts_to_1024_bytes_and_never_raises():
    runner = StubRunner({"errlogger *": ""})
    assert errlog(runner, "x\n" * 1000) is True
    argv = runner.calls[0]
    assert argv[0] == "errlogger" and len(argv) == 2
    assert 1000 < len(argv[1].encode()) <= 1024 and "\n" not in argv[1]
    assert errlog(StubRunner({"errlogger *": OSError("no errlogger")}), "boom") is False
    assert errlog(StubRunner({"errlogger *": (1, "", "errlogger: failed\n")}), "boom") is False
