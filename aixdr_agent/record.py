"""What state.json means, in one place: the site applied, the site change still pending and
which of its steps are unfinished, the last run and whether it is still going, and how old
the readiness findings are. `boot` (site.decide), `run`, `detect`, `status` and `check` all
ask here, so they cannot disagree about what the next boot resumes.

The target of a site change (state["target"]) holds the site, the previous site, the steps
the configuration asked for when it was written (`wanted`), those applied so far (`done`),
each step's last status, and whether all were applied (`complete`). A step is unfinished
when it is wanted and not done: one that failed, and one the run never reached (power cut).

The functions that change a state document (begin_run, mark_step, end_run) change the
dict they are given; writing it is state.py's (atomic, locked). No command, no lock, no
import beyond the standard library, so `status` stays fast and works for a user who cannot
write the state folder.
"""

import os
import time

# A step's status in a run record, and a run's result (plus "running" and "interrupted").
OK, CHANGED, FAILED, SKIPPED, PLANNED = "ok", "changed", "failed", "skipped", "planned"


def iso(ts):
    """The agent's UTC time stamps: 2026-01-02T03:04:05.678Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + ".%03dZ" % int((ts % 1) * 1000)


# Readiness findings older than this, or older than the last run or boot, are shown as
# stale: the system may have changed since `check` looked.
STALE_AFTER = 600.0


def pending_target(state):
    """The target of a site change not yet complete, or None."""
    target = (state or {}).get("target")
    if isinstance(target, dict) and not target.get("complete") and target.get("site"):
        return target
    return None


def unfinished_steps(target, wanted=None):
    """The steps of `target` still to apply, in the order of `wanted` (the configured steps;
    default: those the target was written for)."""
    if not target:
        return ()
    if wanted is None:
        wanted = target.get("wanted") or list(target.get("steps") or {})
    done = set(target.get("done") or ())
    return tuple(s for s in wanted if s not in done)


def unfinished(state, wanted=None):
    """The unfinished steps of the pending site change, () when none is pending."""
    return unfinished_steps(pending_target(state), wanted)


def new_target(site, previous, wanted, done=(), started=None):
    return {"site": site, "previous_site": previous, "wanted": list(wanted),
            "done": list(done), "steps": {}, "complete": False, "started": started}


def mark_step(target, name, status, done):
    """Record a finished step in the target."""
    target["steps"][name] = status
    if done and name not in target["done"]:
        target["done"].append(name)
    elif not done and name in target["done"]:
        target["done"].remove(name)


def is_complete(target, wanted):
    return all(n in target["done"] for n in wanted)


def begin_run(state, run_id, site, previous, wanted, done, fresh, started, frame_site):
    """A run starts: the pending target is kept when it is for this site (a resumed run),
    else a new one is written. Returns the target (also state["target"])."""
    state["frame_site"] = frame_site
    target = pending_target(state)
    if fresh or target is None or target["site"] != site:
        target = new_target(site, previous, wanted, done, started)
    target["wanted"] = list(wanted)     # what status counts as unfinished
    target["run_id"] = run_id
    state["target"] = target
    return target


def end_run(state, target, wanted, record, identity):
    """A run ended (its record holds the result and the end). When every wanted step is
    done, its site becomes the applied site with the identity as the run left it. Returns
    the ids of the runs pruning must keep: the last run at each site (the DR test's record
    after a hundred production runs)."""
    site = record["site"]
    if is_complete(target, wanted):
        target["complete"] = True
        state["applied_site"] = site
        state["applied_identity"] = identity
    state["last_run"] = {"id": record["id"], "trigger": record["trigger"], "site": site,
                         "previous_site": record["previous_site"],
                         "result": record["result"], "end": record["end"]}
    last_by_site = state.get("last_run_by_site")
    last_by_site = dict(last_by_site) if isinstance(last_by_site, dict) else {}
    last_by_site[site] = record["id"]
    state["last_run_by_site"] = last_by_site
    return [i for i in last_by_site.values() if isinstance(i, str)]


def last_run_id(state):
    state = state or {}
    return (state.get("last_run") or {}).get("id") or \
        ((state.get("target") or {}).get("run_id"))


def run_result(record, summary=None):
    """The result of a run: its record's, or state.json's summary of it when the record
    cannot be read; a record still `running` whose agent is gone was `interrupted`."""
    result = (record or {}).get("result") or (summary or {}).get("result")
    if result == "running" and record and not _agent_alive(record.get("id")):
        return "interrupted"
    return result


def _agent_alive(run_id):
    """Run ids end in the pid of the agent that wrote them (state.new_run_id)."""
    try:
        pid = int(str(run_id).rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:          # EPERM: it exists, another user's
        return True
    return True


FAILED_RESULTS = (FAILED, "interrupted")


def status_code(state, record):
    """`status`'s exit code: 0 when the last run succeeded or nothing ran, 1 when it failed
    (or was cut short) or a site change is unfinished."""
    if pending_target(state) is not None:
        return 1
    summary = (state or {}).get("last_run")
    if not summary and not record:
        return 0
    return 1 if run_result(record, summary) in FAILED_RESULTS else 0


def current_identity(state):
    """(identity, when, by what): the newest of the identity the agent recorded at its last
    boot or run (read again after the run's steps, so a step's change shows) and the one
    `check` saw."""
    state = state or {}
    ident, when, source = state.get("identity"), state.get("identity_time"), "the agent"
    seen = (readiness_entries(state)[:1] or [{}])[0]
    if seen.get("identity") and (not when or (seen.get("time") or "") > when):
        ident, when, source = seen["identity"], seen.get("time"), "check"
    return ident, when, source


def readiness_entries(state):
    entries = (state or {}).get("readiness")
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def readiness(state, now=None):
    """The stored readiness findings, each with its `age` in seconds and `stale` (True when
    older than STALE_AFTER, or than the last run's end or the last boot)."""
    now = time.time() if now is None else now
    state = state or {}
    since = max(filter(None, (_parse_iso((state.get("last_run") or {}).get("end")),
                              _number(state.get("boot_time")))), default=None)
    out = []
    for entry in readiness_entries(state):
        when = _parse_iso(entry.get("time"))
        age = max(0.0, now - when) if when is not None else None
        stale = age is None or age > STALE_AFTER or (since is not None and when < since)
        out.append(dict(entry, age=None if age is None else round(age), stale=stale))
    return out


def fmt_age(seconds):
    if seconds is None:
        return "of unknown age"
    seconds = int(seconds)
    if seconds < 120:
        return "%d s old" % seconds
    if seconds < 7200:
        return "%d min old" % (seconds // 60)
    if seconds < 172800:
        return "%d h old" % (seconds // 3600)
    return "%d days old" % (seconds // 86400)


def _number(value):
    return float(value) if isinstance(value, (int, float)) else None


def _parse_iso(text):
    """Seconds since the epoch of the agent's own UTC stamps (iso(): 2026-01-02T03:04:05
    .678Z), None otherwise. By hand: time.strptime and calendar cost `status` 3 ms of
    imports."""
    if not isinstance(text, str) or len(text) < 19 or text[4] != "-" or text[10] != "T":
        return None
    try:
        y, mo, d = int(text[0:4]), int(text[5:7]), int(text[8:10])
        h, mi, s = int(text[11:13]), int(text[14:16]), int(text[17:19])
    except ValueError:
        return None
    # days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil)
    y -= mo <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (mo + (-3 if mo > 2 else 9)) + 2) // 5 + d - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    frac = text[19:].rstrip("Z")
    extra = float("0" + frac) if frac.startswith(".") and frac[1:].isdigit() else 0.0
    return days * 86400.0 + h * 3600 + mi * 60 + s + extra
