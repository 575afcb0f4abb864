"""The inventory: what the data VGs, rootvg, the tuned device attributes and
the network of this LPAR look like, recorded while it is settled on a site, so that the
replica booted elsewhere knows what to import, mount and restore.

Read-only: every command here is a query. Batched: one lsvg, lsvg -l, ls -l for all VGs.
"""

import time

from .aix import lsdev, lvm
from .aix.devattr import first, read_attrs_bulk
from .aix.inittab import lsitab
from .record import iso


def capture(runner, config, site=None, identity=None, previous=None):
    """The inventory document (not yet written)."""
    previous = previous or {}
    pvs = lvm.lspv(runner)
    online = set(lvm.vg_names(runner, online=True))
    known = [v for v in lvm.vg_names(runner) if v != "rootvg"]
    details = lvm.vg_details(runner, [v for v in known if v in online])
    lvs = lvm.logical_volumes(runner, [v for v in known if v in online])
    fs_by_dev = {fs.device: fs for fs in lvm.filesystems(runner).values()}
    raw_paths = ["/dev/r%s" % lv.name for vg in lvs.values() for lv in vg
                 if lv.type not in lvm.NOT_RAW and lv.mount_point is None]
    # The VG's major number: that of /dev/VG, or of any of its LVs' special files.
    first_lvs = ["/dev/%s" % vg[0].name for vg in lvs.values() if vg]
    modes = lvm.file_modes(runner, ["/dev/%s" % v for v in known] + first_lvs + raw_paths)
    old_vgs = previous.get("volume_groups") or {}
    vgs = {}
    for name in known:
        if name not in online and name in old_vgs:
            # Varied off (a passive cluster node): keep what was seen while it was on.
            vgs[name] = dict(old_vgs[name], pvids=_pvids(pvs, name) or old_vgs[name]["pvids"])
            continue
        vgs[name] = _vg_record(name, pvs, details.get(name, {}), lvs.get(name, []), fs_by_dev,
                               modes)
        if name not in online:
            # `lsvg VG` refuses a varied-off VG (0516-010); its ODM attribute does not.
            vgs[name]["concurrent"] = lvm.concurrent_capable_offline(runner, name)
    if previous.get("site") != site:
        # Captured elsewhere and not (yet) imported here: keep the record from there. At
        # the same site a VG that is gone was removed on purpose, and is dropped.
        for name, rec in old_vgs.items():
            vgs.setdefault(name, rec)
    doc = {
        "captured": iso(time.time()),
        "site": site,
        "identity": identity.record() if identity is not None else None,
        "rootvg": {"pvids": _pvids(pvs, "rootvg"),
                   "disks": [pv.name for pv in pvs if pv.vg == "rootvg"]},
        "volume_groups": vgs,
        "device_attributes": _device_attributes(runner, config),
        "inittab": _inittab(runner),
    }
    network = observe_network(runner)
    doc["network"] = network
    observed = dict(previous.get("observed") or {})
    if site:
        observed[site] = network
    doc["observed"] = observed
    return doc


def _pvids(pvs, vg):
    return [pv.pvid for pv in pvs if pv.vg == vg and pv.pvid]


def _vg_record(name, pvs, info, lvs, fs_by_dev, modes):
    major = None
    for path in ["/dev/%s" % name] + ["/dev/%s" % lv.name for lv in lvs[:1]]:
        if path in modes and modes[path][3] is not None:
            major = modes[path][3]
            break
    filesystems = []
    raw = []
    for lv in lvs:
        fs = fs_by_dev.get("/dev/%s" % lv.name)
        if fs is not None and lv.type in lvm.FS_TYPES:
            filesystems.append({"mount_point": fs.mount_point, "device": fs.device,
                                "vfs": fs.vfs, "automount": fs.automount == "yes"})
        path = "/dev/r%s" % lv.name
        if path in modes:
            owner, group, mode, _ = modes[path]
            raw.append({"path": path, "owner": owner, "group": group, "mode": mode})
    return {
        "pvids": _pvids(pvs, name),
        "major": major,
        "concurrent": lvm.is_concurrent_capable(info),
        "vgid": info.get("VG IDENTIFIER"),
        "logical_volumes": [{"name": lv.name, "type": lv.type, "mount_point": lv.mount_point}
                            for lv in lvs],
        "filesystems": sorted(filesystems, key=lambda f: f["mount_point"]),
        "raw_devices": raw,
    }


def _device_attributes(runner, config):
    """The configured attributes of every instance of each device class, read as the
    devices step reads them: a few odmget queries for all devices, not one lsattr each
    (the daemon refreshes this hourly on LPARs with a thousand disks)."""
    wanted = config.device_attributes
    if not wanted:
        return {}
    names = [d.name for d in lsdev.devices(runner)]
    found = {}
    for prefix, attrs in sorted(wanted.items()):
        instances = [n for n in names if lsdev.is_instance(n, prefix)]
        bulk = read_attrs_bulk(runner, instances, sorted(attrs))
        for name, values in bulk.items():   # a device gone from the ODM is not there
            found[name] = {a: first(values, a) for a in sorted(attrs)}
    return {name: found[name] for name in names if name in found}    # in lsdev's order


def _inittab(runner):
    entry = lsitab(runner, "nimclient")
    if entry is None:
        return {}
    return {"nimclient": {"action": entry.action, "record": entry.record()}}


def observe_network(runner):
    """The live network as a site profile: hostname, interfaces with aliases, gateway,
    routes, DNS, nimclient and bootlist, each the part its step observes (Step.observed),
    with the queries that step's plan uses."""
    from .steps import registry  # lazy: every step; capture is the one command that asks them all

    profile = {}
    for step in registry():
        profile.update(step.observed(runner))
    return profile
