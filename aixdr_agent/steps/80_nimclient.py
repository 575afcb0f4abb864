"""nimclient: the `nimclient` inittab entry on or off. At DR the production NIM master is
unreachable and `nimclient -S running` would hold the boot on TCP timeouts."""

from ..aix.inittab import InittabEntry, chitab_argv, lsitab
from .base import Action, Step

IDENT = "nimclient"
ENABLED_ACTION = "once"   # what NIM itself writes


class Nimclient(Step):
    name = "nimclient"
    profile_keys = ("nimclient",)

    def skip_reason(self, ctx):
        if ctx.profile.nimclient is None:
            return "the site profile does not say whether nimclient is enabled"
        return None

    def observed(self, runner):
        entry = lsitab(runner, IDENT)
        if entry is None:
            return {}
        return {"nimclient": "disabled" if entry.action == "off" else "enabled"}

    def plan(self, ctx):
        entry = lsitab(ctx.runner, IDENT)
        if entry is None:
            if ctx.profile.nimclient == "enabled":
                ctx.note("nimclient: no nimclient entry in /etc/inittab; this LPAR "
                                 "is not a NIM client, nothing to enable")
            return []
        enabled = entry.action != "off"
        if (ctx.profile.nimclient == "enabled") == enabled:
            return []
        action = "off" if enabled else _enabled_action(ctx)
        new = InittabEntry(entry.ident, entry.runlevel, action, entry.command)
        # init takes an inittab change at the next boot (or `telinit q`); the agent does not
        # signal init while its own `wait` entry holds the boot (README: NIM).
        return [Action(chitab_argv(new), "nimclient entry %s -> %s (init uses it "
                       "from the next boot)" % (entry.action, action), "inittab.nimclient",
                       entry.action, action)]


def _enabled_action(ctx):
    """The action production had, from the inventory, else NIM's own `once`."""
    observed = ((ctx.inventory or {}).get("inittab") or {}).get(IDENT) or {}
    action = observed.get("action")
    return action if action and action != "off" else ENABLED_ACTION
