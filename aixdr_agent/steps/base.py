"""The contract of every reconfiguration step: observe -> plan -> apply -> verify.

`plan(ctx)` observes with read-only queries and returns the Actions that would bring the
system to the site profile (empty: the target already holds). `apply` runs them through
`ctx.runner.change`; under the DryRunRunner nothing runs, which is how `plan` prints
exactly what `run` executes. `verify` observes again: `changed` means verified changed.
"""

from typing import NamedTuple, Optional


class StepFailed(Exception):
    """The step could not reach its target; the message says what to do."""


class Action(NamedTuple):
    argv: tuple
    reason: str
    item: str = ""
    before: Optional[str] = None
    after: Optional[str] = None

    def record(self):
        return {"argv": list(self.argv), "reason": self.reason, "item": self.item,
                "before": self.before, "after": self.after}


class Step:
    name = ""
    requires = ()       # steps that must not have failed for this one to run
    needs_all = False   # runs only when every earlier step succeeded (scripts)
    always = False      # runs even when earlier steps failed (clouddev)
    available = True

    def skip_reason(self, ctx):
        """Why this step has nothing to do for the site profile (None: it has)."""
        return None

    def plan(self, ctx):
        raise NotImplementedError

    def apply(self, ctx, actions):
        for action in actions:
            result = ctx.runner.change(action.argv)
            if not result.ok:
                raise StepFailed(result.describe_failure())

    def verify(self, ctx, actions):
        """What still differs after apply (empty: verified)."""
        return [a.reason for a in self.plan(ctx)]


class NotAvailable(Step):
    """A step of SPEC section 7 that this version does not implement yet: it says so
    instead of pretending."""

    available = False

    def __init__(self, name):
        self.name = name

    def skip_reason(self, ctx):
        return "not available in this version of aixdr-agent"
