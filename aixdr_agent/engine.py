"""Runs the ordered steps: gate, plan, apply, verify, record after every step.

A failed step does not stop the steps that do not depend on it; its dependents, and
`scripts` after any failure, are skipped with the reason. The run record and state.json
are written after every step, so a power cut loses at most the step in flight, and the
next boot resumes what did not finish.
"""

import gc
import time

from .aix import AixParseError
from .record import CHANGED, FAILED, OK, PLANNED, SKIPPED, iso
from .runner import ALWAYS_GRACE, CommandError, DeadlineExceeded
from .steps.base import Step, StepFailed


class Context:
    """What a step may use: the configuration, the resolved site profile, the runner,
    the identity and inventory, and a place for notes (reboot needed, ...)."""

    def __init__(self, config, site, profiles, runner, identity=None, inventory=None,
                 previous_site=None, run_id=None, state_dir=None, applied_identity=None,
                 profile_problems=None, inventory_problem=None):
        self.config = config
        self.site = site
        self.profiles = profiles            # every site's resolved profile for this LPAR
        self.profile = profiles[site]
        self.profile_problems = profile_problems or {}   # step -> why it cannot run
        self.inventory_problem = inventory_problem       # inventory.json exists, unreadable
        self.runner = runner
        self.identity = identity
        self.inventory = inventory
        self.previous_site = previous_site
        self.run_id = run_id
        self.state_dir = state_dir
        self.applied_identity = applied_identity  # the identity when a site was last applied
        self.notes = []
        self.problems = []       # the current step's findings that make it fail
        # The one thing steps tell later steps: cfgmgr is planned already (devices or
        # importvg), so it is not planned (nor run) again in this run.
        self.cfgmgr_planned = False
        # mktcpip -g deletes every inet0 route: (the static routes it removed, the default
        # route it set), for the routes step to plan and to put back; None: it did not run
        self.mktcpip_routes = None

    def problem(self, text):
        """A finding that fails the current step without stopping its other items."""
        if text not in self.problems:
            self.problems.append(text)

    def note(self, text):
        """Something the operator should know; said once however often a step plans."""
        if text not in self.notes:
            self.notes.append(text)

    def other_profiles(self):
        return [p for name, p in self.profiles.items() if name != self.site]


class StepResult:
    def __init__(self, name):
        self.name = name
        self.status = None
        self.message = ""
        self.start = None
        self.duration = 0.0
        self.items = []
        self.commands = []
        self.planned = []        # Actions
        self.done = False        # counts as applied for resume
        self.blocks = True       # a failure skips the steps that require this one

    def record(self):
        return {
            "name": self.name, "status": self.status, "message": self.message,
            "start": iso(self.start) if self.start else None,
            "duration": round(self.duration, 3), "items": self.items,
            "commands": [c.record() for c in self.commands],
        }


def run_steps(ctx, steps, on_step=None, dry_run=False):
    """Run `steps` (registry order) and return their StepResults. `on_step(results)` is
    called after every step so the caller can write the records.

    The cyclic garbage collector is off meanwhile: a run keeps what it parses until it
    ends, builds no cycles worth collecting, and every full collection walks all of it
    again (a 10,000-disk plan: 0.86 s with it, 0.53 s without; the growth from 1,000 disks
    16x before, 11x after, bench/RESULTS.md)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_steps(ctx, steps, on_step, dry_run)
    finally:
        if was_enabled:
            gc.enable()


def _run_steps(ctx, steps, on_step, dry_run):
    results = []
    failed = {}     # step name -> whether its failure skips the steps requiring it
    deadline_hit = False
    for step in steps:
        res = StepResult(step.name)
        res.start = time.time()
        mark = len(ctx.runner.journal)
        t0 = time.monotonic()
        if deadline_hit and not step.always:
            _finish(res, SKIPPED, "not started: the boot deadline had passed")
        else:
            if step.always:
                # clouddev's time was kept back from the deadline: whatever ran before
                # (a hook, a hanging command) could not use it. Both are needed: the reserve
                # keeps the whole boot within its deadline, the grace still runs clouddev
                # when a slow kill or the agent's own work used the reserve up anyway.
                ctx.runner.release_reserve()
                left = ctx.runner.remaining()
                if left is not None and left <= 0:
                    ctx.runner.grant(ALWAYS_GRACE)
            try:
                _run_one(ctx, step, res, failed, dry_run)
            except DeadlineExceeded:
                deadline_hit = True
                _finish(res, FAILED, "stopped: the boot deadline passed during this step")
        res.duration = time.monotonic() - t0
        res.commands = ctx.runner.journal[mark:]
        if res.status == FAILED:
            failed[step.name] = res.blocks
        results.append(res)
        if on_step is not None:
            on_step(results)
    return results


def _run_one(ctx, step, res, failed, dry_run):
    unresolved = ctx.profile_problems.get(step.name)
    if unresolved:
        _finish(res, FAILED, "; ".join(unresolved))
        return
    ctx.problems = []
    try:
        # skip_reason may ask the system (namerslv -s, lsitab): its failures are the
        # step's, like those of plan
        reason = step.skip_reason(ctx)
        if reason:
            _finish(res, SKIPPED, reason, done=True)
            return
        blocked = [r for r in step.requires if failed.get(r)]
        if step.needs_all and failed:
            blocked = sorted(failed)
        if blocked and not step.always:
            _finish(res, SKIPPED, "skipped because %s failed" % ", ".join(blocked))
            return
        actions = step.plan(ctx)
        res.planned = list(actions)
        res.items = [a.record() for a in actions]
        if not actions:
            if ctx.problems:
                _finish(res, FAILED, "; ".join(ctx.problems))
            else:
                _finish(res, OK, "already as the profile says", done=True)
            return
        said = "; ".join(a.reason for a in actions)
        if dry_run:
            step.apply(ctx, actions)
            _finish(res, PLANNED, said + ("; would fail: " + "; ".join(ctx.problems)
                                          if ctx.problems else ""))
            return
        planned_problems = list(ctx.problems)
        step.apply(ctx, actions)
        ctx.problems = []
        left = step.verify(ctx, actions)
        # The default verify plans again, and so finds again what still stands in the way.
        problems = ctx.problems if type(step).verify is Step.verify else planned_problems
        if left:
            problems = problems + ["still differs after apply: %s" % "; ".join(left)]
        if problems:
            _finish(res, FAILED, "; ".join(problems))
            return
        _finish(res, CHANGED, said, done=True)
    except StepFailed as exc:
        _finish(res, FAILED, str(exc))
        res.blocks = exc.blocks
    except CommandError as exc:
        _finish(res, FAILED, str(exc))
    except AixParseError as exc:   # the command answered something it never prints
        _finish(res, FAILED, "unexpected output: %s" % exc)
    except DeadlineExceeded:
        raise
    except Exception as exc:  # noqa: BLE001 - one broken step must not stop the boot
        _finish(res, FAILED, "internal error: %s: %s" % (type(exc).__name__, exc))


def _finish(res, status, message, done=False):
    res.status = status
    res.message = message
    res.done = done


def overall(results):
    statuses = [r.status for r in results]
    if FAILED in statuses or any(r.status == SKIPPED and not r.done for r in results):
        return FAILED
    if CHANGED in statuses:
        return CHANGED
    return OK

