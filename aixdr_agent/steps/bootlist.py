"""bootlist: the normal-mode boot list. `rootvg` (the default when a site says nothing)
means the disks that hold rootvg, found by PVID (lspv), never by hdisk number: at DR the
replica's disks are numbered anew, and the list production left names disks that are
gone."""

from ..aix.bootlist import bootlist_devices, parse_bootlist_o
from ..aix.lspv import parse_lspv
from .base import Action, Step, StepFailed


class Bootlist(Step):
    name = "bootlist"

    def wanted(self, ctx):
        spec = ctx.profile.bootlist or "rootvg"
        if spec != "rootvg":
            return list(spec)
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
