"""`aixdr-agent report` and `history` on a real DR scenario run (production adopted, the
replica booted at DR with an ODM reset, `boot`), and the HTML evidence rendered by headless
Chromium to a PNG.

The Chromium test is skipped when no chromium is installed, unless AIXDR_REQUIRE_CHROMIUM=1
(.ci/report.sh sets it, after installing Debian's chromium), and keeps the PNG at
$AIXDR_REPORT_PNG when that is set; the fleet page likewise ($AIXDR_FLEET_PNG)."""

import hashlib
import html
import json
import os
import re
import shutil
import struct
import subprocess
import zlib

import pytest

from aixdr_agent.render import quote_argv
from fakeaix import scenarios
from tests.harness.lpar import Lpar


@pytest.fixture(scope="module")
def dr(tmp_path_factory):
    lpar = Lpar(tmp_path_factory.mktemp("dr"), scenarios.production_machine())
    assert lpar.boot().returncode == 0
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    run_id = lpar.state_doc()["last_run"]["id"]
    with open(os.path.join(lpar.state, "runs", run_id + ".json")) as fh:
        lpar.run = json.load(fh)
    assert len(lpar.run["steps"]) == 11 and lpar.run["result"] == "changed"
    return lpar


def test_text_report_of_the_last_run(dr):
    proc = dr.agent("report")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.startswith("DR evidence: run %s\n" % dr.run["id"])
    assert "site change:  prod -> dr" in text
    assert "host:         %s, LPAR 17 aixprd01_dr on IBM,0211D11C1" % dr.run["hostname"] in text
    assert "boot->ready:  " in text
    at = 0
    for step in dr.run["steps"]:
        at = text.index("%-9s %-8s" % (step["name"], step["status"]), at)
        for cmd in step["commands"]:
            at = text.index(quote_argv(cmd["argv"]), at)


def test_html_report_holds_every_step_and_command(dr, tmp_path):
    from html.parser import HTMLParser

    page_path = tmp_path / "evidence.html"
    proc = dr.agent("report", dr.run["id"][:15], "--html", str(page_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("%s: DR evidence of run %s (prod -> dr, succeeded)"
                                  % (page_path, dr.run["id"]))

    class Rows(HTMLParser):
        rows = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            cls = (attrs.get("class") or "").split()
            if tag == "tr" and "step" in cls:
                self.rows.append(("step", attrs["data-step"], attrs["data-status"]))
            elif tag == "tr" and "cmd" in cls:
                self.rows.append(["cmd", attrs["data-step"], attrs["data-rc"], ""])
            self.code = tag == "code" and self.rows and self.rows[-1][0] == "cmd"

        def handle_endtag(self, tag):
            self.code = False

        def handle_data(self, data):
            if getattr(self, "code", False):
                self.rows[-1][3] += data

    parser = Rows()
    parser.feed(page_path.read_text())
    want = []
    for step in dr.run["steps"]:
        want.append(("step", step["name"], step["status"]))
        # the changes first, then the read-only queries folded away below them
        cmds = [c for c in step["commands"] if c["mutating"]] + [
            c for c in step["commands"] if not c["mutating"]]
        want += [("cmd", step["name"], str(c["rc"]), quote_argv(c["argv"])) for c in cmds]
    assert [tuple(r) for r in parser.rows] == want
    assert sum(1 for r in want if r[0] == "cmd") > 50


def _summary(page):
    return page[page.index('<section class="summary'):page.index("</section>")]


def test_the_summary_comes_first_with_the_time_to_ready_and_the_rto(dr, tmp_path):
    page_path = tmp_path / "evidence.html"
    # time to ready counts from the boot of the machine running the tests (the agent asks
    # psutil), so the objective that must be met is a year
    assert dr.agent("report", "--rto", "525600", "--html", str(page_path)).returncode == 0
    page = page_path.read_text()
    summary = _summary(page)
    assert page.index(summary) < page.index("<h2>Run</h2>") < page.index('class="steps"')
    assert 'data-outcome="succeeded"' in summary and ">SUCCEEDED<" in summary
    assert re.search(r"Ready <b>[0-9.hms]+ from boot \(RTO [0-9dhms]+: met\)</b>", summary)
    # a tight objective is shown as missed
    doc = dr.agent_json("report", "--rto", "0.001")
    assert doc["outcome"]["succeeded"] and doc["outcome"]["within_rto"] is False
    assert "(RTO 60ms: MISSED)" in dr.agent("report", "--rto", "0.001").stdout
    assert dr.agent("report", "--rto", "-5").returncode == 2


def test_queries_are_folded_messages_shown_once_probes_not_errors(dr, tmp_path):
    page_path = tmp_path / "evidence.html"
    assert dr.agent("report", "--html", str(page_path)).returncode == 0
    page = page_path.read_text()
    queries = sum(1 for s in dr.run["steps"] for c in s["commands"] if not c["mutating"])
    folded = sum(int(n) for n in re.findall(r"<summary>(\d+) read-only quer", page))
    assert folded == queries > 20
    # every query row is inside a <details>, every change row outside
    for block in re.findall(r"<details>.*?</details>", page, re.S):
        assert 'class="sub cmd change' not in block
    outside = re.sub(r"<details>.*?</details>", "", page, flags=re.S)
    assert 'class="sub cmd query' not in outside
    # each item's reason is printed once, not again in its step's message
    for step in dr.run["steps"]:
        for item in step.get("items") or ():
            assert page.count(html.escape(item["reason"], quote=True)) == 1, item["reason"]
    # the importvg `ls` of raw devices that do not exist yet is an expected answer
    probes = [c for s in dr.run["steps"] for c in s["commands"]
              if c["argv"][0] == "ls" and c["rc"] != 0]
    assert probes and all(c.get("probe") for c in probes)
    assert ' bad" data-step="importvg"' not in page and "expected answer: ls: 0653-341" in page
    # the footer names the run record and its SHA-256
    digest = hashlib.sha256(open(os.path.join(dr.state, "runs", dr.run["id"] + ".json"),
                                 "rb").read()).hexdigest()
    assert re.search(r"<footer>.*%s.*</footer>" % digest, page, re.S)
    assert dr.agent_json("report")["sha256"] == digest


def test_a_failed_run_says_what_failed_and_what_next_and_no_time_to_ready(lpar_factory,
                                                                           tmp_path):
    lpar = lpar_factory(scenarios.production_machine())
    assert lpar.boot().returncode == 0
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1",
                                        missing=("DR-2",)))
    assert lpar.boot().returncode == 1
    page_path = tmp_path / "failed.html"
    proc = lpar.agent("report", "--rto", "30", "--html", str(page_path))
    assert proc.returncode == 0 and proc.stdout.rstrip().endswith("(prod -> dr, failed)")
    page = page_path.read_text()
    summary = _summary(page)
    assert 'data-outcome="failed"' in summary and ">FAILED<" in summary
    assert "Ready" not in summary and "RTO" not in summary
    assert re.search(r"Failed: <b>importvg</b>: .*not found", summary)
    assert "Next: map the disks" in summary and "run --resume --yes" in summary
    assert "<b>" not in page[page.index("Boot to ready"):page.index("Boot to ready") + 120]
    assert "not ready: the run did not succeed" in page
    doc = lpar.agent_json("report")["outcome"]
    assert doc["succeeded"] is False and doc["time_to_ready"] is None
    assert [f["step"] for f in doc["failed"]] == ["importvg"]
    text = lpar.agent("report").stdout
    assert "outcome:      FAILED" in text and "next:         map the disks" in text


def test_json_report_and_history(dr):
    doc = dr.agent_json("report")
    assert doc["schema"] == "aixdr-agent/report/v1" and doc["run"] == dr.run
    assert doc["timing"]["boot_to_ready"] >= doc["run"]["duration"]
    history = dr.agent_json("history")["runs"]
    assert history[0]["id"] == dr.run["id"] and history[0]["previous_site"] == "prod"
    assert dr.agent("report", "19990101").returncode == 2


def test_report_without_any_run(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine())
    proc = lpar.agent("report")
    assert proc.returncode == 1 and "no run recorded" in proc.stderr


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def png_pixels(data):
    """(width, height, the number of distinct decoded scanlines) of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += length + 12
    raw = zlib.decompress(idat)
    stride = len(raw) // height
    return width, height, len({raw[i * stride + 1:(i + 1) * stride] for i in range(height)})


def screenshot(page, png, tmp_path):
    """Render the page with headless Chromium to a 1280x2000 PNG that must not be blank."""
    browser = chromium()
    if browser is None:
        if os.environ.get("AIXDR_REQUIRE_CHROMIUM") == "1":
            pytest.fail("AIXDR_REQUIRE_CHROMIUM=1 but no chromium in PATH")
        pytest.skip("no chromium (apt-get install chromium; .ci/report.sh does)")
    profile = tmp_path / "profile"
    profile.mkdir()
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--user-data-dir=%s" % profile, "--screenshot=%s" % png,
         "--window-size=1280,2000", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and png.exists(), proc.stderr[-2000:]
    data = png.read_bytes()
    width, height, distinct = png_pixels(data)
    assert (width, height) == (1280, 2000)
    assert distinct > 200, "the screenshot is (nearly) blank"
    return data


def test_html_report_renders_in_headless_chromium(dr, tmp_path):
    page = tmp_path / "evidence.html"
    assert dr.agent("report", "--html", str(page)).returncode == 0
    data = screenshot(page, tmp_path / "evidence.png", tmp_path)
    keep = os.environ.get("AIXDR_REPORT_PNG")
    if keep:
        with open(keep, "wb") as fh:
            fh.write(data)


def test_fleet_page_renders_in_headless_chromium(dr, tmp_path):
    """The fleet page over this LPAR (after its DR test, with its evidence page beside its
    documents) and one never tested, rendered like the evidence page."""
    fleet = tmp_path / "fleet"
    for name, lpar in (("aixprd01", dr), ("aixprd05", None)):
        folder = fleet / name
        folder.mkdir(parents=True)
        if lpar is None:
            doc = json.loads((fleet / "aixprd01" / "status.json").read_text())
            doc.update(last_run=None, site="prod", applied_site="prod")
            (folder / "status.json").write_text(json.dumps(doc))
            continue
        (folder / "status.json").write_text(dr.agent("status", "--json").stdout)
        (folder / "check.json").write_text(dr.agent("check", "--json").stdout)
        assert dr.agent("report", "--html", str(folder / "report.html")).returncode == 0
    page = tmp_path / "fleet.html"
    proc = dr.agent("fleet-report", str(fleet), "--html", str(page))
    assert proc.returncode == 0, proc.stderr
    text = page.read_text()
    assert 'href="fleet/aixprd01/report.html"' in text and '<g class="bar"' in text
    assert re.search(r'data-lpar="aixprd05"[^>]*data-state="(NEVER TESTED|WARNING|UNKNOWN)"', text)
    data = screenshot(page, tmp_path / "fleet.png", tmp_path)
    keep = os.environ.get("AIXDR_FLEET_PNG")
    if keep:
        with open(keep, "wb") as fh:
            fh.write(data)
