"""importvg: every data VG of the inventory known to the ODM and varied on, its file
systems mounted (parents first), the owner, group and mode of its raw LVs restored.

Found by PVID, never by hdisk name: the replica's disks are numbered anew at DR.
- not in the ODM (after a clouddev/ghostdev reset): importvg -y NAME -V MAJOR hdiskN;
- still in the ODM from the other site (no reset: `importvg -y` would fail with 0516-778)
  during a site change: exportvg, then importvg from the disks that carry its PVIDs now;
- in the ODM and varied off at the same site: varyonvg;
- concurrent-capable: imported with -n and neither varied on nor mounted (the cluster
  manager does that);
- a PVID that no disk carries: that VG fails, naming the VG and the PVIDs; the others go on.
Mounts and raw-LV modes are planned on the prediction that importvg creates the special
files root:system 660 and mounts nothing, then planned again once the VGs are imported.
"""

from ..aix import lvm
from .base import Action, Step, StepFailed
from .devices import selected_vg

IMPORT_DEFAULT_MODE = ("root", "system", "660")


def _unreadable_inventory(ctx):
    return not ctx.inventory and ctx.inventory_problem is not None


class Importvg(Step):
    name = "importvg"
    requires = ("devices",)
    two_phase = True

    def selected(self, ctx):
        vgs = (ctx.inventory or {}).get("volume_groups") or {}
        return {n: r for n, r in sorted(vgs.items()) if selected_vg(ctx.config, n)}

    def skip_reason(self, ctx):
        if _unreadable_inventory(ctx):
            return None  # plan fails: an unreadable inventory is not "no data VGs"
        if not ctx.inventory:
            return ("no inventory: run `aixdr-agent capture` on the site the LPAR is settled "
                    "on, so the replica knows its data VGs")
        if not self.selected(ctx):
            return "no data VG to import"
        return None

    def plan(self, ctx):
        if _unreadable_inventory(ctx):
            raise StepFailed("%s: the data VGs to import are unknown; restore inventory.json "
                             "(a copy from production or a backup), then run "
                             "`aixdr-agent run --resume --yes`" % ctx.inventory_problem)
        runner = ctx.runner
        vgs = self.selected(ctx)
        pvs = lvm.lspv(runner)
        status = lvm.disks(runner)
        known = set(lvm.vg_names(runner))
        online = set(lvm.vg_names(runner, online=True))
        carrier = {}
        for pv in sorted(pvs, key=lambda p: status.get(p.name) != "Available"):
            if pv.pvid:
                carrier.setdefault(pv.pvid, pv)
        actions = []
        changing = set()
        missing_any = False
        for name, rec in vgs.items():
            if name in online:
                continue
            item = "vg:%s" % name
            pvids = rec.get("pvids") or ()
            # The ODM's definition is current when the disks now carrying the VG's PVIDs
            # are the ones it lists; otherwise it is the other site's, left without reset.
            current = name in known and pvids and all(
                p in carrier and carrier[p].vg == name for p in pvids)
            if current:
                if not rec.get("concurrent"):
                    actions.append(Action(("varyonvg", name), "%s is known but varied off"
                                          % name, item, "varied off", "varied on"))
                    changing.add(name)
                continue
            missing = [p for p in pvids if p not in carrier]
            if missing:
                missing_any = True
                ctx.problem("%s: disk(s) with PVID %s not found; VG not imported (check the "
                            "LUN mapping and zoning at this site)" % (name, " ".join(missing)))
                continue
            if name in known:
                # Never export a DR-local VG that merely shares the name: its disks are
                # Available and carry PVIDs that are not the inventory VG's.
                foreign = [pv.name for pv in pvs if pv.vg == name and pv.pvid not in pvids
                           and status.get(pv.name) == "Available"]
                if foreign:
                    ctx.problem("%s: the name is taken here by another VG on %s; not exported, "
                                "not imported (rename one of them)" % (name, " ".join(foreign)))
                    continue
                actions.append(Action(("exportvg", name), "%s is still defined from the other "
                                      "site: exported to import it from its disks here" % name,
                                      item, "stale definition", None))
            argv = ["importvg", "-y", name]
            if rec.get("major"):
                argv += ["-V", str(rec["major"])]
            if rec.get("concurrent"):
                argv.append("-n")
            disk = carrier[pvids[0]].name
            argv.append(disk)
            actions.append(Action(tuple(argv), "%s imported from %s (PVID %s)%s" % (
                name, disk, rec["pvids"][0], ", not varied on: concurrent-capable"
                if rec.get("concurrent") else ""), item, None, "imported"))
            changing.add(name)
        if missing_any and not ctx.facts.get("cfgmgr"):
            actions.insert(0, Action(("cfgmgr",), "look for the missing disks", "cfgmgr"))
            ctx.facts["cfgmgr"] = True
        actions.extend(self._after_import(ctx, vgs, known | changing, changing))
        return actions

    def _after_import(self, ctx, vgs, present, changing):
        """Mounts (parents first, across VGs) and raw LV owner/group/mode."""
        actions = []
        mounts = []
        if ctx.config.volume_groups.mount:
            mounts = sorted(((fs["mount_point"], name) for name, rec in vgs.items()
                             if name in present and not rec.get("concurrent")
                             for fs in rec.get("filesystems") or () if fs.get("automount")),
                            key=lambda m: (m[0].rstrip("/").count("/"), m[0]))
        mounted = lvm.mounted(ctx.runner) if mounts else set()
        for mount_point, name in mounts:
            if mount_point not in mounted:
                actions.append(Action(("mount", mount_point), "mount %s (%s)" % (mount_point, name),
                                      "vg:%s" % name, "not mounted", "mounted",
                                      2 if name in changing else 1))
        raws = [(name, r) for name, rec in vgs.items() if name in present
                for r in rec.get("raw_devices") or ()]
        modes = lvm.file_modes(ctx.runner, [r["path"] for _, r in raws])
        for name, raw in raws:
            path = raw["path"]
            have = modes.get(path)
            if have is None and name not in changing:
                continue  # no special file and no import to create it: nothing to restore
            owner, group, mode = have[:3] if have else IMPORT_DEFAULT_MODE
            phase = 2 if name in changing else 1
            if (owner, group) != (raw["owner"], raw["group"]):
                actions.append(Action(("chown", "%s:%s" % (raw["owner"], raw["group"]), path),
                                      "%s owner %s:%s -> %s:%s" % (path, owner, group,
                                                                   raw["owner"], raw["group"]),
                                      "vg:%s" % name, "%s:%s" % (owner, group),
                                      "%s:%s" % (raw["owner"], raw["group"]), phase))
            if mode != raw["mode"]:
                actions.append(Action(("chmod", raw["mode"], path), "%s mode %s -> %s"
                                      % (path, mode, raw["mode"]), "vg:%s" % name, mode,
                                      raw["mode"], phase))
        return actions
