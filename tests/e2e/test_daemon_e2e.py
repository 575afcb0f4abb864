"""`aixdr-agent daemon` as the SRC runs it: a foreground process that refreshes the
inventory, stops at once on the SRC's stop signal (exit 0, inventory intact), and backs
off when a capture fails."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from fakeaix import scenarios

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Daemon:
    def __init__(self, lpar, interval=0.5, backoff=None):
        env = dict(os.environ)
        env.update(lpar.host.env())
        env["AIXDR_SYSLOG"] = "off"
        if backoff is not None:
            env["AIXDR_DAEMON_BACKOFF"] = str(backoff)
        self.lpar = lpar
        self.log_path = os.path.join(lpar.state, "agent.log")
        # what srcmstr does: fork, stdin from /dev/null (-i), exec the path with its args
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "aixdr_agent", "--config", lpar.config, "--state-dir",
             lpar.state, "daemon", "--interval", str(interval)],
            env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)

    def log(self):
        try:
            with open(self.log_path) as fh:
                return fh.read()
        except FileNotFoundError:
            return ""

    def wait_for(self, predicate, timeout=30.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if predicate(self.log()):
                return
            assert self.proc.poll() is None, self.finish()
            time.sleep(0.05)
        raise AssertionError("timed out; agent.log:\n" + self.log())

    def stop(self, sig=signal.SIGTERM, within=1.0):
        """Signal it as `stopsrc -s` does and time the exit."""
        t0 = time.monotonic()
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=within)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("still running %.1fs after %s" % (within, sig)) from None
        return rc, time.monotonic() - t0

    def finish(self):
        if self.proc.poll() is None:
            self.proc.kill()
        out, err = self.proc.communicate()
        return out + err


@pytest.fixture()
def daemons():
    started = []

    def start(lpar, **kw):
        d = Daemon(lpar, **kw)
        started.append(d)
        return d

    yield start
    for d in started:
        d.finish()


def inventory(lpar):
    with open(os.path.join(lpar.state, "inventory.json")) as fh:
        return json.load(fh)


def leftovers(lpar):
    return [n for n in os.listdir(lpar.state) if n.endswith(".tmp")]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_daemon_refreshes_the_inventory_and_stops_at_once_on_a_signal(lpar_factory, daemons,
                                                                      sig):
    lpar = lpar_factory(scenarios.production_machine())
    daemon = daemons(lpar, interval=0.3)
    daemon.wait_for(lambda log: log.count("inventory refreshed at site prod") >= 2)
    assert inventory(lpar)["schema"] == "aixdr-agent/inventory/v1"
    rc, took = daemon.stop(sig)
    assert rc == 0, daemon.finish()
    assert took < 1.0
    assert inventory(lpar)["schema"] == "aixdr-agent/inventory/v1"    # intact, parseable
    assert leftovers(lpar) == []
    assert "daemon stopped by %s" % signal.Signals(sig).name in daemon.log()
    assert lpar.changes() == []                     # never a reconfiguration step
    out = daemon.finish()
    assert "Traceback" not in out


def test_a_stop_during_a_slow_capture_abandons_it_and_keeps_the_old_inventory(lpar_factory,
                                                                             daemons):
    lpar = lpar_factory(scenarios.production_machine())
    assert lpar.agent("capture").returncode == 0
    path = os.path.join(lpar.state, "inventory.json")
    before = open(path, "rb").read()
    with lpar.host.edit() as m:
        m["behaviour"]["latency"] = {"uname": 20}     # the capture hangs in `uname -L`
    daemon = daemons(lpar, interval=3600)
    daemon.wait_for(lambda log: "daemon started" in log)
    end = time.monotonic() + 10
    while not any(c["argv"][0] == "lsattr" for c in lpar.calls()):
        assert time.monotonic() < end, "the capture did not start"
        time.sleep(0.05)
    time.sleep(0.3)                                   # now inside the slow `uname -L`
    rc, took = daemon.stop(signal.SIGTERM)
    assert rc == 0 and took < 1.0, daemon.finish()
    assert open(path, "rb").read() == before
    assert leftovers(lpar) == []
    assert "capture in progress abandoned" in daemon.log()


def test_a_failing_capture_is_retried_with_back_off_and_logged_once(lpar_factory, daemons):
    lpar = lpar_factory(scenarios.production_machine())
    with lpar.host.edit() as m:
        m["behaviour"]["fail"] = [{"match": "lsattr -El sys0", "rc": 255, "times": 3,
                                   "stderr": "lsattr: 0514-519 injected\n"}]
    daemon = daemons(lpar, interval=3600, backoff=0.2)
    daemon.wait_for(lambda log: "works again after 3 failure(s)" in log, timeout=30)
    log = daemon.log()
    waits = [float(x) for x in re.findall(r"failed \(\d in a row\): .*; next try in "
                                          r"([0-9.]+)s", log)]
    assert waits == [0.2, 0.4, 0.8]                 # doubling, not a busy loop
    assert "0514-519 injected" in log
    stamps = [c["start"] for c in lpar.calls() if c["argv"][:3] == ["lsattr", "-El", "sys0"]]
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert len(stamps) == 4 and all(g >= w for g, w in zip(gaps, waits))
    errlog = [e["message"] for e in lpar.machine()["errlog"] if "daemon" in e["message"]]
    assert len(errlog) == 1 and "inventory refresh failed" in errlog[0]   # once a streak
    assert inventory(lpar)["schema"] == "aixdr-agent/inventory/v1"
    rc, _ = daemon.stop()
    assert rc == 0


def test_without_a_configuration_the_daemon_waits_quietly(lpar_factory, daemons):
    lpar = lpar_factory(scenarios.production_machine())
    os.unlink(lpar.config)
    daemon = daemons(lpar, interval=0.2)
    daemon.wait_for(lambda log: log.count("no configuration file") >= 2)
    assert lpar.machine()["errlog"] == [] or not any(
        "daemon" in e["message"] for e in lpar.machine()["errlog"])
    rc, _ = daemon.stop()
    assert rc == 0


def test_a_bad_interval_is_a_usage_error(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine())
    proc = lpar.agent("daemon", "--interval", "0")
    assert proc.returncode == 2 and "--interval" in proc.stderr


def test_a_state_folder_made_unsafe_is_refused_at_the_next_refresh(lpar_factory, daemons):
    """The daemon checks the state folder before every refresh, as boot does: once it is
    writable by others nothing is written there until it is fixed."""
    lpar = lpar_factory(scenarios.production_machine())
    daemon = daemons(lpar, interval=0.2, backoff=0.2)
    daemon.wait_for(lambda log: "inventory refreshed" in log)
    os.chmod(lpar.state, 0o777)
    daemon.wait_for(lambda log: "writable by group or others" in log, timeout=30)
    path = os.path.join(lpar.state, "inventory.json")
    before = os.stat(path).st_mtime_ns
    time.sleep(1.0)
    assert os.stat(path).st_mtime_ns == before      # nothing written while it is unsafe
    os.chmod(lpar.state, 0o755)
    daemon.wait_for(lambda log: "works again after" in log, timeout=30)
    rc, _ = daemon.stop()
    assert rc == 0
