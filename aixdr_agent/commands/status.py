"""`status` and `history`: read the records only; no command, no lock, no write, so they
answer fast and work for a user who cannot write the state folder."""

import os

from .. import __version__
from .. import record as rec
from ..exitcodes import EXIT_UNREADABLE
from ..state import StateDir, StateError
from ..trust import UnsafeFileError, check_dir_safe


def status_document(root, now=None):
    """The status/v1 document; its `exit_code` is 0 when the last run succeeded or nothing
    ran, 1 when the last run failed or was cut short or a site change is unfinished, 2 when
    state.json cannot be read (boot would refuse to act)."""
    sd = StateDir(root)
    problems = []
    unreadable = False
    if os.path.lexists(root):
        try:
            check_dir_safe(root, trusted_uids=(0, os.geteuid()))
        except (UnsafeFileError, OSError) as exc:
            problems.append("the state folder is not safe (boot refuses to act): %s"
                            % " ".join(str(exc).split()))
    try:
        state = sd.load_state() or {}
    except StateError as exc:
        state, unreadable = {}, True
        problems.append(str(exc))
    pending = rec.pending_target(state) or {}
    last_run = None
    run_id = rec.last_run_id(state)
    if run_id:
        try:
            last_run = sd.load_run(run_id)
        except StateError as exc:
            problems.append(str(exc))
    ident, ident_time, ident_source = rec.current_identity(state)
    code = EXIT_UNREADABLE if unreadable else rec.status_code(state, last_run)
    return {
        "schema": "aixdr-agent/status/v1",
        "version": __version__,
        "state_dir": root,
        "exit_code": code,
        "site": pending.get("site") or state.get("applied_site"),
        "applied_site": state.get("applied_site"),
        "pending_site": pending.get("site"),
        "frame_site": state.get("frame_site"),
        "unfinished": list(rec.unfinished(state)),
        "identity": ident,
        "identity_time": ident_time,
        "identity_source": ident_source if ident else None,
        "boot_time": state.get("boot_time"),
        "last_result": rec.run_result(last_run, state.get("last_run")) if run_id else None,
        "last_run": last_run,
        "readiness": rec.readiness(state, now),
        "problems": problems,
    }


def history(root, limit=None):
    """(the newest `limit` runs, newest first; all when None, the number recorded)."""
    sd = StateDir(root)
    runs = []
    ids = sd.run_ids()
    for run_id in ids if limit is None else ids[:limit]:
        try:
            rec = sd.load_run(run_id)
        except StateError as exc:
            runs.append({"id": run_id, "result": "unreadable", "error": str(exc)})
            continue
        runs.append({k: rec.get(k) for k in ("id", "trigger", "site", "previous_site",
                                            "result", "start", "end", "duration")})
    return runs, len(ids)
