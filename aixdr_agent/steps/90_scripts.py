"""scripts: the site-change hooks, run last (before clouddev), in order, each with
AIXDR_SITE, AIXDR_PREVIOUS_SITE and AIXDR_RUN_ID, a timeout, and its output recorded.
Skipped when any earlier step failed. A hook that is not root-owned, or is writable by
group or others, is refused: it would run as root at boot."""

import os

from ..trust import UnsafeFileError, check_file_safe
from .base import Action, Step, StepFailed


class Scripts(Step):
    name = "scripts"
    remedy = ("read the hook's output below, fix the hook or what it needs, then "
              "`aixdr-agent run --resume --yes`")
    needs_all = True

    def skip_reason(self, ctx):
        return None if ctx.config.scripts else "no hook scripts configured"

    def plan(self, ctx):
        return [Action((s.path,), "site-change hook (timeout %ds)" % s.timeout, s.path)
                for s in ctx.config.scripts]

    def apply(self, ctx, actions):
        env = {"AIXDR_SITE": ctx.site or "", "AIXDR_PREVIOUS_SITE": ctx.previous_site or "",
               "AIXDR_RUN_ID": ctx.run_id or ""}
        timeouts = {s.path: s.timeout for s in ctx.config.scripts}
        for action in actions:
            path = action.argv[0]
            if not ctx.runner.dry_run:
                try:
                    check_file_safe(path, trusted_uids=(0, os.geteuid()))
                except (UnsafeFileError, OSError) as exc:
                    raise StepFailed("hook refused: %s" % exc) from None
            result = ctx.runner.hook(action.argv, timeout=timeouts[path], extra_env=env)
            if not result.ok:
                raise StepFailed("hook %s" % result.describe_failure())

    def verify(self, ctx, actions):
        return []
