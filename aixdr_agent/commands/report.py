"""`aixdr-agent report [RUN_ID] [--html FILE] [--rto MINUTES] [--json]`: the DR test
evidence of one run.

First the outcome, for the DR test manager: succeeded or failed, the time to ready of a
successful run (beside the recovery time objective when one is given), what failed and
what to do next. Then who and what (host, LPAR, frame, trigger, agent version), when
(start, end, the time from the LPAR's boot to the end of the run: "ready"), the site
change and why, each step with its start, duration, status, message and before/after
values, every command with its exit code and duration, and a timeline of the steps.
Plain text by default; `--html FILE` writes one self-contained page (inline CSS and SVG,
no external asset, every value escaped) that prints on A4, folds each step's read-only
queries away (<details>), and ends with the SHA-256 of the run record it was made from;
`--json` prints the run record with the computed times and the outcome.

Reads the run records only: no command, no lock, no write but the HTML file asked for.
"""

import calendar
import hashlib
import html
import os
import sys
import time

from .. import __version__, paths
from .. import steps as step_registry
from ..exitcodes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from ..render import emit_json, quote_argv, run_lines
from ..state import StateDir, StateError, run_seq

COLOURS = {"ok": "#2e7d32", "changed": "#1565c0", "failed": "#c62828", "skipped": "#9e9e9e",
           "planned": "#6a1b9a", "running": "#ef6c00", "interrupted": "#c62828"}
OUTPUT_LINES = 6   # lines of a failed command's output shown in the report


def parse_iso(text):
    """'2026-01-02T03:04:05.678Z' (record.iso) -> epoch seconds; None when not such a time."""
    if not isinstance(text, str) or len(text) < 19:
        return None
    try:
        whole = calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return None
    frac = text[19:].rstrip("Z")
    if frac.startswith(".") and frac[1:].isdigit():
        whole += float("0" + frac)
    return float(whole)


def fmt_time(ts):
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(ts)) if ts is not None else "-"


def fmt_duration(seconds):
    if seconds is None:
        return "-"
    if seconds < 1:
        return "%dms" % round(seconds * 1000)
    if seconds < 60:
        return "%.1fs" % seconds
    minutes, sec = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return "%dm%02ds" % (minutes, sec)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return "%dh%02dm" % (hours, minutes)
    return "%dd%02dh" % divmod(hours, 24)


def timing(run):
    """The run's times as epoch seconds and offsets from its start."""
    start = parse_iso(run.get("start"))
    end = parse_iso(run.get("end"))
    boot = (run.get("identity") or {}).get("boot_time")
    boot = float(boot) if isinstance(boot, (int, float)) and start and boot <= start else None
    steps = []
    for step in run.get("steps") or ():
        at = parse_iso(step.get("start"))
        steps.append({"name": step.get("name"), "status": step.get("status"),
                      "offset": at - start if at is not None and start else None,
                      "duration": step.get("duration") or 0.0})
    return {
        "start": start, "end": end,
        "duration": run.get("duration"),
        "boot_time": boot,
        "boot_to_start": start - boot if boot is not None else None,
        "boot_to_ready": end - boot if boot is not None and end is not None else None,
        "steps": steps,
    }


def counts(run):
    """'11 steps: 10 changed, 1 skipped' and '85 commands: 12 changes, 1 failed'."""
    steps = run.get("steps") or []
    by = {}
    for step in steps:
        by[step.get("status")] = by.get(step.get("status"), 0) + 1
    cmds = [c for s in steps for c in s.get("commands") or ()]
    failed = sum(1 for c in cmds if not _cmd_ok(c))
    probes = sum(1 for c in cmds if not _cmd_ok(c) and c.get("probe"))
    return ("%d steps: %s" % (len(steps), ", ".join("%d %s" % (n, st) for st, n in by.items())),
            "%d commands: %d changes, %d exited non-zero%s" % (
                len(cmds), sum(1 for c in cmds if c.get("mutating")), failed,
                " (%d of them expected answers)" % probes if probes else ""))


def site_change(run):
    prev, site = run.get("previous_site"), run.get("site")
    if prev and prev != site:
        return "%s -> %s" % (prev, site)
    return "%s (no site change)" % site


NEXT_DEFAULT = ("fix what the message names, then `aixdr-agent run --resume --yes` (the "
                "next boot also resumes the unfinished steps)")


def next_action(name):
    """What the operator does about a failed step: the step's own remedy, else resume. A
    record may name a step this version does not have."""
    found = step_registry.step(name).remedy if name in step_registry.ORDER else None
    return found or NEXT_DEFAULT


def outcome(run, rto_minutes=None):
    """What a DR test manager reads first: did it work, how long to ready, what failed and
    what to do next. The time to ready is given for a successful run only."""
    result = run.get("result")
    steps = run.get("steps") or []
    t = timing(run)
    succeeded = result in ("ok", "changed")
    failed = [s for s in steps if s.get("status") == "failed"]
    not_run = [s for s in steps if s.get("status") == "skipped"
               and "fail" in str(s.get("message") or "")]
    doc = {"succeeded": succeeded, "result": result,
           "verdict": {"ok": "SUCCEEDED", "changed": "SUCCEEDED", "failed": "FAILED",
                       "interrupted": "INTERRUPTED", "running": "RUNNING"}.get(
                           result, str(result).upper()),
           "time_to_ready": None, "ready_from": None, "rto": None, "within_rto": None,
           "failed": [], "not_run": [s.get("name") for s in not_run], "next_action": None}
    if succeeded:
        if run.get("trigger") == "boot" and t["boot_to_ready"] is not None:
            doc["time_to_ready"], doc["ready_from"] = t["boot_to_ready"], "boot"
        elif t["duration"] is not None:
            doc["time_to_ready"], doc["ready_from"] = t["duration"], "start of the run"
        if rto_minutes is not None and doc["time_to_ready"] is not None:
            doc["rto"] = rto_minutes * 60.0
            doc["within_rto"] = doc["time_to_ready"] <= doc["rto"]
        return doc
    for step in failed:
        doc["failed"].append({"step": step.get("name"), "message": step.get("message"),
                              "next_action": next_action(step.get("name"))})
    if failed:
        doc["next_action"] = doc["failed"][0]["next_action"]
    elif result == "interrupted":
        doc["next_action"] = ("the agent stopped during this run (power cut or kill): the "
                              "next boot resumes it, or `aixdr-agent run --resume --yes`")
    elif result == "running":
        doc["next_action"] = "the run is still going: `aixdr-agent status` follows it"
    return doc


def ready_text(o):
    """'4m12s from boot (RTO 30m00s: met)'; None when the run did not succeed."""
    if o["time_to_ready"] is None:
        return None
    text = "%s from %s" % (fmt_duration(o["time_to_ready"]), o["ready_from"])
    if o["rto"] is not None:
        text += " (RTO %s: %s)" % (fmt_duration(o["rto"]),
                                   "met" if o["within_rto"] else "MISSED")
    return text


def outcome_lines(o):
    lines = ["outcome:      %s" % o["verdict"]]
    ready = ready_text(o)
    if ready:
        lines.append("ready:        %s" % ready)
    for f in o["failed"]:
        lines.append("failed:       %s: %s" % (f["step"], f["message"]))
    if o["not_run"]:
        lines.append("not run:      %s (they need a step that failed)" % ", ".join(
            o["not_run"]))
    if o["next_action"]:
        lines.append("next:         %s" % o["next_action"])
    return lines


def summary_text(run):
    """A few lines for a notification (mail) or the console."""
    ident = run.get("identity") or {}
    o = outcome(run)
    lines = ["aixdr-agent on %s (LPAR %s %s, %s): %s %s" % (
        run.get("hostname"), ident.get("lpar_number"), ident.get("lpar_name"),
        ident.get("systemid"), site_change(run), str(run.get("result")).upper())]
    if o["ready_from"] == "boot":
        lines.append("ready %s after boot" % fmt_duration(o["time_to_ready"]))
    lines.extend(run_lines(run))
    if o["next_action"]:
        lines.append("next: %s" % o["next_action"])
    lines.append("evidence: aixdr-agent report %s --html FILE" % run.get("id"))
    return "\n".join(lines) + "\n"


# -- plain text ---------------------------------------------------------------------------


def report_text(run, rto_minutes=None):
    t = timing(run)
    o = outcome(run, rto_minutes)
    ident = run.get("identity") or {}
    decision = run.get("decision") or {}
    lines = ["DR evidence: run %s" % run.get("id")] + outcome_lines(o) + [
        "",
        "result:       %s" % run.get("result"),
        "site change:  %s" % site_change(run),
        "why:          %s" % (decision.get("reason") or "manual run (aixdr-agent run)"),
        "trigger:      %s" % _trigger(run),
        "host:         %s, LPAR %s %s on %s (clouddev %s, ghostdev %s)" % (
            run.get("hostname"), ident.get("lpar_number"), ident.get("lpar_name"),
            ident.get("systemid"), ident.get("clouddev"), ident.get("ghostdev")),
        "agent:        aixdr-agent %s" % run.get("version", "?"),
        "boot:         %s" % fmt_time(t["boot_time"]),
        "start:        %s (%s after boot)" % (fmt_time(t["start"]),
                                             fmt_duration(t["boot_to_start"])),
        "end:          %s (run took %s)" % (fmt_time(t["end"]), fmt_duration(t["duration"])),
        "boot->ready:  %s" % (fmt_duration(t["boot_to_ready"]) if o["succeeded"]
                              else "not ready (the run did not succeed)"),
        "done:         %s; %s" % counts(run),
        "",
        "%-3s %-9s %-8s %10s %9s  %s" % ("#", "STEP", "STATUS", "START", "DURATION",
                                         "MESSAGE"),
    ]
    for n, (step, st) in enumerate(zip(run.get("steps") or (), t["steps"]), 1):
        items = step.get("items") or ()
        lines.append("%-3d %-9s %-8s %10s %9s  %s" % (
            n, step.get("name"), step.get("status"), _offset(st["offset"]),
            fmt_duration(st["duration"]), _step_message(step)))
        for item in items:
            lines.append("      ~ %s" % _item_text(item))
        for cmd in step.get("commands") or ():
            lines.append("      %s rc=%-3s %7s %s %s" % (
                _offset(_cmd_offset(cmd, t)), _rc(cmd), fmt_duration(cmd.get("duration")),
                "CHANGE" if cmd.get("mutating") else "query ", quote_argv(cmd.get("argv"))))
            if _cmd_bad(cmd, step):
                for line in _output(cmd):
                    lines.append("            | %s" % line)
            elif not _cmd_ok(cmd):
                lines.append("            (an expected answer: %s)" % _first_line(cmd))
    for note in run.get("notes") or ():
        lines.append("note: %s" % note)
    return "\n".join(lines)


def _step_message(step):
    """The step's message, unless its items say the same thing one by one below."""
    items = step.get("items") or ()
    if items and all(str(i.get("reason") or "") in str(step.get("message") or "")
                     for i in items):
        return "%d change(s), below" % len(items)
    return step.get("message")


def _item_text(item):
    """An item's reason, with before -> after only when the reason does not say them."""
    reason = str(item.get("reason") or "")
    before, after = _val(item.get("before")), _val(item.get("after"))
    shown = [v for v in (item.get("before"), item.get("after")) if v not in (None, "")]
    if reason and all(str(v) in reason for v in shown):
        return "%s: %s" % (item.get("item") or "-", reason)
    return "%s: %s -> %s%s" % (item.get("item") or "-", before, after,
                               " (%s)" % reason if reason else "")


def _cmd_bad(cmd, step):
    """A command to paint as an error: a change that failed, or a query that failed in a
    way its step did not expect (not a probe, or in a step that failed)."""
    if _cmd_ok(cmd):
        return False
    if cmd.get("mutating") or cmd.get("timed_out"):
        return True
    return not (cmd.get("probe") or step.get("status") in ("ok", "changed", "skipped"))


def _first_line(cmd):
    out = _output(cmd)
    return out[0] if out else "exit %s" % cmd.get("rc")


def _trigger(run):
    return {"boot": "boot (inittab entry at system start)",
            "manual": "manual (aixdr-agent run)"}.get(run.get("trigger"), run.get("trigger"))


def _offset(seconds):
    return "+%.3fs" % seconds if seconds is not None else "-"


def _cmd_offset(cmd, t):
    at = cmd.get("start")
    return at - t["start"] if isinstance(at, (int, float)) and t["start"] else None


def _rc(cmd):
    return "T/O" if cmd.get("timed_out") else cmd.get("rc")


def _cmd_ok(cmd):
    return cmd.get("rc") == 0 and not cmd.get("timed_out")


def _val(value):
    return "(none)" if value in (None, "") else value


def _output(cmd):
    text = (cmd.get("stderr") or "") + (cmd.get("stdout") or "")
    return [line for line in text.splitlines() if line.strip()][:OUTPUT_LINES]


# -- HTML ---------------------------------------------------------------------------------

CSS = """
body{font:13px/1.4 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#111;margin:24px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:22px 0 6px;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%}th,td{padding:3px 6px;vertical-align:top;text-align:left}
th{background:#eee;font-weight:600}tr.step td{border-top:1px solid #bbb;font-weight:600}
table.facts th{width:150px;background:none}table.facts td,table.facts th{padding:1px 6px}
code,pre,.mono{font:11px/1.3 Menlo,Consolas,'DejaVu Sans Mono',monospace}
pre{margin:2px 0;white-space:pre-wrap;word-break:break-all;color:#7f0000}
.badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-weight:600}
.sub td{font-weight:normal;font-size:12px;color:#333}td.num{text-align:right;white-space:nowrap}
tr.cmd.change code{font-weight:700}tr.cmd.bad td{background:#fdecea}.muted{color:#666}
svg{max-width:100%;height:auto}svg text{font:11px Helvetica,Arial,sans-serif}
.summary{border:2px solid #999;border-radius:6px;padding:8px 14px;margin:10px 0 4px}
.summary.good{border-color:#2e7d32;background:#f1f8f1}.summary.bad{border-color:#c62828;
background:#fdf3f2}.verdict{font-size:22px;font-weight:700}.summary p{margin:4px 0}
.summary .ready{font-size:16px}tr.cmd.probe td{color:#555}
details summary{cursor:pointer;color:#444;font-size:12px}details table{margin:2px 0 4px}
footer{margin-top:18px;border-top:1px solid #999;padding-top:4px;font-size:11px;color:#555}
@page{size:A4;margin:12mm}
@media print{body{margin:0;font-size:10px}h2{break-after:avoid}tr{break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def esc(value):
    return html.escape("" if value is None else str(value), quote=True)


def badge(status):
    return '<span class="badge" style="background:%s">%s</span>' % (
        COLOURS.get(status, "#555"), esc(status))


def report_html(run, rto_minutes=None, digest=None):
    """The page. `digest`: the SHA-256 of the run record file, printed in the footer so
    that the page can be matched with the record it was made from."""
    t = timing(run)
    o = outcome(run, rto_minutes)
    ident = run.get("identity") or {}
    decision = run.get("decision") or {}
    facts = [
        ("Run result", badge(run.get("result"))),
        ("Site change", esc(site_change(run))),
        ("Why", esc(decision.get("reason") or "manual run (aixdr-agent run)")),
        ("Trigger", esc(_trigger(run))),
        ("Host", esc(run.get("hostname"))),
        ("LPAR", esc("%s %s" % (ident.get("lpar_number"), ident.get("lpar_name")))),
        ("Frame (systemid)", esc(ident.get("systemid"))),
        ("clouddev / ghostdev", esc("%s / %s" % (ident.get("clouddev"), ident.get("ghostdev")))),
        ("Boot", esc(fmt_time(t["boot_time"]))),
        ("Start", esc("%s (%s after boot)" % (fmt_time(t["start"]),
                                            fmt_duration(t["boot_to_start"])))),
        ("End", esc("%s (run took %s)" % (fmt_time(t["end"]), fmt_duration(t["duration"])))),
        ("Boot to ready", esc(fmt_duration(t["boot_to_ready"]) if o["succeeded"]
                              else "not ready: the run did not succeed")),
        ("Done", esc("%s; %s" % counts(run))),
        ("Agent", esc("aixdr-agent %s" % run.get("version", "?"))),
        ("Run id", "<code>%s</code>" % esc(run.get("id"))),
    ]
    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
           "<title>%s</title>" % esc("DR evidence %s %s" % (run.get("hostname"), run.get("id"))),
           "<style>%s</style></head><body>" % CSS,
           "<h1>DR evidence: %s, %s</h1>" % (esc(run.get("hostname")), esc(site_change(run))),
           summary_html(o),
           "<h2>Run</h2>", '<table class="facts">']
    out += ["<tr><th>%s</th><td>%s</td></tr>" % (esc(k), v) for k, v in facts]
    out.append("</table><h2>Timeline</h2>")
    out.append(timeline_svg(run, t))
    out.append('<h2>Steps and commands</h2><table class="steps"><thead><tr><th>#</th>'
               '<th>Step / item</th><th>Status / rc</th><th>Start</th><th>Duration</th>'
               '<th>Message / change / command</th></tr></thead><tbody>')
    for n, (step, st) in enumerate(zip(run.get("steps") or (), t["steps"]), 1):
        out.append(_step_rows(n, step, st, t))
    out.append("</tbody></table>")
    notes = run.get("notes") or ()
    if notes:
        out.append("<h2>Notes</h2><ul>%s</ul>" % "".join("<li>%s</li>" % esc(n) for n in notes))
    out.append('<footer>DR evidence of run <span class="mono">%s</span> on %s, rendered by '
               "aixdr-agent %s at %s from runs/%s.json%s.</footer></body></html>\n" % (
                   esc(run.get("id")), esc(run.get("hostname")), esc(__version__),
                   esc(fmt_time(time.time())), esc(run.get("id")),
                    ' (SHA-256 <span class="mono sha256">%s</span>)' % esc(digest)
                   if digest else ""))
    return "\n".join(out)


def summary_html(o):
    good = o["succeeded"]
    parts = ['<section class="summary %s" data-outcome="%s">' % (
                 "good" if good else "bad", esc(o["verdict"].lower())),
             '<div class="verdict" style="color:%s">%s</div>' % (
                 COLOURS["ok"] if good else COLOURS["failed"], esc(o["verdict"]))]
    ready = ready_text(o)
    if ready:
        parts.append('<p class="ready">Ready <b>%s</b></p>' % esc(ready))
    for f in o["failed"]:
        parts.append('<p class="failed">Failed: <b>%s</b>: %s</p>' % (
            esc(f["step"]), esc(f["message"])))
    if o["not_run"]:
        parts.append("<p>Not run (they need a step that failed): %s</p>" % esc(
            ", ".join(o["not_run"])))
    if o["next_action"]:
        parts.append('<p class="next">Next: %s</p>' % esc(o["next_action"]))
    parts.append("</section>")
    return "".join(parts)


def _step_rows(n, step, st, t):
    name, status = step.get("name"), step.get("status")
    rows = ['<tr class="step" data-step="%s" data-status="%s"><td>%d</td><td>%s</td>'
            '<td>%s</td><td class="num">%s</td><td class="num">%s</td><td>%s</td></tr>'
            % (esc(name), esc(status), n, esc(name), badge(status), esc(_offset(st["offset"])),
               esc(fmt_duration(st["duration"])), esc(_step_message(step)))]
    for item in step.get("items") or ():
        rows.append('<tr class="sub item" data-step="%s"><td></td><td>%s</td><td></td><td>'
                    '</td><td></td><td>%s</td></tr>'
                    % (esc(name), esc(item.get("item") or "-"),
                       esc(_item_text(item).split(": ", 1)[-1])))
    shown, folded = [], []
    for cmd in step.get("commands") or ():
        (shown if cmd.get("mutating") or _cmd_bad(cmd, step) else folded).append(cmd)
    rows += [_cmd_row(cmd, step, t) for cmd in shown]
    if folded:
        rows.append('<tr class="sub queries" data-step="%s"><td></td><td colspan="5"><details>'
                    "<summary>%d read-only quer%s</summary><table><tbody>%s</tbody></table>"
                    "</details></td></tr>" % (
                        esc(name), len(folded), "y" if len(folded) == 1 else "ies",
                        "".join(_cmd_row(cmd, step, t) for cmd in folded)))
    return "\n".join(rows)


def _cmd_row(cmd, step, t):
    bad = _cmd_bad(cmd, step)
    kind = "change" if cmd.get("mutating") else "query"
    probe = not bad and not _cmd_ok(cmd)
    if bad:
        output = "".join("<pre>%s</pre>" % esc(line) for line in _output(cmd))
    elif probe:
        output = '<div class="muted">expected answer: %s</div>' % esc(_first_line(cmd))
    else:
        output = ""
    return ('<tr class="sub cmd %s%s" data-step="%s" data-rc="%s"><td></td>'
            '<td class="muted">%s</td><td class="num">rc %s</td><td class="num">%s</td>'
            '<td class="num">%s</td><td><code>%s</code>%s</td></tr>'
            % (kind, " bad" if bad else " probe" if probe else "", esc(step.get("name")),
               esc(_rc(cmd)), kind, esc(_rc(cmd)), esc(_offset(_cmd_offset(cmd, t))),
               esc(fmt_duration(cmd.get("duration"))),
               esc(quote_argv(cmd.get("argv") or ())), output))


def timeline_svg(run, t):
    """Steps as bars on the run's time axis; a first lane from the LPAR's boot to the start
    of the run (drawn shortened, with a break mark, when it would crush the steps)."""
    width, left, right, lane, top = 960, 150, 20, 20, 24
    steps = t["steps"]
    span = max(float(t["duration"] or 0.0),
               max([(s["offset"] or 0) + s["duration"] for s in steps] or [0.0]), 0.001)
    lanes = []
    boot_gap = t["boot_to_start"] if run.get("trigger") == "boot" else None
    plot = width - left - right
    pre = 0.0
    if boot_gap is not None:
        pre = min(boot_gap / (boot_gap + span) * plot, 0.25 * plot)
        lanes.append(("boot", 0.0, pre, "#78909c", "boot to agent start",
                      fmt_duration(boot_gap)))
    scale = (plot - pre) / span
    for s in steps:
        x = pre + (s["offset"] or 0.0) * scale
        lanes.append((s["name"], x, max(s["duration"] * scale, 2.0),
                      COLOURS.get(s["status"], "#555"), "%s %s" % (s["name"], s["status"]),
                      "%s %s" % (s["status"], fmt_duration(s["duration"]))))
    height = top + lane * len(lanes) + 30
    out = ['<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
           'width="%d" height="%d" viewBox="0 0 %d %d" aria-label="%s">'
           % (width, height, width, height, esc("timeline of run %s" % run.get("id"))),
           '<rect x="0" y="0" width="%d" height="%d" fill="#fff"/>' % (width, height)]
    for n in range(6):
        x = left + pre + (plot - pre) * n / 5.0
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>'
                   '<text x="%.1f" y="%d" text-anchor="middle" fill="#555">+%s</text>'
                   % (x, top - 6, x, height - 24, x, height - 10,
                      esc(fmt_duration(span * n / 5.0))))
    for i, (name, x, w, colour, title, label) in enumerate(lanes):
        y = top + i * lane
        out.append('<g class="lane" data-step="%s"><title>%s</title>'
                   '<text x="%d" y="%d" text-anchor="end">%s</text>'
                   '<rect x="%.1f" y="%d" width="%.1f" height="%d" rx="2" fill="%s"/>'
                   % (esc(name), esc("%s: %s" % (title, label)), left - 8, y + 13, esc(name),
                      left + x, y + 3, w,
                      lane - 6, colour))
        if i == 0 and boot_gap is not None and pre < boot_gap / (boot_gap + span) * plot - 1:
            bx = left + pre * 0.5
            out.append('<path d="M%.1f %d l6 -8 M%.1f %d l6 -8" stroke="#fff" stroke-width="3"/>'
                       % (bx - 4, y + lane - 2, bx + 2, y + lane - 2))
        label_x = left + x + w + 4
        anchor = "start"
        if label_x > width - 120:
            label_x, anchor = left + x - 4, "end"
        out.append('<text x="%.1f" y="%d" text-anchor="%s" fill="#333">%s</text>'
                   % (label_x, y + 13, anchor, esc(label)))
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


# -- the command ---------------------------------------------------------------------------


def find_run(sd, run_id=None):
    """(record, None) or (None, (message, exit code)). run_id: the whole id, a unique
    prefix, or None for the last run."""
    ids = sd.run_ids()
    if not ids:
        return None, ("no run recorded in %s" % sd.runs_dir, EXIT_FAILED)
    if run_id is None:
        chosen = ids[0]
    else:
        matches = ([i for i in ids if i == run_id]
                   or [i for i in ids if run_id.isdigit() and run_seq(i) == int(run_id)]
                   or [i for i in ids if i.startswith(run_id)])
        if len(matches) != 1:
            why = "no run" if not matches else "%d runs" % len(matches)
            return None, ("%s matches %r in %s; `aixdr-agent history` lists them"
                          % (why, run_id, sd.runs_dir), EXIT_USAGE)
        chosen = matches[0]
    try:
        record = sd.load_run(chosen)
    except StateError as exc:
        return None, (str(exc), EXIT_FAILED)
    if record is None:
        return None, ("run %s vanished from %s" % (chosen, sd.runs_dir), EXIT_FAILED)
    return record, None


def report_command(args):
    state_root = paths.state_root(args)
    sd = StateDir(state_root)
    run, problem = find_run(sd, getattr(args, "run_id", None))
    if run is None:
        sys.stderr.write("aixdr-agent: %s\n" % problem[0])
        return problem[1]
    rto = getattr(args, "rto", None)
    if rto is not None and not rto > 0:
        sys.stderr.write("aixdr-agent: --rto %s: give the objective in minutes, more than "
                         "0\n" % rto)
        return EXIT_USAGE
    if getattr(args, "html", None):
        page = report_html(run, rto, record_digest(sd, run.get("id")))
        if args.html == "-":
            sys.stdout.write(page)
            return EXIT_OK
        try:
            write_atomically(args.html, page)
        except OSError as exc:
            sys.stderr.write("aixdr-agent: %s: %s\n" % (args.html, exc.strerror or exc))
            return EXIT_FAILED
        if not getattr(args, "json", False):
            sys.stdout.write("%s: DR evidence of run %s (%s, %s)\n" % (
                args.html, run.get("id"), site_change(run), outcome(run)["verdict"].lower()))
            return EXIT_OK
    if getattr(args, "json", False):
        doc = {"schema": "aixdr-agent/report/v1", "timing": timing(run),
               "outcome": outcome(run, rto), "sha256": record_digest(sd, run.get("id")),
               "run": run}
        emit_json(doc)
    else:
        sys.stdout.write(report_text(run, rto) + "\n")
    return EXIT_OK


def record_digest(sd, run_id):
    """The SHA-256 of the run record file as it lies in runs/ (None when unreadable)."""
    try:
        with open(sd.run_path(run_id), "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except (OSError, ValueError):
        return None


def write_atomically(path, text):
    """Write the page through a temporary file beside it, so a reader never sees half."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
