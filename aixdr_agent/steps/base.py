"""The contract of every reconfiguration step: observe -> plan -> apply -> verify.

`plan(ctx)` observes with read-only queries and returns the Actions that would bring the
system to the site profile (empty: the target already holds). `apply` runs them through
`ctx.runner.change`; under the DryRunRunner nothing runs, which is how `plan` prints
exactly what `run` executes. `verify` observes again: `changed` means verified changed.

A step fails with a message, in one of two ways that differ in what still happens:
`raise StepFailed(message)` stops the step at once (nothing else it could do makes sense);
`ctx.problem(message)` fails the step at its end while its other items are still planned and
applied (one VG whose disks are missing does not keep the others from being imported).
Steps pass nothing to each other but what the Context declares (`ctx.cfgmgr_planned`,
`ctx.mktcpip_routes`).
"""

from typing import NamedTuple, Optional

from .. import scheduler


class StepFailed(Exception):
    """The step could not reach its target; the message says what to do. `blocks`: whether
    the steps that require this one are skipped (False: what failed does not concern them,
    e.g. a disk's queue_depth for importvg)."""

    def __init__(self, message, blocks=True):
        super().__init__(message)
        self.blocks = blocks


class Action(NamedTuple):
    argv: tuple
    reason: str
    item: str = ""              # what it changes; a failure skips the item's later actions
    before: Optional[str] = None
    after: Optional[str] = None
    phase: int = 1              # 2: planned from a prediction, observed again after phase 1

    def record(self):
        return {"argv": list(self.argv), "reason": self.reason, "item": self.item,
                "before": self.before, "after": self.after}


class Step:
    name = ""
    requires = ()       # steps that must not have failed for this one to run
    needs_all = False   # runs only when every earlier step succeeded (scripts)
    always = False      # runs even when earlier steps failed (clouddev)
    two_phase = False   # plans phase-2 actions on a prediction of what phase 1 does
    # phase 2 starts in phase 1's scheduler pass, as listed: the claims hold each action
    # until what it depends on has ended (a VG's mounts until its import), not until all of
    # phase 1 has
    one_pass = False
    # The site profile's keys this step applies ("aliases": the interfaces' alias
    # addresses): a key that cannot be resolved (no capture, an address in no subnet rule)
    # fails the steps declaring it. The keys' values are parsed by config/schema.py.
    profile_keys = ()
    # What the operator does when this step failed (the evidence report's next action);
    # None: fix what the message names, then resume.
    remedy = None

    def observed(self, runner):
        """This step's part of the live site profile (its `profile_keys` as capture records
        them in inventory.json's `observed`), read with the queries its plan uses; {}:
        nothing to record."""
        return {}

    def skip_reason(self, ctx):
        """Why this step has nothing to do for the site profile (None: it has)."""
        return None

    def plan(self, ctx):
        raise NotImplementedError

    def apply(self, ctx, actions):
        """Phase 1, then (for two-phase steps) whatever a fresh plan still finds, since
        phase 2 was planned on a prediction; a dry run keeps the prediction. With
        `one_pass`, phase 1 and the predicted phase 2 run in one pass, then whatever a
        fresh plan still finds (where the prediction was wrong) in a second. A failure
        skips the rest of its item; the step goes on with the other items, then fails
        naming every failure."""
        first = [a for a in actions if a.phase == 1]
        later = [a for a in actions if a.phase != 1]
        failed = {}
        if self.one_pass:
            # the prediction runs with phase 1; the fresh plan finds what it got wrong
            self.run_actions(ctx, list(actions), failed)
            later = []
        else:
            self.run_actions(ctx, first, failed)
        if self.two_phase and first and not ctx.runner.dry_run:
            later = [a for a in self.plan(ctx) if a.item not in failed]
        self.run_actions(ctx, later, failed)
        if failed:
            raise StepFailed("; ".join(failed.values()), blocks=self.failure_blocks(failed))

    def failure_blocks(self, failed_items):
        """Whether these failed items (item -> message) skip the steps requiring this one."""
        return True

    def run_actions(self, ctx, actions, failed):
        """The engine's scheduler runs them: side by side where nothing is shared, in the
        order listed where something is, failures recorded in `failed` by item."""
        scheduler.run_actions(ctx, actions, failed)

    def verify(self, ctx, actions):
        """What still differs after apply (empty: verified)."""
        return [a.reason for a in self.plan(ctx)]

