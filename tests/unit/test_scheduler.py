"""The engine's scheduler: a step's actions side by side where nothing is shared, never two
on one VG, file system or device, ODM changes one at a time, at most `parallel` at once,
the journal in the order of start, and `plan` (a dry run) in that same order."""

import threading
import time
from types import SimpleNamespace

import pytest

from aixdr_agent import scheduler
from aixdr_agent.runner import CommandResult, DeadlineExceeded, DryRunRunner, Runner
from aixdr_agent.steps.base import Action, Step, StepFailed


class TimedRunner(Runner):
    """Runs nothing: each command sleeps a little; who ran when with whom is kept."""

    def __init__(self, seconds=0.05, fail=(), **kw):
        super().__init__(**kw)
        self.seconds = seconds
        self.fail = set(fail)
        self.lock = threading.Lock()
        self.now = []          # argv running now
        self.together = []     # (argv, [the others running when it started])
        self.peak = 0
        self.starts = []

    def _execute(self, argv, mutating, limit, extra_env, input_text=None, whole=True):
        with self.lock:
            self.together.append((tuple(argv), list(self.now)))
            self.now.append(tuple(argv))
            self.starts.append(tuple(argv))
            self.peak = max(self.peak, len(self.now))
        time.sleep(self.seconds)
        with self.lock:
            self.now.remove(tuple(argv))
        rc = 1 if tuple(argv) in self.fail else 0
        return CommandResult(argv, rc, "", "failed\n" if rc else "", time.time(), self.seconds,
                             mutating)


def ctx_for(runner, parallel=4):
    return SimpleNamespace(runner=runner, config=SimpleNamespace(parallel=parallel))


def vg_actions(vgs=5, per_vg=3):
    """importvg of each VG (ODM), then its file systems: fsck and mount, as importvg lists."""
    actions = [Action(("importvg", "-y", "vg%d" % v, "hdisk%d" % v), "import", "vg:vg%d" % v)
               for v in range(vgs)]
    for f in range(per_vg):
        for v in range(vgs):
            mp = "/data%d/fs%d" % (v, f)
            actions.append(Action(("fsck", "-p", mp), "check", "vg:vg%d" % v))
            actions.append(Action(("mount", mp), "mount", "vg:vg%d" % v))
    return actions


def vg_of(argv):
    for a in argv:
        if a.startswith("/data"):
            return "vg" + a[5:].split("/")[0]
        if a.startswith("vg"):
            return a
    return None


def test_same_vg_never_concurrent_and_odm_changes_one_at_a_time():
    runner = TimedRunner(seconds=0.03)
    failed = {}
    scheduler.run_actions(ctx_for(runner, 4), vg_actions(), failed)
    assert not failed
    assert len(runner.starts) == 5 + 30
    for argv, others in runner.together:
        assert all(vg_of(o) != vg_of(argv) for o in others), (argv, others)
        if argv[0] not in scheduler.NO_ODM_CHANGE:
            assert all(o[0] in scheduler.NO_ODM_CHANGE for o in others), (argv, others)
    assert runner.peak > 1       # and something did overlap


def test_bound_is_respected_and_one_means_one_after_another():
    for bound in (1, 2, 3):
        runner = TimedRunner(seconds=0.02)
        actions = [Action(("mount", "/m%d" % i), "mount", "vg:v%d" % i) for i in range(9)]
        scheduler.run_actions(ctx_for(runner, bound), actions, {})
        assert runner.peak == bound
        assert len(runner.starts) == 9


def test_side_by_side_is_faster_and_the_journal_is_in_the_order_of_start():
    actions = [Action(("mount", "/m%d" % i), "mount", "vg:v%d" % (i % 4)) for i in range(12)]
    runner = TimedRunner(seconds=0.1)
    t0 = time.monotonic()
    scheduler.run_actions(ctx_for(runner, 4), actions, {})
    assert time.monotonic() - t0 < 0.1 * 12 * 0.6
    journal = [r.argv for r in runner.journal]
    assert journal == runner.starts
    order, _ = scheduler.start_order(actions)
    assert journal == [a.argv for a in order]
    # a dry run (plan) lists the same commands in the same order
    dry = DryRunRunner()
    scheduler.run_actions(ctx_for(dry, 4), actions, {})
    assert [r.argv for r in dry.journal] == journal


def test_conflicting_actions_keep_the_listed_order():
    actions = [
        Action(("importvg", "-y", "a", "hdisk1"), "", "vg:a"),
        Action(("mount", "/a"), "", "vg:a"),
        Action(("mount", "/b"), "", "vg:b"),
        Action(("mount", "/a/under"), "", "vg:b"),   # below /a: after it, though another VG
        Action(("chdev", "-l", "hdisk5", "-a", "queue_depth=32"), "", "hdisk5"),
    ]
    order, _ = scheduler.start_order(actions)
    names = [a.argv for a in order]
    assert names.index(actions[0].argv) < names.index(actions[1].argv)
    assert names.index(actions[1].argv) < names.index(actions[3].argv)
    assert names.index(actions[2].argv) < names.index(actions[3].argv)
    # the two ODM changes keep their order; /b need not wait for the import of a
    assert names.index(actions[0].argv) < names.index(actions[4].argv)
    assert names.index(actions[2].argv) < names.index(actions[1].argv)
    c = [scheduler.claims(a) for a in actions]
    assert scheduler.conflict(c[1], c[3]) and not scheduler.conflict(c[1], c[2])
    assert scheduler.conflict(c[0], c[4])          # both change the ODM


def test_a_failure_skips_the_rest_of_its_item_only_and_is_reported_in_start_order():
    actions = vg_actions(vgs=3, per_vg=1)
    runner = TimedRunner(seconds=0.01, fail={("fsck", "-p", "/data1/fs0"),
                                              ("importvg", "-y", "vg2", "hdisk2")})
    failed = {}
    scheduler.run_actions(ctx_for(runner, 4), actions, failed)
    assert list(failed) == ["vg:vg2", "vg:vg1"]      # the import started first
    assert ("mount", "/data1/fs0") not in runner.starts
    assert ("fsck", "-p", "/data2/fs0") not in runner.starts
    assert ("mount", "/data0/fs0") in runner.starts


def test_the_deadline_stops_new_starts_and_reaches_the_engine():
    clock = [0.0]
    runner = TimedRunner(seconds=0.02, deadline=1.0, clock=lambda: clock[0])

    actions = [Action(("mount", "/m%d" % i), "mount", "vg:v%d" % i) for i in range(6)]
    orig = runner._execute

    def execute(argv, *a, **kw):
        clock[0] = 2.0           # the deadline passes while the first commands run
        return orig(argv, *a, **kw)

    runner._execute = execute
    with pytest.raises(DeadlineExceeded):
        scheduler.run_actions(ctx_for(runner, 2), actions, {})
    assert 1 <= len(runner.starts) < 6
    assert None not in runner.journal


class OnePass(Step):
    """A two-phase step like importvg: `actions` are its plan (imports, then the predicted
    checks and mounts of each VG); the fresh plan after the pass finds `replanned`."""
    name = "onepass"
    two_phase = True
    one_pass = True

    def __init__(self, actions, replanned=()):
        self.actions = actions
        self.replanned = list(replanned)
        self.plans = 0

    def plan(self, ctx):
        self.plans += 1
        return self.replanned


def phased(vgs=3):
    actions = [Action(("importvg", "-y", "vg%d" % v, "hdisk%d" % v), "import", "vg:vg%d" % v)
               for v in range(vgs)]
    for v in range(vgs):
        mp = "/data%d" % v
        actions.append(Action(("fsck", "-p", mp), "check", "vg:vg%d" % v,
                              phase=2))
        actions.append(Action(("mount", mp), "mount", "vg:vg%d" % v, phase=2))
    return actions


class SlowImports(TimedRunner):
    """Every import takes `slow` seconds; what ended when is kept."""

    def __init__(self, slow, **kw):
        super().__init__(**kw)
        self.slow = slow
        self.ended = {}

    def _execute(self, argv, *a, **kw):
        seconds = self.seconds
        if argv[0] == "importvg":
            self.seconds = self.slow
        try:
            return super()._execute(argv, *a, **kw)
        finally:
            self.seconds = seconds
            with self.lock:
                self.ended[tuple(argv)] = time.monotonic()


def test_a_vgs_checks_and_mounts_overlap_the_next_import_and_plan_lists_the_run():
    """importvg's predicted phase 2 runs in the imports' pass: the first VG's fsck and mount
    start while a later VG is still being imported, never before their own import ends, and
    a dry run (plan) lists the very commands the run started, in the same order."""
    step = OnePass(phased())
    runner = SlowImports(0.3, seconds=0.02)
    started = {}
    orig = runner._execute

    def execute(argv, *a, **kw):
        started[tuple(argv)] = time.monotonic()
        return orig(argv, *a, **kw)

    runner._execute = execute
    step.apply(ctx_for(runner, 4), list(step.actions))
    assert step.plans == 1                   # planned once more after the one pass
    last_import = ("importvg", "-y", "vg2", "hdisk2")
    for argv in (("fsck", "-p", "/data0"), ("mount", "/data0")):
        assert started[argv] < runner.ended[last_import], argv
        assert started[argv] >= runner.ended[("importvg", "-y", "vg0", "hdisk0")], argv
    for argv, others in runner.together:      # the imports still one at a time
        if argv[0] == "importvg":
            assert all(o[0] in scheduler.NO_ODM_CHANGE for o in others), (argv, others)
    run = [r.argv for r in runner.journal]
    dry = DryRunRunner()
    OnePass(phased()).apply(ctx_for(dry, 4), phased())
    assert [r.argv for r in dry.journal] == run
    assert len(run) == 9


def test_a_wrong_prediction_is_run_from_the_fresh_plan_and_a_failed_import_skips_its_vg():
    fix = Action(("chmod", "600", "/dev/rraw1"), "mode", "vg:vg1", phase=2)
    again = Action(("mount", "/data2"), "mount", "vg:vg2", phase=2)
    step = OnePass(phased(), replanned=[fix, again])
    runner = TimedRunner(seconds=0.01, fail={("importvg", "-y", "vg2", "hdisk2")})
    with pytest.raises(StepFailed):
        step.apply(ctx_for(runner, 4), list(step.actions))
    assert not any("/data2" in argv for argv in runner.starts)   # its VG failed: skipped
    assert runner.starts[-1] == fix.argv                          # the second pass
    assert ("mount", "/data1") in runner.starts
