"""report (commands/report.py): times, the text report, and the HTML page: self-contained, every
value escaped, a well-formed SVG timeline, each step and command in it."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from aixdr_agent.commands import report as evidence
from aixdr_agent.commands.report import (
    find_run,
    fmt_duration,
    parse_iso,
    report_command,
    report_html,
    report_text,
    summary_text,
    timing,
)
from aixdr_agent.render import quote_argv
from aixdr_agent.state import StateDir

T0 = 1767225600.0           # 2026-01-01T00:00:00Z
EVIL = "<script>alert('x')</script> & \"quotes\""


def cmd(argv, start, rc=0, mutating=False, duration=0.05, stderr=""):
    return {"argv": argv, "rc": rc, "start": T0 + start, "duration": duration,
            "mutating": mutating, "stdout": "", "stderr": stderr}


def step(name, status, start, duration, commands, message="done", items=()):
    return {"name": name, "status": status, "message": message,
            "start": evidence.time.strftime("%Y-%m-%dT%H:%M:%S", evidence.time.gmtime(
                T0 + int(start))) + ".%03dZ" % round((start % 1) * 1000),
            "duration": duration, "items": list(items), "commands": commands}


def record(**kw):
    rec = {
        "schema": "aixdr-agent/run/v1", "id": "20260101T000000.000Z-7", "trigger": "boot",
        "site": "dr", "previous_site": "prod", "version": "0.1.0",
        "decision": {"action": "site_change", "reason": "site change: prod -> dr"},
        "start": "2026-01-01T00:00:00.000Z", "end": "2026-01-01T00:00:10.500Z",
        "duration": 10.5, "result": "failed", "hostname": "aixprd01",
        "identity": {"systemid": "IBM,0211D11C1", "lpar_number": 17, "lpar_name": "aixprd01_dr",
                     "clouddev": "1", "ghostdev": "0", "boot_time": T0 - 95.0},
        "steps": [
            step("devices", "changed", 0.0, 2.0,
                 [cmd(["lsdev", "-C"], 0.01), cmd(["cfgmgr"], 0.1, mutating=True, duration=1.8)],
                 items=[{"argv": ["cfgmgr"], "reason": "configure", "item": "cfgmgr",
                         "before": None, "after": None}]),
            step("importvg", "failed", 2.0, 3.5,
                 [cmd(["importvg", "-y", "datavg", "hdisk4"], 2.1, rc=1, mutating=True,
                      stderr="0516-1140 importvg: Unable to read the volume group descriptor"
                             " area on specified physical volume.\n")],
                 message="datavg: " + EVIL,
                 items=[{"argv": ["importvg"], "reason": EVIL, "item": "vg:datavg",
                         "before": None, "after": "imported"}]),
            step("scripts", "skipped", 5.5, 0.0, [], "skipped because importvg failed"),
            step("clouddev", "changed", 5.6, 0.2,
                 [cmd(["chdev", "-l", "sys0", "-a", "clouddev=0"], 5.61, mutating=True)]),
        ],
        "notes": ["note with " + EVIL],
    }
    rec.update(kw)
    return rec


def test_parse_iso_and_durations():
    assert parse_iso("2026-01-01T00:00:10.500Z") == T0 + 10.5
    assert parse_iso("2026-01-01T00:00:10Z") == T0 + 10
    assert parse_iso(None) is None and parse_iso("yesterday") is None
    assert [fmt_duration(x) for x in (None, 0.0334, 9.94, 61, 3725, 200000)] == [
        "-", "33ms", "9.9s", "1m01s", "1h02m", "2d07h"]


def test_timing_from_boot_to_ready():
    t = timing(record())
    assert (t["start"], t["end"], t["boot_time"]) == (T0, T0 + 10.5, T0 - 95.0)
    assert t["boot_to_start"] == 95.0 and t["boot_to_ready"] == 105.5
    assert [round(s["offset"], 3) for s in t["steps"]] == [0.0, 2.0, 5.5, 5.6]
    # a boot time after the start (clock trouble) is not used
    bad = record(identity={"boot_time": T0 + 50})
    assert timing(bad)["boot_to_ready"] is None


def test_text_report_lists_every_step_and_command():
    text = report_text(record())
    assert "site change:  prod -> dr" in text
    assert "boot->ready:  not ready (the run did not succeed)" in text
    assert "boot->ready:  1m46s" in report_text(record(result="changed"))
    assert "4 steps: 2 changed, 1 failed, 1 skipped; 4 commands: 3 changes, 1 exited " \
           "non-zero" in text
    at = 0
    for s in record()["steps"]:
        at = text.index("  %s " % s["name"], at)
        for c in s["commands"]:
            at = text.index(quote_argv(c["argv"]), at)
    assert "| 0516-1140 importvg: Unable to read" in text   # a failed command's output


def test_summary_for_a_notification():
    lines = summary_text(record()).splitlines()
    assert lines[0] == ("aixdr-agent on aixprd01 (LPAR 17 aixprd01_dr, IBM,0211D11C1): "
                        "prod -> dr FAILED")
    assert not [line for line in lines if line.startswith("ready ")]   # failed: not ready
    assert lines[-2].startswith("next: map the disks")
    assert lines[-1] == "evidence: aixdr-agent report 20260101T000000.000Z-7 --html FILE"
    good = summary_text(record(result="changed")).splitlines()
    assert good[1] == "ready 1m46s after boot"


class Rows(HTMLParser):
    """The step and command rows of the page, and every tag and attribute seen."""

    def __init__(self):
        super().__init__()
        self.rows, self.tags, self.attrs, self.text = [], [], [], []
        self._code = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.attrs.append(attrs)
        cls = (attrs.get("class") or "").split()
        if tag == "tr" and ("step" in cls or "cmd" in cls):
            self.rows.append({"kind": "step" if "step" in cls else "cmd", **attrs})
        if tag == "code" and self.rows and self.rows[-1]["kind"] == "cmd":
            self._code = self.rows[-1]

    def handle_endtag(self, tag):
        if tag == "code":
            self._code = None

    def handle_data(self, data):
        self.text.append(data)
        if self._code is not None:
            self._code["argv"] = self._code.get("argv", "") + data


def parse(page):
    p = Rows()
    p.feed(page)
    return p


def test_html_holds_every_step_and_command_in_order():
    rec = record()
    p = parse(report_html(rec))
    want = []
    for s in rec["steps"]:
        want.append(("step", s["name"], s["status"]))
        # changes (and failures) first, then the read-only queries folded under them
        cmds = [c for c in s["commands"] if c["mutating"] or c["rc"]] + [
            c for c in s["commands"] if not (c["mutating"] or c["rc"])]
        want += [("cmd", s["name"], str(c["rc"]), quote_argv(c["argv"])) for c in cmds]
    got = [("step", r["data-step"], r["data-status"]) if r["kind"] == "step" else
           ("cmd", r["data-step"], r["data-rc"], r["argv"]) for r in p.rows]
    assert got == want


def test_html_escapes_everything_and_needs_nothing_from_outside():
    page = report_html(record(hostname=EVIL))
    assert "<script" not in page and "alert('x')" not in page
    assert "&lt;script&gt;" in page
    p = parse(page)
    assert EVIL in "".join(p.text)                            # shown, as text
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(p.tags)
    for attrs in p.attrs:
        for name, value in attrs.items():
            assert not name.startswith("on"), name
            if name in ("src", "href"):
                raise AssertionError("external reference %s=%s" % (name, value))
    assert not re.search(r"url\(|@import", page)
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"]
    assert "@media print" in page


def test_the_timeline_is_well_formed_svg_with_a_lane_per_step():
    page = report_html(record())
    svg = page[page.index("<svg"):page.index("</svg>") + 6]
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    lanes = [g.get("data-step") for g in root.iter(ns + "g")]
    assert lanes == ["boot", "devices", "importvg", "scripts", "clouddev"]
    bars = {g.get("data-step"): g.find(ns + "rect") for g in root.iter(ns + "g")}
    assert bars["importvg"].get("fill") == evidence.COLOURS["failed"]
    x = [float(bars[n].get("x")) for n in lanes]
    assert x == sorted(x)                       # later steps start further right
    manual = report_html(record(trigger="manual"))
    assert 'data-step="boot"' not in manual     # no boot lane for a manual run


def test_find_run_last_prefix_and_errors(tmp_path):
    sd = StateDir(str(tmp_path))
    assert find_run(sd)[1][1] == 1                            # nothing recorded
    for rid in ("20260101T000000.000Z-7", "20260102T000000.000Z-8", "20260102T100000.000Z-9"):
        sd.save_run(record(id=rid))
    assert find_run(sd)[0]["id"] == "20260102T100000.000Z-9"
    assert find_run(sd, "20260101")[0]["id"] == "20260101T000000.000Z-7"
    assert find_run(sd, "20260102")[1][1] == 2                # ambiguous
    assert find_run(sd, "1999")[1][1] == 2


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_report_command(tmp_path, capsys, fmt):
    StateDir(str(tmp_path)).save_run(record())
    out = tmp_path / "r.html"
    args = SimpleNamespace(run_id=None, json=fmt == "json", state_dir=str(tmp_path),
                           html=str(out) if fmt == "html" else None)
    assert report_command(args) == 0
    printed = capsys.readouterr().out
    if fmt == "json":
        doc = json.loads(printed)
        assert doc["schema"] == "aixdr-agent/report/v1"
        assert doc["run"] == record() and doc["timing"]["boot_to_ready"] == 105.5
    elif fmt == "html":
        assert printed.startswith(str(out)) and out.read_text().startswith("<!DOCTYPE html>")
    else:
        assert printed.startswith("DR evidence: run 20260101T000000.000Z-7")
