"""record.py: what state.json means - pending and unfinished steps, the last run's result,
status's exit code, the identity to show, and stale readiness findings."""

import os

from aixdr_agent import record as rec
from aixdr_agent.record import iso

WANTED = ["devices", "importvg", "mktcpip", "scripts", "clouddev"]


def target(done, complete=False, wanted=WANTED):
    t = rec.new_target("dr", "prod", wanted, done, "2026-01-01T00:00:00.000Z")
    t["complete"] = complete
    return t


def test_unfinished_steps_are_the_wanted_ones_not_done_including_those_never_reached():
    state = {"applied_site": "prod", "target": target(["devices", "importvg"])}
    # a power cut after importvg: mktcpip never ran, yet it is unfinished
    assert rec.unfinished(state) == ("mktcpip", "scripts", "clouddev")
    assert rec.unfinished(state, ["clouddev", "mktcpip"]) == ("clouddev", "mktcpip")
    assert rec.unfinished({"target": target(WANTED, complete=True)}) == ()
    assert rec.unfinished(None) == () and rec.pending_target({}) is None


def test_mark_step_and_completion():
    t = target([])
    rec.mark_step(t, "devices", "changed", True)
    rec.mark_step(t, "importvg", "failed", False)
    assert t["done"] == ["devices"] and t["steps"] == {"devices": "changed",
                                                        "importvg": "failed"}
    rec.mark_step(t, "devices", "failed", False)
    assert t["done"] == [] and not rec.is_complete(t, ["devices"])


def test_status_exit_codes():
    assert rec.status_code({}, None) == 0                                   # nothing ran
    ok = {"applied_site": "dr", "target": target(WANTED, True),
          "last_run": {"id": "x-1", "result": "changed"}}
    assert rec.status_code(ok, {"id": "x-1", "result": "changed"}) == 0
    failed = dict(ok, last_run={"id": "x-1", "result": "failed"})
    assert rec.status_code(failed, None) == 1            # record unreadable: the summary
    assert rec.status_code(dict(ok, target=target(["devices"])), None) == 1   # unfinished


def test_a_running_record_whose_agent_is_gone_was_interrupted():
    mine = "20260101T000000.000Z-%d" % os.getpid()
    assert rec.run_result({"id": mine, "result": "running"}) == "running"
    assert rec.run_result({"id": "20260101T000000.000Z-999999999",
                           "result": "running"}) == "interrupted"
    assert rec.run_result(None, {"result": "ok"}) == "ok"


def test_readiness_findings_are_stale_when_old_or_older_than_the_last_run():
    now = 1767225600.0
    fresh, old = iso(now - 30), iso(now - 3600)
    state = {"readiness": [{"check": "summary", "time": fresh}, {"check": "src", "time": old}]}
    out = rec.readiness(state, now)
    assert [(f["age"], f["stale"]) for f in out] == [(30, False), (3600, True)]
    state["last_run"] = {"end": iso(now - 10)}
    assert all(f["stale"] for f in rec.readiness(state, now))
    assert rec.fmt_age(30) == "30 s old" and rec.fmt_age(960) == "16 min old"


def test_the_identity_shown_is_the_newest_known():
    state = {"identity": {"clouddev": "1"}, "identity_time": "2026-01-01T00:00:00.000Z"}
    assert rec.current_identity(state)[0] == {"clouddev": "1"}
    state["readiness"] = [{"check": "summary", "time": "2026-01-01T00:05:00.000Z",
                           "identity": {"clouddev": "0"}}]
    assert rec.current_identity(state) == ({"clouddev": "0"}, "2026-01-01T00:05:00.000Z",
                                           "check")


def test_parse_iso_by_hand_matches_the_calendar():
    import calendar
    import time

    for ts in (0.0, 951782400.25, 1709251199.5, 1767225600.123, 4102444800.0):
        text = iso(ts)
        whole = calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))
        assert abs(rec._parse_iso(text) - (whole + int((ts % 1) * 1000) / 1000)) < 1e-6
    assert rec._parse_iso("yesterday") is None and rec._parse_iso(None) is None
