"""The inventory: what the data VGs, rootvg, the tuned device attributes and
the network of this LPAR look like, recorded while it is settled on a site, so that the
replica booted elsewhere knows what to import, mount and restore.

Read-only: every command here is a query. Batched: one lsvg, lsvg -l, ls -l for all VGs.
"""

import ipaddress
import time

from .aix import lsdev, lvm, namerslv
from .aix.bootlist import normal_list
from .aix.devattr import DeviceMissing, first, read_attrs
from .aix.hostent import read_hosts
from .aix.inet0 import parse_route_attr
from .aix.inittab import lsitab
from .engine import iso
from .steps._net import same_host


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
    network = observe_network(runner, pvs)
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
    wanted = config.device_attributes
    if not wanted:
        return {}
    out = {}
    names = [d.name for d in lsdev.devices(runner)]
    for name in names:
        for prefix, attrs in wanted.items():
            if _is_instance(name, prefix):
                try:
                    values = read_attrs(runner, name, sorted(attrs))
                except DeviceMissing:
                    continue
                out[name] = {a: first(values, a) for a in sorted(attrs)}
    return out


def _is_instance(name, prefix):
    """hdisk12 is an instance of class prefix hdisk; hdiskpower1 is not."""
    return name.startswith(prefix) and name[len(prefix):].isdigit()


def _inittab(runner):
    entry = lsitab(runner, "nimclient")
    if entry is None:
        return {}
    return {"nimclient": {"action": entry.action, "record": entry.record()}}


def observe_network(runner, pvs=None):
    """The live network as a site profile: hostname, interfaces with aliases, gateway,
    routes, DNS, nimclient and bootlist."""
    inet0 = read_attrs(runner, "inet0", ["hostname", "route"])
    gateway, routes = None, []
    for value in inet0.get("route", []):
        route = parse_route_attr(value)
        if route.is_default:
            gateway = gateway or route.gateway
        else:
            routes.append({"destination": _cidr(route.destination, route.netmask),
                           "gateway": route.gateway})
    interfaces = []
    ifs = lsdev.interfaces(runner)
    for dev in ifs:
        if dev.status != "Available" or not dev.name.startswith(("en", "et")):
            continue
        try:
            attrs = read_attrs(runner, dev.name, ["netaddr", "netmask", "alias4", "state"])
        except DeviceMissing:
            continue
        address = first(attrs, "netaddr")
        if not address or first(attrs, "state") != "up":
            continue    # not configured: a detached interface keeps its old netaddr
        iface = {"name": dev.name, "address": address, "netmask": first(attrs, "netmask")}
        aliases = [v.replace(",", "/") for v in attrs.get("alias4", [])]
        if aliases:
            iface["aliases"] = aliases
        interfaces.append(iface)
    resolver = namerslv.resolver(runner)
    dns = {"nameservers": list(resolver.nameservers)}
    if resolver.domain:
        dns["domain"] = resolver.domain
    if resolver.search:
        dns["search"] = list(resolver.search)
    profile = {"hostname": first(inet0, "hostname") or None, "interfaces": interfaces}
    if gateway:
        profile["gateway"] = gateway
    if routes:
        profile["routes"] = routes
    profile["dns"] = dns
    profile["hosts"] = _own_hosts_lines(runner, profile["hostname"], interfaces)
    nim = _inittab(runner).get("nimclient")
    if nim:
        profile["nimclient"] = "disabled" if nim["action"] == "off" else "enabled"
    boot = normal_list(runner)
    rootvg_disks = [pv.name for pv in (pvs if pvs is not None else lvm.lspv(runner))
                    if pv.vg == "rootvg"]
    if boot:
        profile["bootlist"] = "rootvg" if sorted(boot) == sorted(rootvg_disks) else boot
    return profile


def _own_hosts_lines(runner, hostname, interfaces):
    """The host's own /etc/hosts lines: those of its addresses and those that carry its
    host name (short or qualified), as {"address", "names"}, in file order. Failback
    puts them back as they were."""
    addresses = set()
    for iface in interfaces:
        addresses.add(iface["address"])
        addresses.update(a.split("/")[0] for a in iface.get("aliases") or ())
    out = []
    for line in read_hosts(runner):
        if line.address.startswith("127."):
            continue
        if line.address in addresses or any(same_host(n, hostname) for n in line.names):
            out.append({"address": line.address, "names": list(line.names)})
    return out


def _cidr(destination, netmask):
    if not netmask:
        return "%s/32" % destination
    return str(ipaddress.IPv4Network("%s/%s" % (destination, netmask), strict=False))
