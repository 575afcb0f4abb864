"""`aixdr-agent fleet-report DIR [--html FILE]`: many LPARs' documents as one table.

DIR holds what packaging/ansible/gather.yml (or any other way) collected, one folder per
LPAR named after it:

    DIR/aixprd01/status.json     aixdr-agent status --json   (aixdr-agent/status/v1)
    DIR/aixprd01/check.json      aixdr-agent check --json    (aixdr-agent/check/v1)
    DIR/aixprd01/history.json    aixdr-agent history --json  (optional: the last DR test)
    DIR/aixprd01/gather-error.json  written by the playbook when the LPAR did not answer

Flat files work too (DIR/aixprd01.status.json, DIR/aixprd01-check.json). Documents are
told apart by their "schema", never by their file name. For each LPAR the table shows where
it is (site, or the site change still pending), whether it is ready (check), the last run
and the last DR test (the newest run that changed the site), and the first problem.
The text goes to stdout; --html FILE also writes one self-contained page. Exit 0 when at
least one LPAR was read, 2 when DIR holds no document.
"""

import json
import os
import sys
import time

from .evidence import CSS, esc, fmt_duration, fmt_time, parse_iso
from .report import emit_json

SCHEMA = "aixdr-agent/fleet/v1"
KINDS = {"aixdr-agent/status/v1": "status", "aixdr-agent/check/v1": "check",
         "aixdr-agent/history/v1": "history", "aixdr-agent/gather-error/v1": "error"}
SUFFIXES = ("status", "check", "history", "gather-error", "error")
READY_COLOURS = {"OK": "#2e7d32", "WARNING": "#ef6c00", "CRITICAL": "#c62828",
                 "UNKNOWN": "#6a1b9a", "-": "#757575"}
EXIT_OK, EXIT_USAGE = 0, 2


def host_key(directory, path):
    """The LPAR a file belongs to: its folder under DIR, else its name less the kind."""
    rel = os.path.relpath(path, directory)
    parts = rel.split(os.sep)
    if len(parts) > 1:
        return parts[0]
    name = parts[0][:-len(".json")]
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
    }


def fleet_document(directory, now=None):
    now = time.time() if now is None else now
    rows = [row(name, entry, now) for name, entry in sorted(load(directory).items())]
    sites, ready = {}, {}
    for r in rows:
        sites[r["site"] or "unknown"] = sites.get(r["site"] or "unknown", 0) + 1
        ready[r["ready"]] = ready.get(r["ready"], 0) + 1
    return {"schema": SCHEMA, "directory": os.path.abspath(directory), "lpars": rows,
            "summary": {"lpars": len(rows), "sites": sites, "ready": ready,
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
    head = ("LPAR", "SITE", "READY", "LAST RUN", "LAST DR TEST", "FIRST PROBLEM")
    table = [head] + [(r["lpar"], _site(r), r["ready"], _run(r["last_run"]),
                       _run(r["last_test"]), (r["problems"] or ["-"])[0])
                      for r in doc["lpars"]]
    widths = [max(len(str(t[i])) for t in table) for i in range(len(head) - 1)]
    lines = summary_lines(doc)
    for t in table:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(t, widths)) + "  " + str(t[-1]))
    return "\n".join(lines)


def fleet_html(doc):
    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
           "<title>aixdr-agent fleet report</title><style>%s"
           "td.problem{max-width:520px}</style></head><body>" % CSS,
           "<h1>DR readiness of %d LPAR(s)</h1>" % doc["summary"]["lpars"],
           "<p>%s</p>" % esc(summary_lines(doc)[0]),
           '<table class="fleet"><thead><tr><th>LPAR</th><th>Host / frame</th><th>Site</th>'
           "<th>Ready</th><th>Last run</th><th>Last DR test</th><th>Problems</th></tr>"
           "</thead><tbody>"]
    for r in doc["lpars"]:
        colour = READY_COLOURS.get(r["ready"], "#757575")
        problems = "".join("<div>%s</div>" % esc(p) for p in r["problems"][:5])
        if len(r["problems"]) > 5:
            problems += "<div>and %d more</div>" % (len(r["problems"]) - 5)
        checked = "checked %s ago" % fmt_duration(r["checked_ago"]) \
            if r["checked_ago"] is not None else "not checked"
        out.append(
            '<tr class="lpar" data-lpar="%s" data-site="%s" data-ready="%s"><td><b>%s</b></td>'
            '<td>%s<br><span class="muted">%s %s</span></td><td>%s</td>'
            '<td><span class="badge" style="background:%s">%s</span><br>'
            '<span class="muted">%s</span></td><td>%s</td><td>%s</td>'
            '<td class="problem">%s</td></tr>'
            % (esc(r["lpar"]), esc(r["site"]), esc(r["ready"]), esc(r["lpar"]),
               esc(r["hostname"] or "-"), esc(r["lpar_name"] or ""), esc(r["systemid"] or ""),
               esc(_site(r)), colour, esc(r["ready"]), esc(checked), esc(_run(r["last_run"])),
               esc(_run(r["last_test"])), problems or "-"))
    out.append('</tbody></table><p class="muted">Rendered by aixdr-agent at %s from %s.</p>'
               "</body></html>\n" % (esc(doc["generated"]), esc(doc["directory"])))
    return "\n".join(out)


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
        from .evidence import write_atomically

        try:
            write_atomically(args.html, fleet_html(doc))
        except OSError as exc:
            sys.stderr.write("aixdr-agent: %s: %s\n" % (args.html, exc.strerror or exc))
            return 1
    if getattr(args, "json", False):
        emit_json(doc)
    else:
        sys.stdout.write(fleet_text(doc) + "\n")
    return EXIT_OK
