"""Text renderings of the agent's documents (JSON is the documents themselves), and the
one way every `--json` prints them."""

import json
import sys

from .record import fmt_age


def emit_json(doc, out=None):
    """One JSON document on stdout: indented for a person at a terminal, compact for a
    monitor or a playbook, since indent forces json's pure-Python encoder (a status with a
    big last run: 2.4 vs 0.6 ms)."""
    out = out or sys.stdout
    indent = 1 if out.isatty() else None
    out.write(json.dumps(doc, indent=indent, default=str) + "\n")


def quote_argv(argv):
    import shlex  # lazy: status does not import shlex

    return " ".join(shlex.quote(a) for a in argv)


def profile_lines(profile, problems=None):
    """A resolved site profile in a few lines."""
    lines = []
    if profile.get("hostname"):
        lines.append("  hostname %s" % profile["hostname"])
    for iface in profile.get("interfaces") or ():
        lines.append("  %s %s/%s%s" % (iface["name"], iface["address"], iface["netmask"],
                                       "".join(" alias %s" % a for a in iface.get("aliases", ()))))
    if profile.get("gateway"):
        lines.append("  gateway %s" % profile["gateway"])
    for route in profile.get("routes") or ():
        lines.append("  route %s via %s" % (route["destination"], route["gateway"]))
    dns = profile.get("dns")
    if dns:
        lines.append("  dns %s%s" % (" ".join(dns.get("nameservers", ())),
                                     " domain %s" % dns["domain"] if dns.get("domain") else ""))
    for key in ("nimclient", "bootlist"):
        if profile.get(key):
            value = profile[key]
            lines.append("  %s %s" % (key, value if isinstance(value, str) else " ".join(value)))
    for step, messages in sorted((problems or {}).items()):
        for message in messages:
            lines.append("  PROBLEM (%s): %s" % (step, message))
    return lines


def plan_text(doc):
    lines = ["Plan for site %s (previous: %s)" % (doc["site"], doc["previous_site"] or "none")]
    if doc.get("profile") is not None:
        lines.append("profile:")
        lines.extend(profile_lines(doc["profile"], doc.get("profile_problems")))
    count = 0
    for step in doc["steps"]:
        if step["commands"]:
            lines.append("%s: would change" % step["name"])
            for cmd in step["commands"]:
                count += 1
                lines.append("  %s" % quote_argv(cmd["argv"]))
                if cmd["reason"]:
                    lines.append("      # %s" % cmd["reason"])
        else:
            lines.append("%s: %s (%s)" % (step["name"], step["status"], step["message"]))
    lines.append("%d command(s) would run." % count)
    return "\n".join(lines)


def run_lines(record):
    """Short console lines for a run (boot output goes to /dev/console)."""
    lines = []
    for step in record["steps"]:
        lines.append("  %-9s %-8s %s" % (step["name"], step["status"], step["message"]))
    for note in record.get("notes") or ():
        lines.append("  note: %s" % note)
    lines.append("result %s in %.1fs (run %s)" % (record["result"], record["duration"] or 0,
                                                  record["id"]))
    return lines


def status_text(doc):
    ident = doc.get("identity") or {}
    lines = [
        "aixdr-agent %s, state in %s" % (doc["version"], doc["state_dir"]),
        "site: %s (applied: %s)" % (doc["site"] or "none", doc["applied_site"] or "none"),
    ]
    frame = doc.get("frame_site")
    if frame and doc["site"] and frame != doc["site"]:
        lines.append("frame: belongs to site %s (the next boot applies %s)" % (frame, frame))
    if doc.get("pending_site"):
        lines.append("pending: %s, unfinished steps: %s"
                     % (doc["pending_site"], ", ".join(doc["unfinished"]) or "-"))
    if ident:
        lines.append("identity: systemid %s, LPAR %s %s, clouddev %s, ghostdev %s (read %s%s)"
                     % (ident.get("systemid"), ident.get("lpar_number"),
                        ident.get("lpar_name"), ident.get("clouddev"), ident.get("ghostdev"),
                        doc.get("identity_time") or "at an unknown time",
                        " by %s" % doc["identity_source"] if doc.get("identity_source")
                        else ""))
    run = doc.get("last_run")
    if run:
        result = doc.get("last_result") or run.get("result")
        if result != run.get("result"):
            result += " (the agent stopped during the run: power cut or kill)"
        lines.append("last run: %s (%s) %s -> %s: %s, %s"
                     % (run["id"], run.get("trigger"), run.get("previous_site") or "none",
                        run.get("site"), result, run.get("end") or "unfinished"))
        for step in run.get("steps") or ():
            lines.append("  %-9s %-8s %s" % (step["name"], step["status"], step["message"]))
    else:
        lines.append("last run: none")
    for problem in doc.get("problems") or ():
        lines.append("problem: %s" % problem)
    for finding in doc.get("readiness") or ():
        when = fmt_age(finding.get("age"))
        lines.append("%s: %s (%s)" % (finding.get("severity", "info"), finding.get("message"),
                                      "stale, " + when if finding.get("stale") else when))
    return "\n".join(lines)


def history_text(runs, total=None):
    if not runs:
        return "no runs recorded"
    lines = ["%-30s %-7s %-22s %-8s %s" % ("RUN", "TRIGGER", "SITE CHANGE", "RESULT",
                                           "DURATION")]
    for run in runs:
        change = "%s -> %s" % (run.get("previous_site") or "none", run.get("site"))
        duration = run.get("duration")
        lines.append("%-30s %-7s %-22s %-8s %s" % (
            run.get("id"), run.get("trigger"), change, run.get("result"),
            "%.1fs" % duration if isinstance(duration, (int, float)) else "-"))
    if total is not None and total > len(runs):
        lines.append("(the newest %d of %d runs; --all shows every one)" % (len(runs), total))
    return "\n".join(lines)


def detect_text(doc):
    ident = doc["identity"]
    lines = [
        "systemid:      %s" % ident["systemid"],
        "LPAR:          %s %s" % (ident["lpar_number"], ident["lpar_name"]),
        "clouddev:      %s" % _attr(ident["clouddev"]),
        "ghostdev:      %s" % _attr(ident["ghostdev"]),
        "odm_reset:     %s" % {True: "yes (data VGs unknown to the ODM)", False: "no",
                               None: "unknown (no inventory)"}[doc["odm_reset"]],
        "site:          %s (%s)" % (doc["site"] or "UNKNOWN", doc["site_reason"]),
        "applied site:  %s" % (doc["applied_site"] or "none"),
    ]
    if doc.get("pending_site"):
        lines.append("pending site:  %s" % doc["pending_site"])
    lines.append("boot would:    %s: %s" % (doc["decision"], doc["decision_reason"]))
    if doc.get("profile") is not None:
        lines.append("profile of %s:" % doc["site"])
        lines.extend(profile_lines(doc["profile"], doc.get("profile_problems")))
    return "\n".join(lines)


def _attr(value):
    return "absent on this AIX level" if value is None else value
