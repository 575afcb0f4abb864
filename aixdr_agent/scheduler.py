"""The scheduler: one step's actions run side by side where nothing is shared, in a start
order worked out from the actions alone (so `plan` lists them in the order a run starts
them), at most `parallel` at a time. Steps call run_actions from their apply; the engine
runs the steps. It knows nothing of steps, only of Actions (argv, item)."""

import os
import threading
from typing import NamedTuple

from .aix.cmdinfo import (
    DEVICE_BY_L,
    EXPECTED,
    EXPECTED_OTHER,
    NO_ODM_CHANGE,
    ON_FILESYSTEM,
    VG_LAST_ARG,
)

# Which commands may overlap, as PowerHA does when it acquires resources (its parallel
# processing of resource groups and parallel file system recovery: IBM PowerHA SystemMirror
# 7.2, "Planning parallel or serial order for processing resource groups",
# https://ibm.com/docs/SSPHQG_7.2/plan/ha_plan_parallel_serial_rg.html):
# * the commands of aix/cmdinfo.NO_ODM_CHANGE change nothing in the ODM and may overlap
#   with each other and with one ODM change, as long as they touch another VG, file
#   system and device;
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
    elif cmd in VG_LAST_ARG and args:
        own.add("vg:" + args[-1])
    elif cmd in DEVICE_BY_L:
        for i, arg in enumerate(args[:-1]):
            if arg in ("-l", "-dl"):
                own.add("dev:" + args[i + 1])
    for arg in args:
        if arg.startswith("/dev/"):
            own.add("dev:" + arg[5:])
        elif arg.startswith("/") and cmd in ON_FILESYSTEM:
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


def expected_cost(action):
    """What the action's command roughly costs on AIX, relative to the others (seconds,
    aix/cmdinfo.EXPECTED): only the order of start depends on it. An import reads the VGDA
    and builds the ODM; a check of a crash image's filesystem is seconds; a mount, an ODM
    read or a chown a fraction."""
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
