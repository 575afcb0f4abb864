"""bootlist: the normal-mode boot list. `rootvg` (the default when a site says nothing)
means the disks that hold rootvg, found by PVID (lspv), never by hdisk number: at DR the
replica's disks are numbered anew, and the list production left names disks that are
gone."""

from ..aix.bootlist import normal_list, set_normal_argv
from ..aix.lspv import list_pvs
from .base import Action, Step, StepFailed


class Bootlist(Step):
    name = "bootlist"
    profile_keys = ("bootlist",)

    def wanted(self, ctx):
        spec = ctx.profile.bootlist or "rootvg"
        if spec != "rootvg":
            return list(spec)
        pvs = list_pvs(ctx.runner)
        # rootvg is always varied on: its disks show `active`. A Defined twin that still
        # carries the same PVID (the other site's definition) does not.
        rootvg = [pv for pv in pvs if pv.vg == "rootvg" and pv.state == "active"] or \
            [pv for pv in pvs if pv.vg == "rootvg"]
        order = ((ctx.inventory or {}).get("rootvg") or {}).get("pvids") or []
        rank = {pvid: n for n, pvid in enumerate(order)}
        disks = []
        for pv in sorted(rootvg, key=lambda p: rank.get(p.pvid, len(rank))):
            if pv.name not in disks:
                disks.append(pv.name)
        if not disks:
            raise StepFailed("no disk holds rootvg in lspv; not touching the boot list")
        return disks

    def observed(self, runner):
        boot = normal_list(runner)
        if not boot:
            return {}
        rootvg = [pv.name for pv in list_pvs(runner) if pv.vg == "rootvg"]
        return {"bootlist": "rootvg" if sorted(boot) == sorted(rootvg) else boot}

    def plan(self, ctx):
        want = self.wanted(ctx)
        have = normal_list(ctx.runner)
        if have == want:
            return []
        return [Action(set_normal_argv(want),
                       "normal boot list %s -> %s" % (" ".join(have) or "(empty)",
                                                      " ".join(want)),
                       "bootlist.normal", " ".join(have), " ".join(want))]
