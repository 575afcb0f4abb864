"""Device configuration shared by cfgmgr, mkdev and boot: LUNs -> hdisk devices."""

import re

_HDISK = re.compile(r"^hdisk(\d+)$")

DISK_DEFAULTS = {"class": "disk", "subclass": "fcp", "type": "mpioosdisk", "parent": "fscsi0"}


def new_disk(name, lun_id, lun):
    dev = dict(DISK_DEFAULTS)
    dev.update({
        "status": "Available",
        "location": lun.get("location", "C5-T1-01"),
        "description": lun.get("description", "MPIO IBM 2076 FC Disk"),
        "parent": lun.get("parent", "fscsi0"),
        "lun": lun_id,
        "pvid": lun.get("pvid"),
        "attrs": {},
    })
    return dev


class HdiskNumbers:
    """Hands out the lowest free hdiskN numbers, O(n) overall."""

    def __init__(self, devices):
        self.used = set()
        for name in devices:
            mt = _HDISK.match(name)
            if mt:
                self.used.add(int(mt.group(1)))
        self.next = 0

    def take(self):
        while self.next in self.used:
            self.next += 1
        self.used.add(self.next)
        return "hdisk%d" % self.next


def configure(m, exclude=(), only=None):
    """cfgmgr: Defined disks whose LUN is visible become Available (PVID re-read from disk);
    visible LUNs without a disk get the next free hdiskN in LUN discovery order.
    ``exclude``: LUN ids not (yet) seen; ``only``: restrict to these device names.
    Returns the names of newly defined disks."""
    exclude = set(exclude)
    luns = m["luns"]
    devices = m.devices
    known = set()
    for name, dev in devices.items():
        lun_id = dev.get("lun")
        if lun_id is None:
            continue
        known.add(lun_id)
        if only is not None and name not in only:
            continue
        lun = luns.get(lun_id)
        if lun is not None and lun.get("visible") and lun_id not in exclude:
            dev["status"] = "Available"
            dev["pvid"] = lun.get("pvid")
    if only is not None:
        return []
    numbers = None
    created = []
    for lun_id, lun in luns.items():
        if not lun.get("visible") or lun_id in known or lun_id in exclude:
            continue
        if numbers is None:
            numbers = HdiskNumbers(devices)
        name = numbers.take()
        devices[name] = new_disk(name, lun_id, lun)
        created.append(name)
    return created


def ensure_lun(m, lun_id):
    """The boot disk is configured in boot phase 1 whatever else happens."""
    for name, dev in m.devices.items():
        if dev.get("lun") == lun_id:
            dev["status"] = "Available"
            dev["pvid"] = m["luns"][lun_id].get("pvid")
            return name
    name = HdiskNumbers(m.devices).take()
    m.devices[name] = new_disk(name, lun_id, m["luns"][lun_id])
    return name


def rootvg_vgid(m):
    vg = m["vgs"].get("rootvg")
    return vg["vgid"] if vg else None
