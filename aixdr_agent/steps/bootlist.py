"""bootlist: the normal-mode boot list. `rootvg` means the disks that hold rootvg, found
by PVID (lspv), never by hdisk number: at DR the replica's disks are numbered anew."""

from ..aix.bootlist import bootlist_devices, parse_bootlist_o
from ..aix.lspv import parse_lspv
from .base import Action, Step, StepFailed


class Bootlist(Step):
    name = "bootlist"

    def skip_reason(self, ctx):
        return None if ctx.profile.bootlist else "the site profile has no bootlist"

    def wanted(self, ctx):
        if ctx.profile.bootlist != "rootvg":
            return list(ctx.profile.bootlist)
        pvs = parse_lspv(ctx.runner.query(["lspv"]).stdout)
        by_pvid = {pv.pvid: pv.name for pv in pvs if pv.pvid}
        pvids = ((ctx.inventory or {}).get("rootvg") or {}).get("pvids") or []
        disks = [by_pvid[p] for p in pvids if p in by_pvid]
        for pv in pvs:  # rootvg disks the inventory does not know (mirrored since)
            if pv.vg == "rootvg" and pv.name not in disks:
                disks.append(pv.name)
        if not disks:
            raise StepFailed("no disk holds rootvg in lspv; not touching the boot list")
        return disks

    def plan(self, ctx):
        want = self.wanted(ctx)
        res = ctx.runner.query(["bootlist", "-m", "normal", "-o"], check=False)
        have = bootlist_devices(parse_bootlist_o(res.stdout)) if res.ok else []
        if have == want:
            return []
        return [Action(("bootlist", "-m", "normal") + tuple(want),
                       "normal boot list %s -> %s" % (" ".join(have) or "(empty)",
                                                      " ".join(want)),
                       "bootlist.normal", " ".join(have), " ".join(want))]
