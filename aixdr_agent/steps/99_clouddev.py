"""clouddev: sys0 clouddev back to 0, so that the next reboot does not clear the ODM
again. Runs even when earlier steps failed: a second ODM reset would undo them all."""

from ..aix.devattr import chdev_argv, read_attrs
from .base import Action, Step


class Clouddev(Step):
    name = "clouddev"
    always = True

    def skip_reason(self, ctx):
        if ctx.identity is not None and ctx.identity.clouddev is None:
            return "this AIX level has no sys0 clouddev attribute"
        return None

    def plan(self, ctx):
        value = (read_attrs(ctx.runner, "sys0", ["clouddev"]).get("clouddev") or ["0"])[0]
        if value == "0":
            return []
        return [Action(chdev_argv("sys0", [("clouddev", "0")]),
                       "clouddev %s -> 0: the next reboot must not clear the ODM again"
                       % value, "sys0.clouddev", value, "0")]
