"""`status` and `history`: read the records only; no command, no lock, no write, so they
answer fast and work for a user who cannot write the state folder."""

import os

from . import __version__
from .state import StateDir, StateError


def status_document(root):
    sd = StateDir(root)
    problems = []
    if os.path.lexists(root):
        from .trust import UnsafeFileError, check_dir_safe

        try:
            check_dir_safe(root, trusted_uids=(0, os.geteuid()))
        except (UnsafeFileError, OSError) as exc:
            problems.append("the state folder is not safe (boot refuses to act): %s"
                            % " ".join(str(exc).split()))
    try:
        state = sd.load_state() or {}
    except StateError as exc:
        state, problems = {}, [str(exc)]
    target = state.get("target") or {}
    pending = target if target.get("site") and not target.get("complete") else {}
    last_run = None
    run_id = (state.get("last_run") or {}).get("id") or (pending.get("run_id"))
    if run_id:
        try:
            last_run = sd.load_run(run_id)
        except StateError as exc:
            problems.append(str(exc))
    return {
        "schema": "aixdr-agent/status/v1",
        "version": __version__,
        "state_dir": root,
        "site": pending.get("site") or state.get("applied_site"),
        "applied_site": state.get("applied_site"),
        "pending_site": pending.get("site"),
        "unfinished": [s for s, st in (pending.get("steps") or {}).items()
                       if s not in (pending.get("done") or ())],
        "identity": state.get("identity"),
        "boot_time": state.get("boot_time"),
        "last_run": last_run,
        "readiness": state.get("readiness") or [],
        "problems": problems,
    }


def history(root):
    sd = StateDir(root)
    runs = []
    for run_id in sd.run_ids():
        try:
            rec = sd.load_run(run_id)
        except StateError as exc:
            runs.append({"id": run_id, "result": "unreadable", "error": str(exc)})
            continue
        runs.append({k: rec.get(k) for k in ("id", "trigger", "site", "previous_site",
                                            "result", "start", "end", "duration")})
    return runs
