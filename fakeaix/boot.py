"""host.reboot(): boot this rootvg image, possibly in another partition or frame.

Order of a boot: identity (frame, LPAR, partition NVRAM) -> visible LUNs -> ODM reset decision
(clouddev / ghostdev, COMMANDS.md 1.3) -> device configuration (boot-time cfgmgr) -> rootvg and
auto-on VGs varied on -> filesystems mounted -> the running network from the ODM (rc.net) ->
SRC subsystems started.
"""

import time

from fakeaix import devcfg, netstate

NETWORK_CLASSES = ("if", "tcpip")


class BootError(Exception):
    pass


def machine_id_for(systemid):
    """uname -m: 00 + 6 hex digits tied to the frame + 4C00."""
    serial = systemid.split(",")[-1]
    h = 0
    for ch in serial:
        h = (h * 131 + ord(ch)) & 0xFFFFFF
    return "00%06X4C00" % h


def set_identity(m, systemid=None, lpar=None):
    sys0 = m["sys0"]
    if systemid is not None and systemid != sys0.get("systemid"):
        sys0["systemid"] = systemid
        mid = machine_id_for(systemid)
        m["aix"]["machine_id"] = mid
        sys0["id_to_system"] = "0X8000%s000000" % mid[2:8]
    if lpar is not None:
        m["lpar"].update(lpar)
    num = int(m["lpar"].get("number", 1))
    base = sys0.get("id_to_system", "0X800005AB1C200000")
    sys0["id_to_partition"] = base[:-2] + "%02X" % (num & 0xFF)


def _partition_id(m):
    return "%s/%s" % (m["sys0"].get("systemid", ""), m["lpar"].get("number", ""))


def set_visible(m, disks):
    """disks: LUN ids (or LUN dicts with an "id") now visible, in discovery order."""
    luns = m["luns"]
    order = []
    for d in disks:
        if isinstance(d, dict):
            d = dict(d)
            lun_id = d.pop("id")
            luns[lun_id] = dict(luns.get(lun_id, {}), **d)
        else:
            lun_id = d
            if lun_id not in luns:
                raise BootError("unknown LUN %s" % lun_id)
        order.append(lun_id)
    chosen = set(order)
    new = {k: luns[k] for k in order}
    for k, v in luns.items():
        if k not in chosen:
            new[k] = v
    for k, v in new.items():
        v["visible"] = k in chosen
    m["luns"] = new


def boot_lun(m):
    vgid = devcfg.rootvg_vgid(m)
    for lun_id, lun in m["luns"].items():
        if lun.get("visible") and lun.get("vgid") == vgid and vgid is not None:
            return lun_id
    raise BootError("no visible LUN carries rootvg (LED 554)")


def _keeps(path, names):
    base = path.rsplit("/", 1)[-1]
    return base in names or (base.startswith("r") and base[1:] in names)


def reset_odm(m, boot):
    """ghostdev-style cleanup: customized devices deleted and rediscovered."""
    keep_net = not m.knob("odm_reset_network")
    old = m.devices
    devices = {}
    for name, dev in old.items():
        cls = dev.get("class")
        if cls == "sys":
            devices[name] = dev
        elif cls in NETWORK_CLASSES:
            if not keep_net and dev.get("type") != "lo":
                dev["attrs"] = {}
            devices[name] = dev
        elif cls in ("adapter", "driver"):
            dev["attrs"] = {}
            dev["status"] = "Available"
            devices[name] = dev
    lun = m["luns"][boot]
    devices["hdisk0"] = devcfg.new_disk("hdisk0", boot, lun)
    m["devices"] = devices
    vgs = m["vgs"]
    root = vgs.get("rootvg")
    m["vgs"] = {"rootvg": root} if root else {}
    keep = set(root.get("lvs", {})) | {"rootvg"} if root else {"rootvg"}
    m["dev_files"] = {p: f for p, f in m["dev_files"].items() if _keeps(p, keep)}
    m["boot"]["odm_reset"] = True


def decide_reset(m, old_identity):
    sys0 = m["sys0"]
    nvram = m["partition"].setdefault("nvram", {})
    if sys0.get("clouddev") == "1" and nvram.get("ibm,aix-clearODMdata") != "false":
        return True
    if sys0.get("ghostdev") in m.knob("ghostdev_values_reset"):
        return old_identity != (sys0.get("systemid"), m["lpar"].get("number"),
                                m["partition"].get("id"))
    return False


def mount_at_boot(m, now):
    """rc.boot mounts the `automatic` filesystems, then /etc/rc runs `mount all`."""
    from fakeaix.cmd_fs import do_mount

    lvidx = m.lv_index()
    for wanted in ("automatic", "true"):
        for mp, st in m["filesystems"].items():
            if st.get("mount") == wanted:
                do_mount(m, mp, st, now, lvidx=lvidx)


def start_src(m):
    src = m["src"]
    src["active"] = True
    for sub in src.get("subsystems", {}).values():
        if sub.get("autostart"):
            sub["status"], sub["pid"] = "active", m.next_pid()
        else:
            sub["status"], sub["pid"] = "inoperative", None


def reboot(m, systemid=None, lpar=None, partition=None, disks=None, odm_reset=None,
           late_disks=None, defined_disks=None, now=None):
    """late_disks: LUNs presented only after boot (no hdisk, or a Defined one, until
    cfgmgr); defined_disks: LUNs whose hdisk the boot defines but cannot configure (Defined
    until cfgmgr / mkdev). Returns whether the ODM was reset."""
    now = time.time() if now is None else now
    old_identity = (m["sys0"].get("systemid"), m["lpar"].get("number"),
                    m["partition"].get("id"))
    set_identity(m, systemid, lpar)
    if disks is not None:
        set_visible(m, disks)
    boot = boot_lun(m)
    if isinstance(partition, dict):
        part = {"id": partition.get("id") or _partition_id(m),
                "nvram": dict(partition.get("nvram", {})),
                "bootlist": partition.get("bootlist")}
    else:
        pid = partition or _partition_id(m)
        part = m["partition"] if pid == m["partition"].get("id") else {"id": pid, "nvram": {}}
    if part.get("bootlist") is None:  # a new NVRAM names the disk the firmware booted
        name = next((n for n, d in m.devices.items() if d.get("lun") == boot), "hdisk0")
        part["bootlist"] = {"normal": [{"device": name, "lun": boot, "attrs": []}],
                            "service": []}
    m["partition"] = part
    reset = decide_reset(m, old_identity) if odm_reset is None else bool(odm_reset)
    late = set(late_disks or ())
    m["boot"]["odm_reset"] = False
    if reset:
        reset_odm(m, boot)
        if m["sys0"].get("clouddev") == "1":
            m["partition"]["nvram"]["ibm,aix-clearODMdata"] = "false"
        devcfg.configure(m, exclude=late)
    else:
        for dev in m.devices.values():
            if dev.get("class") == "disk":
                lun = m["luns"].get(dev.get("lun") or "")
                if lun and lun.get("visible") and dev.get("lun") not in late:
                    dev["status"] = "Available"
                    dev["pvid"] = lun.get("pvid")
                else:
                    dev["status"] = "Defined"
        devcfg.ensure_lun(m, boot)
        if m.knob("boot_cfgmgr"):
            devcfg.configure(m, exclude=late)
    if defined_disks:
        wanted = set(defined_disks)
        for dev in m.devices.values():
            if dev.get("class") == "disk" and dev.get("lun") in wanted:
                dev["status"] = "Defined"
    _vary_on_at_boot(m)
    m["mounts"] = []
    m["net"]["routes"] = []
    netstate.apply_odm_network(m)
    mount_at_boot(m, now)
    start_src(m)
    m["boot"].update({"time": now, "lun": boot,
                      "count": int(m["boot"].get("count", 0)) + 1})
    return reset


def _vary_on_at_boot(m):
    have = m.available_pvids()
    vgdas = m["vgdas"]
    for name, vg in m["vgs"].items():
        vg["varied_on"] = False
        vg.pop("concurrent_mode", None)
        if name == "rootvg":
            vg["varied_on"] = True
            vg["varyon_seq"] = m.next_seq()
            continue
        vgda = vgdas.get(vg["vgid"], {})
        if not m.knob("boot_auto_varyon") or not vgda.get("auto_on", True):
            continue
        if vgda.get("concurrent"):
            continue
        if all(p in have for p in vg.get("pvids", [])):
            vg["varied_on"] = True
            vg["varyon_seq"] = m.next_seq()
