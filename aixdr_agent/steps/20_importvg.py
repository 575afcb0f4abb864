"""importvg: every data VG of the inventory known to the ODM and varied on, its file
systems mounted (parents first), the owner, group and mode of its raw LVs restored.

Found by PVID, never by hdisk name: the replica's disks are numbered anew at DR.
- not in the ODM (after a clouddev/ghostdev reset): importvg -y NAME -V MAJOR hdiskN;
- still in the ODM from the other site (no reset: `importvg -y` would fail with 0516-778)
  during a site change: exportvg, then importvg from the disks that carry its PVIDs now;
- in the ODM and varied off at the same site: varyonvg;
- concurrent-capable: imported with -n and neither varied on nor mounted (the cluster
  manager does that);
- a PVID that no disk carries: that VG fails, naming the VG and the PVIDs; the others go on;
- a PVID on two disks (a clone or snapshot LUN mapped beside the replica): never guessed;
  that VG is not imported and the step fails naming the PVID and the disks;
- no inventory at a site change: the step fails listing the disks whose PVIDs no VG claims
  and the import an admin would run (never a silent skip that marks the site applied).
A replica is a crash image: before a filesystem is mounted, the VG's JFS2 logs are replayed
(logredo) and the filesystem checked (fsck -p), as IBM says after importvg and as PowerHA
does when it acquires a filesystem (`volume_groups.fsck: check`, the default). A filesystem
that fails its check is not mounted (nor anything inside it) and is named; the rest go on.
Mounts and raw-LV modes are planned on the prediction that importvg creates the special
files root:system 660 and mounts nothing. They run in the imports' pass, a VG's log replays,
checks and mounts while the next VG is imported (they change nothing in the ODM), then the
step plans again and runs whatever the prediction got wrong.
"""

from ..aix import lsdev, lvm
from ..scheduler import run_actions
from .base import Action, Step, StepFailed

IMPORT_DEFAULT_MODE = ("root", "system", "660")


def _unreadable_inventory(ctx):
    return not ctx.inventory and ctx.inventory_problem is not None


def _site_change(ctx):
    return ctx.previous_site not in (None, ctx.site)


def _fs_item(vg, mount_point):
    return "vg:%s fs:%s" % (vg, mount_point)


def _inside(path, parent):
    return path != parent and path.startswith(parent.rstrip("/") + "/")


class Importvg(Step):
    name = "importvg"
    remedy = ("map the disks the message names to this LPAR (or fix what it names), run "
              "cfgmgr, then `aixdr-agent run --resume --yes`")
    requires = ("devices",)
    two_phase = True
    one_pass = True

    def selected(self, ctx):
        vgs = (ctx.inventory or {}).get("volume_groups") or {}
        return {n: r for n, r in sorted(vgs.items()) if ctx.config.volume_groups.selects(n)}

    def skip_reason(self, ctx):
        if _unreadable_inventory(ctx):
            return None  # plan fails: an unreadable inventory is not "no data VGs"
        if not ctx.inventory:
            if _site_change(ctx):
                return None  # plan fails: a site change must not pass without its data VGs
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
        if not ctx.inventory:
            left = _no_inventory(ctx)
            if left:
                raise StepFailed(left)
            ctx.note("importvg: no inventory; every disk with a PVID belongs to a VG that is "
                     "varied on, so nothing is left to import")
            return []
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
        # Disks that are configured now; a Defined one is the other site's stale hdisk.
        live = {}
        for pv in pvs:
            if pv.pvid and status.get(pv.name) == "Available":
                live.setdefault(pv.pvid, []).append(pv.name)
        actions = []
        changing = set()
        missing_any = False
        for name, rec in vgs.items():
            if name in online:
                continue
            item = "vg:%s" % name
            pvids = rec.get("pvids") or ()
            twins = [p for p in pvids if len(live.get(p, ())) > 1]
            if twins:
                ctx.problem("%s: not imported: %s; a clone or snapshot LUN is mapped beside "
                            "the replica. Unmap the clone from this LPAR (or give it new PVIDs "
                            "with recreatevg), then run `aixdr-agent run --resume --yes`" % (
                                name, "; ".join("PVID %s is on %s" % (p, " and ".join(live[p]))
                                                for p in twins)))
                continue
            # The ODM's definition is current when the disks now carrying the VG's PVIDs
            # are the ones it lists; otherwise it is the other site's, left without reset.
            current = name in known and pvids and all(
                p in carrier and carrier[p].vg == name for p in pvids)
            if current:
                if not rec.get("concurrent"):
                    actions.append(Action(lvm.varyonvg(name), "%s is known but varied off"
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
                actions.append(Action(lvm.exportvg(name), "%s is still defined from the other "
                                      "site: exported to import it from its disks here" % name,
                                      item, "stale definition", None))
            disk = carrier[pvids[0]].name
            argv = lvm.importvg(name, disk, rec.get("major"), bool(rec.get("concurrent")))
            actions.append(Action(argv, "%s imported from %s (PVID %s)%s" % (
                name, disk, rec["pvids"][0], ", not varied on: concurrent-capable"
                if rec.get("concurrent") else ""), item, None, "imported"))
            changing.add(name)
        if missing_any and not ctx.cfgmgr_planned:
            actions.insert(0, Action(lsdev.cfgmgr_argv(), "look for the missing disks", "cfgmgr"))
            ctx.cfgmgr_planned = True
        actions.extend(self._after_import(ctx, vgs, known | changing, changing))
        return actions

    def _after_import(self, ctx, vgs, present, changing):
        """Log replay and fsck, mounts (parents first, across VGs), raw LV owner/group/mode."""
        actions = []
        mounts = []
        if ctx.config.volume_groups.mount:
            mounts = sorted(((fs["mount_point"], name) for name, rec in vgs.items()
                             if name in present and not rec.get("concurrent")
                             for fs in rec.get("filesystems") or () if fs.get("automount")),
                            key=lambda m: (m[0].rstrip("/").count("/"), m[0]))
        rows = lvm.mounts(ctx.runner) if mounts else []
        mounted = {r.mounted_over for r in rows}
        todo = [(mp, name) for mp, name in mounts if mp not in mounted]
        check = ctx.config.volume_groups.fsck == "check"
        if check:
            in_use = lvm.logs_in_use(rows)
            for name in sorted({name for _, name in todo}):
                for lv in vgs[name].get("logical_volumes") or ():
                    device = "/dev/%s" % lv["name"]
                    if lv.get("type") in lvm.LOG_TYPES and device not in in_use:
                        actions.append(Action(
                            lvm.logredo(device), "replay the log %s of %s before its "
                            "filesystems are checked" % (device, name), "vg:%s" % name,
                            None, None, 2 if name in changing else 1))
        for mount_point, name in todo:
            phase = 2 if name in changing else 1
            item = _fs_item(name, mount_point)
            if check:
                actions.append(Action(lvm.fsck(mount_point), "check %s (%s) before it is "
                                      "mounted" % (mount_point, name), item, "unchecked",
                                      "checked", phase))
            actions.append(Action(lvm.mount(mount_point), "mount %s (%s)" % (mount_point, name),
                                  item, "not mounted", "mounted", phase))
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
                actions.append(Action(lvm.chown(raw["owner"], raw["group"], path),
                                      "%s owner %s:%s -> %s:%s" % (path, owner, group,
                                                                   raw["owner"], raw["group"]),
                                      "vg:%s" % name, "%s:%s" % (owner, group),
                                      "%s:%s" % (raw["owner"], raw["group"]), phase))
            if mode != raw["mode"]:
                actions.append(Action(lvm.chmod(raw["mode"], path), "%s mode %s -> %s"
                                      % (path, mode, raw["mode"]), "vg:%s" % name, mode,
                                      raw["mode"], phase))
        return actions

    def run_actions(self, ctx, actions, failed):
        """As Step.run_actions (side by side across VGs, through the engine's scheduler),
        and a filesystem's actions are also skipped when its VG failed (import, log
        replay), and so is a filesystem mounted inside one that failed its check or mount:
        it would land on the directory under the missing mount."""
        run_actions(ctx, actions, failed, _gate, _describe)


def _gate(action, failed):
    """None: the action runs; "": skipped (its item or VG failed); else why its filesystem
    is not mounted (it lies inside one that failed)."""
    item = action.item
    vg = item.split(" ", 1)[0]
    if item in failed or (vg != item and vg in failed):
        return ""
    point = item.split(" fs:", 1)[1] if " fs:" in item else None
    parent = next((k.split(" fs:", 1)[1] for k in list(failed) if isinstance(k, str)
                   and " fs:" in k and point and _inside(point, k.split(" fs:", 1)[1])),
                  None)
    if parent is not None:
        return "%s not mounted: it is inside %s, which is not mounted" % (point, parent)
    return None


def _describe(action, result):
    if not lvm.is_fsck(action.argv):
        return result.describe_failure()
    point = action.argv[-1]
    said = [line.strip() for line in (result.stderr + result.stdout).splitlines()
            if line.strip()]
    return ("%s failed its check and is not mounted (fsck exit %s%s); repair it (fsck -y "
            "%s), then run `aixdr-agent run --resume --yes` or reboot" % (
                point, result.rc, ": " + said[-1][:120] if said else "", point))


def _no_inventory(ctx):
    """A site change without an inventory: what is left to import by hand, as the failure
    text (the disks whose PVIDs no VG claims, the VGs defined here but varied off, and the
    import an admin would run), or None when nothing is (every disk's VG is varied on)."""
    pvs = lvm.lspv(ctx.runner)
    status = lvm.disks(ctx.runner)
    free = [pv for pv in pvs if pv.pvid and pv.vg is None
            and status.get(pv.name) == "Available"]
    online = set(lvm.vg_names(ctx.runner, online=True))
    # A concurrent-capable VG stays varied off (the cluster manager varies it on); its
    # capability is read with lsattr, which works while the VG is varied off.
    offline = sorted(vg for vg in {pv.vg for pv in pvs if pv.vg and pv.vg != "rootvg"
                                   and pv.vg not in online
                                   and status.get(pv.name) == "Available"}
                     if not lvm.concurrent_capable_offline(ctx.runner, vg))
    if not free and not offline:
        return None
    parts = ["no inventory, so the data VGs of this LPAR are unknown"]
    if free:
        parts.append("disks with a PVID that no VG claims: %s" % ", ".join(
            "%s (%s)" % (pv.name, pv.pvid) for pv in free))
    if offline:
        parts.append("VGs defined here but varied off: %s" % ", ".join(offline))
    parts.append("import each VG by hand with production's name and major number (importvg "
                 "-y VGNAME -V MAJOR %s; exportvg first a VG still defined from the other "
                 "site), then run `aixdr-agent run --resume --yes` (or reboot); once the site "
                 "change is done, `aixdr-agent capture` so the next one has an inventory"
                 % (free[0].name if free else "hdiskN"))
    return "; ".join(parts)
