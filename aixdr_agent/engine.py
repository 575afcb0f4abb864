"""Runs the ordered steps: gate, plan, apply, verify, record after every step.

A failed step does not stop the steps that do not depend on it; its dependents, and
`scripts` after any failure, are skipped with the reason. The run record and state.json
are written after every step, so a power cut loses at most the step in flight, and the
next boot resumes what did not finish.
"""

import gc
import os
import threading
import time
from typing import NamedTuple

from .aix import AixParseError
from .runner import CommandError, DeadlineExceeded
from .steps.base import Step, StepFailed

OK, CHANGED, FAILED, SKIPPED, PLANNED = "ok", "changed", "failed", "skipped", "planned"
DONE = (OK, CHANGED)


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
    failed = set()
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
            failed.add(step.name)
        results.append(res)
        if on_step is not None:
            on_step(results)
    return results


# What an `always` step (clouddev) is kept from the boot deadline up front (at most a
# quarter of it): one lsattr, one quick chdev and its check, because leaving clouddev=1
# makes the next reboot clear the ODM all over again. ALWAYS_GRACE: what it still gets
# should the work before it overrun the whole deadline anyway.
ALWAYS_RESERVE = 20.0
ALWAYS_GRACE = 20.0


def always_reserve(boot_timeout):
    return min(ALWAYS_RESERVE, boot_timeout / 4.0)


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
        blocked = [r for r in step.requires if r in failed]
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


# --- running one step's actions side by side ------------------------------------------
#
# Which commands may overlap, as PowerHA does when it acquires resources (its parallel
# processing of resource groups and parallel file system recovery: IBM PowerHA SystemMirror
# 7.2, "Planning parallel or serial order for processing resource groups",
# https://ibm.com/docs/SSPHQG_7.2/plan/ha_plan_parallel_serial_rg.html):
# * the commands below change nothing in the ODM and may overlap with each other and with
#   one ODM change, as long as they touch another VG, file system and device;
# * every other command (importvg, exportvg, varyonvg, chdev, rmdev, cfgmgr, mktcpip, route,
#   namerslv, bootlist, ...) is taken as changing the ODM or a system-wide setting and runs
#   alone among those: AIX's device configuration commands share one ODM lock and give up
#   with 0514-516 when it stays taken, and IBM documents no overlap for them;
# * never two commands on the same VG, file system (a mount and the mounts below it in
#   the tree) or device at once, nor two of one item (a failure skips the item's later
#   actions, so they wait for it);
# * at most `parallel` at a time (the configuration's `parallel`, 1 = one after another).
# The order of start is worked out before anything runs, from the actions alone, so `plan`
# lists the commands in the very order a run starts them, and the run record keeps that
# order whatever finishes first.
NO_ODM_CHANGE = frozenset(("mount", "umount", "fsck", "logredo", "chown", "chmod"))
DEFAULT_PARALLEL = 4
ODM = "odm"


class Claims(NamedTuple):
    """What one action holds while it runs (own) and what must not change under it
    (under: the mounts above a mount point)."""
    own: frozenset
    under: frozenset


def claims(action):
    argv = [str(a) for a in action.argv]
    cmd = os.path.basename(argv[0]) if argv else ""
    own, under = set(), set()
    if cmd not in NO_ODM_CHANGE:
        own.add(ODM)
    if action.item:
        own.add(action.item if action.item.startswith(("vg:", "fs:", "dev:"))
                else "item:" + action.item)
        if action.item.startswith("vg:"):
            # `vg:NAME fs:/mp` holds its VG too: one command per VG at a time, so a log
            # replay, the checks and the mounts of one VG keep the order they were listed in
            own.add(action.item.split(" ", 1)[0])
    args = argv[1:]
    if cmd == "importvg" and "-y" in args[:-1]:
        own.add("vg:" + args[args.index("-y") + 1])
    elif cmd in ("varyonvg", "varyoffvg", "exportvg") and args:
        own.add("vg:" + args[-1])
    elif cmd in ("chdev", "rmdev", "mkdev"):
        for i, arg in enumerate(args[:-1]):
            if arg in ("-l", "-dl"):
                own.add("dev:" + args[i + 1])
    for arg in args:
        if arg.startswith("/dev/"):
            own.add("dev:" + arg[5:])
        elif arg.startswith("/") and cmd in ("mount", "umount", "fsck", "logredo"):
            path = arg.rstrip("/") or "/"
            own.add("fs:" + path)
            while path.count("/") > 1:
                path = path.rsplit("/", 1)[0]
                under.add("fs:" + path)
        elif arg.startswith("/"):
            own.add("path:" + arg)
    return Claims(frozenset(own), frozenset(under))


def conflict(a, b):
    return bool(a.own & b.own or a.own & b.under or a.under & b.own)


# What each command roughly costs on AIX, relative to the others (seconds): only the
# order of start depends on it. An import reads the VGDA and builds the ODM; a check of a
# crash image's filesystem is seconds; a mount, an ODM read or a chown a fraction.
EXPECTED = {"cfgmgr": 4.0, "importvg": 2.0, "fsck": 2.0, "varyonvg": 1.0, "mktcpip": 1.0,
            "exportvg": 0.5, "logredo": 0.5, "mount": 0.2, "umount": 0.2, "chdev": 0.15}
EXPECTED_OTHER = 0.1


def expected_cost(action):
    argv = action.argv
    return EXPECTED.get(os.path.basename(str(argv[0])) if argv else "", EXPECTED_OTHER)


def start_order(actions, claimed=None):
    """The actions in the order they start: by when each could start at the earliest
    (the expected end of the last earlier action it conflicts with), then as listed. So
    conflicting actions keep the order the step listed them in (an import before the
    mounts of its VG, a mount before the mounts below it), and one VG's checks and mounts
    come before the work of a VG whose slow import has not ended yet, rather than waiting
    behind it. Linear in the number of actions (a time per claim, not a comparison per
    pair)."""
    claimed = claimed or [claims(a) for a in actions]
    last_own, last_under, starts = {}, {}, []
    for action, c in zip(actions, claimed):
        start = 0.0
        for key in c.own:
            start = max(start, last_own.get(key, 0.0), last_under.get(key, 0.0))
        for key in c.under:
            start = max(start, last_own.get(key, 0.0))
        end = start + expected_cost(action)
        for key in c.own:
            last_own[key] = end
        for key in c.under:
            last_under[key] = max(last_under.get(key, 0.0), end)
        starts.append(start)
    index = sorted(range(len(actions)), key=lambda i: (starts[i], i))
    return [actions[i] for i in index], [claimed[i] for i in index]


def parallel_limit(ctx):
    value = getattr(ctx.config, "parallel", DEFAULT_PARALLEL)
    return value if isinstance(value, int) and value > 0 else DEFAULT_PARALLEL


def item_failed(action, failed):
    """The default gate: an action whose item failed earlier is skipped (None: it runs)."""
    return "" if action.item and action.item in failed else None


def describe_failure(action, result):
    return result.describe_failure()


def run_actions(ctx, actions, failed, gate=item_failed, describe=describe_failure):
    """Run a step's actions (what Step.run_actions does), side by side where the rules
    above allow. `gate(action, failed)`, asked just before an action would start, is None
    to run it, "" to skip it, or the text its item fails with instead; `describe(action,
    result)` says why a command failed. `failed` ends in the order the actions started,
    whatever finished first."""
    order, claimed = start_order(list(actions))
    limit = parallel_limit(ctx)
    if limit <= 1 or len(order) <= 1 or ctx.runner.dry_run:
        for action in order:
            if _gated(action, failed, gate):
                continue
            result = ctx.runner.change(action.argv)
            if not result.ok:
                failed[action.item or action.argv] = describe(action, result)
        return
    _run_side_by_side(ctx, order, claimed, failed, limit, gate, describe)


def _gated(action, failed, gate):
    """True when `gate` keeps the action from running (a failure text recorded if any)."""
    why = gate(action, failed)
    if why is None:
        return False
    if why:
        failed[action.item or action.argv] = why
    return True


def _run_side_by_side(ctx, order, claimed, failed, limit, gate, describe):
    cond = threading.Condition()
    running = []            # Claims of the actions running now
    errors = []             # what a worker raised (DeadlineExceeded): no new start after it
    found = {}              # start position -> (key, failure)

    def work(pos, action, claim, started):
        try:
            result = ctx.runner.change(action.argv, on_start=started.set)
            if not result.ok:
                with cond:
                    key = action.item or action.argv
                    found[pos] = (key, describe(action, result))
                    failed[key] = found[pos][1]
        except BaseException as exc:  # noqa: BLE001 - handed to the engine's thread
            with cond:
                errors.append(exc)
        finally:
            started.set()
            with cond:
                running.remove(claim)
                cond.notify_all()

    workers = []
    for pos, (action, claim) in enumerate(zip(order, claimed)):
        with cond:
            while not errors and (
                    len(running) >= limit or any(conflict(claim, r) for r in running)):
                cond.wait()
            if errors:
                break
            # asked once nothing it conflicts with runs: what it depends on has ended
            if _gated(action, failed, gate):
                continue
            running.append(claim)
        started = threading.Event()
        worker = threading.Thread(target=work, args=(pos, action, claim, started),
                                  name="aixdr-action", daemon=True)
        worker.start()
        workers.append(worker)
        started.wait()      # its place in the journal taken: the next starts after it
    for worker in workers:
        worker.join()
    if found:   # reported in the order the actions started, not the order they failed in
        for key, _ in found.values():
            failed.pop(key, None)
        for pos in sorted(found):
            failed[found[pos][0]] = found[pos][1]
    if errors:
        raise errors[0]


def overall(results):
    statuses = [r.status for r in results]
    if FAILED in statuses or any(r.status == SKIPPED and not r.done for r in results):
        return FAILED
    if CHANGED in statuses:
        return CHANGED
    return OK


def iso(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + ".%03dZ" % int((ts % 1) * 1000)


