"""devices: disks and adapters configured, stale disks of the other site removed, and the
tuned device attributes (queue_depth, reserve_policy, dyntrk, ...) re-applied after an
ODM reset put them back to their defaults.

Disk states at a DR boot: a Defined hdisk whose PVID an Available hdisk also carries is
the other site's disk definition (its LUN is gone, the replica got a new name): it is
removed (rmdev -dl). Any other Defined hdisk, or an inventory PVID no disk carries, gets
one cfgmgr. What cfgmgr finds cannot be known before it runs, so the commands after it
are planned on the prediction that Defined disks become Available, and planned again
from what cfgmgr really left.
"""

from ..aix import lsdev, lvm
from ..aix.devattr import chdev_argv, read_attrs_bulk
from .base import Action, Step

BUSY_STATES = ("active", "concurrent")


ATTR = "attr:"      # the item of a device's attribute change: "attr:hdisk4"


def inventory_pvids(ctx):
    inv = ctx.inventory or {}
    pvids = list((inv.get("rootvg") or {}).get("pvids") or [])
    for name, vg in sorted((inv.get("volume_groups") or {}).items()):
        if ctx.config.volume_groups.selects(name):
            pvids.extend(vg.get("pvids") or [])
    return pvids


class Devices(Step):
    name = "devices"
    remedy = "fix the device problem the message names, then `aixdr-agent run --resume --yes`"
    two_phase = True

    def plan(self, ctx):
        devices = {d.name: d.status for d in
                   lsdev.devices(ctx.runner)}
        pvs = {pv.name: pv for pv in lvm.lspv(ctx.runner)}
        disks = {n: s for n, s in devices.items() if lsdev.is_instance(n, "hdisk")}
        available = {pvs[n].pvid for n, s in disks.items()
                     if s == "Available" and n in pvs and pvs[n].pvid}
        stale = sorted((n for n, s in disks.items() if s == "Defined" and n in pvs
                        and pvs[n].pvid in available), key=_natural)
        pending = sorted((n for n, s in disks.items() if s == "Defined" and n not in stale),
                         key=_natural)
        carried = {pv.pvid for pv in pvs.values() if pv.pvid}
        missing = [p for p in inventory_pvids(ctx) if p not in carried]
        actions = []
        if (pending or missing) and not ctx.cfgmgr_planned:
            why = []
            if pending:
                why.append("Defined: %s" % " ".join(pending))
            if missing:
                why.append("PVIDs not seen: %s" % " ".join(missing))
            actions.append(Action(lsdev.cfgmgr_argv(), "configure devices (%s)" % "; ".join(why),
                                  "cfgmgr"))
            ctx.cfgmgr_planned = True
        phase = 2 if actions else 1
        for name in stale:
            actions.append(Action(lsdev.rmdev_argv(name),
                                  "%s is Defined and its PVID %s is on another disk now: the "
                                  "other site's definition" % (name, pvs[name].pvid),
                                  name, "Defined", "deleted", phase))
        live = {n for n, s in devices.items() if s == "Available" or n in pending}
        actions.extend(self._attribute_actions(ctx, live, pvs, phase))
        return actions

    def _attribute_actions(self, ctx, live, pvs, phase):
        actions = []
        for prefix, wanted in sorted(ctx.config.device_attributes.items()):
            names = sorted((n for n in live if lsdev.is_instance(n, prefix)), key=_natural)
            # a few odmget queries for all of them, not one lsattr per device
            bulk = read_attrs_bulk(ctx.runner, names, sorted(wanted))
            for name in names:
                have = bulk.get(name)
                if have is None:    # not in the ODM (any more)
                    continue
                diffs = [(a, v) for a, v in sorted(wanted.items())
                         if (have.get(a) or [""])[0] != v]
                if not diffs:
                    continue
                pv = pvs.get(name)
                busy = prefix != "hdisk" or (pv is not None and pv.state in BUSY_STATES)
                if busy:
                    ctx.note("devices: attributes of busy devices were changed in the ODM "
                             "only (chdev -P); they take effect at the next reboot")
                before = " ".join("%s=%s" % (a, (have.get(a) or [""])[0]) for a, _ in diffs)
                after = " ".join("%s=%s" % d for d in diffs)
                actions.append(Action(chdev_argv(name, diffs, persistent_only=busy),
                                      "%s %s -> %s%s" % (name, before, after,
                                                         " (at next reboot)" if busy else ""),
                                      ATTR + name, before, after, phase))
        return actions

    def failure_blocks(self, failed_items):
        """A device attribute that could not be changed (queue_depth, reserve_policy) does
        not stop importvg: the VGs import the same. cfgmgr or a stale disk's removal does."""
        return any(not item.startswith(ATTR) for item in failed_items)


def _natural(name):
    digits = name.lstrip("abcdefghijklmnopqrstuvwxyz")
    return (name[:len(name) - len(digits)], int(digits) if digits.isdigit() else 0, name)
