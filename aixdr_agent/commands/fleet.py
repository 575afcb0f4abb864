"""`aixdr-agent fleet-report DIR [--html FILE]`: many LPARs' documents as one table.

DIR holds what packaging/ansible/gather.yml (or any other way) collected, one folder per
LPAR named after it:

    DIR/aixprd01/status.json     aixdr-agent status --json   (aixdr-agent/status/v1)
    DIR/aixprd01/check.json      aixdr-agent check --json    (aixdr-agent/check/v1)
    DIR/aixprd01/history.json    aixdr-agent history --json  (optional: the last DR test)
    DIR/aixprd01/gather-error.json  written by the playbook when the LPAR did not answer
    DIR/aixprd01/report.html     aixdr-agent report --html -   (optional: linked from the page)

Flat files work too (DIR/aixprd01.status.json, DIR/aixprd01-check.json). Documents are
told apart by their "schema", never by their file name. For each LPAR the table shows where
it is (site, or the site change still pending), whether it is ready (check), the last run
and the last DR test (the newest run that changed the site), and the first problem.
Rows are ordered by severity: a failed or unfinished site change and CRITICAL first, then
not gathered and UNKNOWN, WARNING, ready but never tested at another site, and OK (ready
and tested) last. The text goes to stdout; --html FILE also writes one self-contained page
(no script, no external file) with a link to each LPAR's evidence page where DIR has one
and a chart of the time to ready of each LPAR's last successful DR test. Exit 0 when at
least one LPAR was read, 2 when DIR holds no document.
"""

import json
import os
import sys
import time

from ..exitcodes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from ..render import emit_json
from .report import CSS, esc, fmt_duration, fmt_time, parse_iso, timing, write_atomically

SCHEMA = "aixdr-agent/fleet/v1"
KINDS = {"aixdr-agent/status/v1": "status", "aixdr-agent/check/v1": "check",
         "aixdr-agent/history/v1": "history", "aixdr-agent/gather-error/v1": "error"}
SUFFIXES = ("status", "check", "history", "gather-error", "error")
READY_COLOURS = {"OK": "#2e7d32", "WARNING": "#ef6c00", "CRITICAL": "#c62828",
                 "UNKNOWN": "#6a1b9a", "-": "#757575"}
# The overall state of a row, worst first: the order of the table.
STATES = ("FAILED", "CRITICAL", "NOT GATHERED", "UNKNOWN", "WARNING", "NEVER TESTED", "OK")
STATE_COLOURS = {"FAILED": "#c62828", "CRITICAL": "#c62828", "NOT GATHERED": "#6a1b9a",
                 "UNKNOWN": "#6a1b9a", "WARNING": "#ef6c00", "NEVER TESTED": "#757575",
                 "OK": "#2e7d32"}
REPORT_NAMES = ("report.html", "evidence.html")


def host_key(directory, path):
    """The LPAR a file belongs to: its folder under DIR, else its name less the kind."""
    rel = os.path.relpath(path, directory)
    parts = rel.split(os.sep)
    if len(parts) > 1:
        return parts[0]
    name = parts[0][:-len(".report.html")] if parts[0].endswith(".report.html") \
        else parts[0][:-len(".json")]
    for suffix in SUFFIXES:
        for sep in (".", "-", "_"):
            if name.endswith(sep + suffix):
                return name[:-len(sep + suffix)]
    return name


def load(directory):
    """{lpar: {"status": doc, "check": doc, "history": doc, "error": doc, "problems": []}}"""
    hosts = {}
    for folder, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if os.path.relpath(folder, directory).count(os.sep) > 0:
            dirs[:] = []          # DIR/HOST/ is as deep as it goes
        for name in sorted(files):
            if name in REPORT_NAMES and folder != directory or (
                    folder == directory and name.endswith(".report.html")):
                path = os.path.join(folder, name)
                hosts.setdefault(host_key(directory, path), {"problems": []})[
                    "report"] = os.path.abspath(path)
                continue
            if not name.endswith(".json") or name.startswith("."):
                continue
            path = os.path.join(folder, name)
            entry = hosts.setdefault(host_key(directory, path), {"problems": []})
            try:
                with open(path, encoding="utf-8") as fh:
                    doc = json.load(fh)
                kind = KINDS.get(doc.get("schema")) if isinstance(doc, dict) else None
            except (OSError, ValueError) as exc:
                entry["problems"].append("%s: unreadable: %s" % (name, exc))
                continue
            if kind is None:
                entry["problems"].append("%s: not an aixdr-agent document" % name)
            else:
                entry[kind] = doc
    return hosts


def last_test(status, history):
    """The newest run that changed the site (a DR test, a failover or a failback)."""
    # newest first: status's last run, then history's (which lists them newest first, by
    # the agent's own run sequence; start times come from clocks that may disagree)
    runs = [(status or {}).get("last_run")] + list((history or {}).get("runs") or [])
    for r in runs:
        if (r and r.get("previous_site") and r.get("previous_site") != r.get("site")
                and r.get("result") not in (None, "running")):
            return r
    return None


def row(name, entry, now):
    status, check = entry.get("status") or {}, entry.get("check") or {}
    ident = status.get("identity") or check.get("identity") or {}
    last = status.get("last_run") or {}
    test = last_test(status, entry.get("history"))
    problems = list(entry["problems"])
    if entry.get("error"):
        problems.insert(0, "not gathered: %s" % entry["error"].get("error", "?"))
    problems += [f["message"] for f in check.get("findings") or () if f["severity"] != "OK"]
    problems += status.get("problems") or []
    ready = check.get("status") or "-"
    if not check:
        stored = [f for f in status.get("readiness") or () if f.get("check") == "summary"]
        ready = stored[0]["severity"] if stored else "-"
        problems += [f["message"] for f in status.get("readiness") or ()
                     if f.get("check") != "summary" and f.get("severity") != "OK"]
    checked = parse_iso(check.get("time"))
    site = status.get("site") or check.get("site")
    return {
        "lpar": name,
        "hostname": check.get("hostname") or last.get("hostname"),
        "lpar_name": ident.get("lpar_name"), "systemid": ident.get("systemid"),
        "site": site, "applied_site": status.get("applied_site"),
        "pending_site": status.get("pending_site"),
        "ready": ready,
        "checked": check.get("time"),
        "checked_ago": now - checked if checked else None,
        "last_run": {k: last.get(k) for k in ("id", "result", "site", "previous_site", "end")}
        if last else None,
        "last_test": {k: test.get(k) for k in ("id", "result", "site", "previous_site", "end",
                                              "start")} if test else None,
        "failed": last.get("result") in ("failed", "interrupted") or bool(
            status.get("pending_site")),
        "gathered": bool(status or check),
        "problems": problems,
        "time_to_ready": time_to_ready(test, last),
        "report": entry.get("report"),
    }


def time_to_ready(test, last):
    """Seconds from boot to the end of the last DR test when it succeeded at boot (the
    full record is the status document's last run), else its run time; None otherwise."""
    if not test or test.get("result") not in ("ok", "changed"):
        return None
    if last and last.get("id") == test.get("id") and last.get("trigger") == "boot":
        ready = timing(last)["boot_to_ready"]
        if ready is not None:
            return {"seconds": ready, "from": "boot"}
    if isinstance(test.get("duration"), (int, float)):
        return {"seconds": float(test["duration"]), "from": "start of the run"}
    return None


def state_of(r):
    """The row's overall state (one of STATES)."""
    if r["failed"]:
        return "FAILED"
    if r["ready"] == "CRITICAL":
        return "CRITICAL"
    if not r["gathered"]:
        return "NOT GATHERED"
    if r["ready"] in ("UNKNOWN", "-"):
        return "UNKNOWN"
    if r["ready"] == "WARNING":
        return "WARNING"
    if not r["last_test"]:
        return "NEVER TESTED"
    return "OK"


def fleet_document(directory, now=None):
    now = time.time() if now is None else now
    rows = [row(name, entry, now) for name, entry in sorted(load(directory).items())]
    for r in rows:
        r["state"] = state_of(r)
    rows.sort(key=lambda r: (STATES.index(r["state"]), r["lpar"]))
    sites, ready = {}, {}
    for r in rows:
        sites[r["site"] or "unknown"] = sites.get(r["site"] or "unknown", 0) + 1
        ready[r["ready"]] = ready.get(r["ready"], 0) + 1
    return {"schema": SCHEMA, "directory": os.path.abspath(directory), "lpars": rows,
            "summary": {"lpars": len(rows), "sites": sites, "ready": ready,
                        "states": {k: sum(1 for r in rows if r["state"] == k)
                                   for k in STATES if any(r["state"] == k for r in rows)},
                        "failed": sum(1 for r in rows if r["failed"]),
                        "never_tested": sum(1 for r in rows if not r["last_test"]),
                        "not_gathered": sum(1 for r in rows if not r["gathered"])},
            "generated": fmt_time(now)}


def _site(r):
    if r["pending_site"]:
        return "%s (pending)" % r["pending_site"]
    return r["site"] or "?"


def _run(run):
    if not run:
        return "never"
    change = "%s->%s" % (run["previous_site"], run["site"]) \
        if run.get("previous_site") and run["previous_site"] != run["site"] else run["site"]
    return "%s %s %s" % ((run.get("end") or run.get("start") or "?")[:16].replace("T", " "),
                         change, run.get("result"))


def summary_lines(doc):
    s = doc["summary"]
    return ["%d LPAR(s): %s; ready: %s; %d failed, %d never tested, %d not gathered" % (
        s["lpars"], ", ".join("%d at %s" % (n, site) for site, n in sorted(s["sites"].items())),
        ", ".join("%d %s" % (n, k) for k, n in sorted(s["ready"].items())), s["failed"],
        s["never_tested"], s["not_gathered"])]


def fleet_text(doc):
    head = ("LPAR", "STATE", "SITE", "READY", "LAST RUN", "LAST DR TEST", "FIRST PROBLEM")
    table = [head] + [(r["lpar"], r["state"], _site(r), r["ready"], _run(r["last_run"]),
                       _run(r["last_test"]), (r["problems"] or ["-"])[0])
                      for r in doc["lpars"]]
    widths = [max(len(str(t[i])) for t in table) for i in range(len(head) - 1)]
    lines = summary_lines(doc)
    for t in table:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(t, widths)) + "  " + str(t[-1]))
    return "\n".join(lines)


def _badge(text, colour):
    return '<span class="badge" style="background:%s">%s</span>' % (colour, esc(text))


def fleet_html(doc, base=None):
    """The page. `base`: the folder the page is written to, for the relative links to the
    LPARs' evidence pages (None: absolute file paths)."""
    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
           "<title>aixdr-agent fleet report</title><style>%s"
           "td.problem{max-width:520px}a{color:#0d47a1}</style></head><body>" % CSS,
           "<h1>DR readiness of %d LPAR(s)</h1>" % doc["summary"]["lpars"],
           "<p>%s</p>" % esc(summary_lines(doc)[0]),
           "<p>%s</p>" % " ".join("%s %d" % (_badge(k, STATE_COLOURS[k]), n)
                                  for k, n in doc["summary"]["states"].items()),
           '<table class="fleet"><thead><tr><th>LPAR</th><th>State</th><th>Host / frame</th>'
           "<th>Site</th><th>Ready</th><th>Last run</th><th>Last DR test</th><th>Problems</th>"
           "</tr></thead><tbody>"]
    for r in doc["lpars"]:
        colour = READY_COLOURS.get(r["ready"], "#757575")
        problems = "".join("<div>%s</div>" % esc(p) for p in r["problems"][:5])
        if len(r["problems"]) > 5:
            problems += "<div>and %d more</div>" % (len(r["problems"]) - 5)
        checked = "checked %s ago" % fmt_duration(r["checked_ago"]) \
            if r["checked_ago"] is not None else "not checked"
        name = "<b>%s</b>" % esc(r["lpar"])
        if r.get("report"):
            name += '<br><a class="report" href="%s">evidence</a>' % esc(_href(r["report"], base))
        test = esc(_run(r["last_test"]))
        if r["time_to_ready"]:
            test += '<br><span class="muted">ready %s from %s</span>' % (
                esc(fmt_duration(r["time_to_ready"]["seconds"])), esc(r["time_to_ready"]["from"]))
        out.append(
            '<tr class="lpar" data-lpar="%s" data-site="%s" data-ready="%s" data-state="%s">'
            '<td>%s</td><td>%s</td>'
            '<td>%s<br><span class="muted">%s %s</span></td><td>%s</td>'
            '<td><span class="badge" style="background:%s">%s</span><br>'
            '<span class="muted">%s</span></td><td>%s</td><td>%s</td>'
            '<td class="problem">%s</td></tr>'
            % (esc(r["lpar"]), esc(r["site"]), esc(r["ready"]), esc(r["state"]), name,
               _badge(r["state"], STATE_COLOURS[r["state"]]),
               esc(r["hostname"] or "-"), esc(r["lpar_name"] or ""), esc(r["systemid"] or ""),
               esc(_site(r)), colour, esc(r["ready"]), esc(checked), esc(_run(r["last_run"])),
               test, problems or "-"))
    out.append("</tbody></table>")
    out.append("<h2>Time to ready at the last DR test</h2>")
    out.append(ready_chart(doc))
    out.append('<footer>Rendered by aixdr-agent at %s from %s.</footer>'
               "</body></html>\n" % (esc(doc["generated"]), esc(doc["directory"])))
    return "\n".join(out)


def _href(path, base):
    if base is None:
        return "file://" + path.replace(os.sep, "/")
    rel = os.path.relpath(path, base).replace(os.sep, "/")
    return "/".join(part.replace("%", "%25").replace("#", "%23").replace("?", "%3F")
                    for part in rel.split("/"))


def ready_chart(doc):
    """One horizontal bar per LPAR whose last DR test succeeded, longest first; inline SVG.
    The LPARs without such a test are named below it."""
    timed = sorted((r for r in doc["lpars"] if r["time_to_ready"]),
                   key=lambda r: (-r["time_to_ready"]["seconds"], r["lpar"]))
    rest = [r for r in doc["lpars"] if not r["time_to_ready"]]
    note = ('<p class="muted">No successful DR test yet: %s</p>' % esc(", ".join(
        "%s (%s)" % (r["lpar"], r["state"].lower()) for r in rest))) if rest else ""
    if not timed:
        return '<p class="muted">No LPAR has a successful DR test yet.</p>' + note
    width, left, right, lane, top = 960, 160, 90, 18, 10
    plot = width - left - right
    longest = max(r["time_to_ready"]["seconds"] for r in timed) or 1.0
    height = top + lane * len(timed) + 28
    out = ['<svg class="ready-chart" role="img" '
           'width="%d" height="%d" viewBox="0 0 %d %d" aria-label="time to ready per LPAR">'
           % (width, height, width, height),
           '<rect x="0" y="0" width="%d" height="%d" fill="#fff"/>' % (width, height)]
    for n in range(5):
        x = left + plot * n / 4.0
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>'
                   '<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>'
                   % (x, top, x, height - 22, x, height - 8,
                      esc(fmt_duration(longest * n / 4.0))))
    for i, r in enumerate(timed):
        y = top + i * lane
        seconds = r["time_to_ready"]["seconds"]
        w = max(plot * seconds / longest, 2.0)
        out.append('<g class="bar" data-lpar="%s" data-seconds="%.3f"><title>%s</title>'
                   '<text x="%d" y="%d" text-anchor="end">%s</text>'
                   '<rect x="%d" y="%d" width="%.1f" height="%d" rx="2" fill="%s"/>'
                   '<text x="%.1f" y="%d" fill="#333">%s</text></g>'
                   % (esc(r["lpar"]), seconds, esc("%s: ready %s from %s" % (
                       r["lpar"], fmt_duration(seconds), r["time_to_ready"]["from"])),
                      left - 8, y + 12, esc(r["lpar"]), left, y + 3, w, lane - 6,
                      STATE_COLOURS[r["state"]], left + w + 4, y + 12,
                      esc(fmt_duration(seconds))))
    out.append("</svg>")
    return "\n".join(out) + note


def fleet_command(args):
    directory = args.directory
    if not os.path.isdir(directory):
        sys.stderr.write("aixdr-agent: %s: no such folder\n" % directory)
        return EXIT_USAGE
    doc = fleet_document(directory)
    if not doc["lpars"]:
        sys.stderr.write("aixdr-agent: %s holds no aixdr-agent document (status/check "
                         "--json output)\n" % directory)
        return EXIT_USAGE
    if getattr(args, "html", None):
        try:
            write_atomically(args.html, fleet_html(
                doc, os.path.dirname(os.path.abspath(args.html))))
        except OSError as exc:
            sys.stderr.write("aixdr-agent: %s: %s\n" % (args.html, exc.strerror or exc))
            return EXIT_FAILED
    if getattr(args, "json", False):
        emit_json(doc)
    else:
        sys.stdout.write(fleet_text(doc) + "\n")
    return EXIT_OK
