"""The simulated machine: a JSON-able dict with helpers (schema in fakeaix/README.md)."""

import time

SCHEMA = "fakeaix/machine/v1"

# Knobs for facts COMMANDS.md tags [U]; a machine's "behaviour" section overrides them.
BEHAVIOUR_DEFAULTS = {
    "latency": {},              # {"cfgmgr": 2.0, "chdev -l sys0": 0.5, "*": 0}
    "hang": [],                 # argv prefixes that sleep forever (lock released first)
    "fail": [],                 # [{"match": "importvg -y datavg", "rc": 1, "stderr": "...",
                                #   "stdout": "", "times": 1, "when": "before"|"after"}]
    "kill_agent": None,         # {"at": N, "when": "before"|"after", "count": "mutating"|"all"}:
                                #   the Nth counted call SIGKILLs its caller (a power cut)
    "exit_codes": {"lsattr": 255, "lsdev": 255, "cfg": 1},
    "delroute_live_absent": "remove_odm",   # or "fail": chdev delroute= of a route not in
                                            # the live table leaves the ODM value
    "delalias4_missing": "fail",            # or "ignore"
    "lspv_shows_defined": True,             # Defined hdisks listed by lspv
    "lspv_varied_off_rc": 1,                # exit of `lspv hdiskN` when the VG is varied off
    "odm_reset_network": False,             # ODM reset also clears en*/inet0 attributes
    "boot_cfgmgr": True,                    # boot configures new LUNs (else: only known ones)
    "boot_auto_varyon": True,               # boot varies on VGs with auto_on and all PVs
    "bootlist_unmapped": "name",            # bootlist -o of an entry whose disk is gone:
                                            # "name" (the name it was set with) or "omit"
    "mount_already_mounted": "0506-333",    # or "busy" (0506-324 ... resource is busy)
    "inet0_hostname_sets_running": True,
    "nim_unreachable": "hang",              # nimclient with the master unreachable: or "fail"
    "first_free_major": 35,
    "lsvg_o_order": "recent",               # or "odm"
    "mktcpip_S_stream": "stdout",           # or "stderr" (4.1 behaviour)
    "cfgmgr_warnings": [],                  # lines cfgmgr prints on stderr (exit stays 0)
    "ghostdev_values_reset": ["1", "2", "3"],  # ghostdev values that reset on identity change
    "lsrpdomain_none": "nothing",           # lsrpdomain on a node in no peer domain: or
                                            # "header" (its header line alone)
}

DEFAULT_INITTAB = """\
: @(#)49        1.28.2.7  src/bos/etc/inittab/inittab, cmdoper, bos720, 1234A_720 1/1/12
:
: COMPONENT_NAME: CMDOPER
:
: Note - initdefault and sysinit should be the first and second entry.
:
init:2:initdefault:
brc::sysinit:/sbin/rc.boot 3 >/dev/console 2>&1 # Phase 3 of system boot
powerfail::powerfail:/etc/rc.powerfail 2>&1 | alog -tboot > /dev/console # Power Failure Detection
load64bit:2:wait:/etc/methods/cfg64 >/dev/console 2>&1 # Enable 64-bit execs
tunables:23456789:wait:/usr/sbin/tunrestore -R > /dev/console 2>&1 # Set tunables
securityboot:2:bootwait:/etc/rc.security.boot > /dev/console 2>&1
rc:23456789:wait:/etc/rc 2>&1 | alog -tboot > /dev/console # Multi-User checks
fbcheck:23456789:wait:/usr/sbin/fbcheck 2>&1 | alog -tboot > /dev/console # run /etc/firstboot
srcmstr:23456789:respawn:/usr/sbin/srcmstr # System Resource Controller
rctcpip:23456789:wait:/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons
rcnfs:23456789:wait:/etc/rc.nfs > /dev/console 2>&1 # Start NFS Daemons
cron:23456789:respawn:/usr/sbin/cron
piobe:2:wait:/usr/lib/lpd/pio/etc/pioinit >/dev/null 2>&1  # pb cleanup
qdaemon:23456789:wait:/usr/bin/startsrc -sqdaemon
writesrv:23456789:wait:/usr/bin/startsrc -swritesrv
uprintfd:23456789:respawn:/usr/sbin/uprintfd
shdaemon:2:off:/usr/sbin/shdaemon >/dev/console 2>&1 # High availability daemon
l2:2:wait:/etc/rc.d/rc 2
l3:3:wait:/etc/rc.d/rc 3
l4:4:wait:/etc/rc.d/rc 4
l5:5:wait:/etc/rc.d/rc 5
l6:6:wait:/etc/rc.d/rc 6
l7:7:wait:/etc/rc.d/rc 7
l8:8:wait:/etc/rc.d/rc 8
l9:9:wait:/etc/rc.d/rc 9
cons:0123456789:respawn:/usr/sbin/getty /dev/console
platform_agent:2:once:/usr/bin/startsrc -s platform_agent >/dev/null 2>&1
cimservices:2:once:/usr/bin/startsrc -s cimsys >/dev/null 2>&1
ctrmc:2:once:/usr/bin/startsrc -s ctrmc > /dev/console 2>&1
pfcdaemon:2:once:/usr/bin/startsrc -s pfcdaemon > /dev/console 2>&1
nimsh:2:wait:/usr/bin/startsrc -g nimclient >/dev/console 2>&1
"""


def empty():
    """A machine with every section present and nothing configured."""
    from fakeaix import odm

    return {
        "schema": SCHEMA,
        "aix": {"version": "7", "release": "2", "oslevel": "7200-05-03-2148",
                "machine_id": "00F8A1B24C00"},
        "sys0": odm.sys0_defaults(),
        "lpar": {"number": 1, "name": "lpar1", "type": "Shared-SMT-8", "mode": "Uncapped",
                 "vcpus": 2, "max_vcpus": 8, "memory_mb": 16384, "max_memory_mb": 32768},
        "partition": {"id": "", "nvram": {}, "bootlist": {"normal": [], "service": []}},
        "boot": {"time": time.time(), "lun": None, "count": 1, "odm_reset": False},
        "devices": {},
        "luns": {},
        "vgdas": {},
        "vgs": {},
        "filesystems": {},
        "mounts": [],
        "dirs": ["/"],
        "dev_files": {},
        "net": {"hostname": "", "nodename": "", "interfaces": {}, "routes": []},
        "files": {"/etc/inittab": DEFAULT_INITTAB},
        "src": {"active": True, "next_pid": 4128934, "subsystems": {}},
        "errlog": [],
        "filesets": {},
        "rsct": {"node_id": "0000000000000000", "domains": []},
        "nim": {"reachable": True},
        "users": {"root": 0},
        "groups": {"system": 0},
        "seq": 0,
        "behaviour": {},
    }


SECTIONS = ("schema", "aix", "sys0", "lpar", "partition", "boot", "devices", "luns", "vgdas",
            "vgs", "filesystems", "mounts", "dirs", "dev_files", "net", "files", "src",
            "errlog", "filesets", "rsct", "nim", "users", "groups", "seq", "behaviour")


def normalize(data):
    """Fill sections a hand-written machine left out (never overwrites)."""
    if all(k in data for k in SECTIONS):
        return data
    base = empty()
    for k, v in base.items():
        if k not in data:
            data[k] = v
    return data


class Machine:
    """The whole simulated state. ``data`` is the JSON document; helpers read and change it."""

    def __init__(self, data=None):
        self.data = normalize(data if data is not None else empty())

    @classmethod
    def from_dict(cls, data):
        import copy

        return cls(copy.deepcopy(data))

    def to_dict(self):
        return self.data

    def __getitem__(self, key):
        return self.data[key]

    def __setitem__(self, key, value):
        self.data[key] = value

    def __contains__(self, key):
        return key in self.data

    # --- knobs ------------------------------------------------------------------------
    def knob(self, name):
        b = self.data.get("behaviour") or {}
        if name in b:
            return b[name]
        return BEHAVIOUR_DEFAULTS[name]

    def exit_code(self, cmd):
        codes = dict(BEHAVIOUR_DEFAULTS["exit_codes"])
        codes.update((self.data.get("behaviour") or {}).get("exit_codes") or {})
        return codes.get(cmd, codes["cfg"])

    def next_seq(self):
        self.data["seq"] = self.data.get("seq", 0) + 1
        return self.data["seq"]

    def next_pid(self):
        src = self.data["src"]
        pid = src.get("next_pid", 4128934)
        src["next_pid"] = pid + 65538
        return pid

    # --- devices ----------------------------------------------------------------------
    @property
    def devices(self):
        return self.data["devices"]

    def device(self, name):
        """A CuDv entry: a real device, or a volume group / logical volume of the ODM
        (class logical_volume, computed from machine["vgs"])."""
        dev = self.data["devices"].get(name)
        if dev is None:
            dev = self.lvm_device(name)
        return dev

    def lvm_device(self, name):
        vgs = self.data["vgs"]
        vg = vgs.get(name)
        if vg is not None:
            vgda = self.data["vgdas"].get(vg["vgid"], {})
            return {"class": "logical_volume", "subclass": "vgsubclass", "type": "vgtype",
                    "status": "Defined", "location": "", "pseudo": True, "attrs": {
                        "auto_on": "y" if vgda.get("auto_on", True) else "n",
                        "conc_capable": "y" if vgda.get("concurrent") else "n",
                        "pv": [p + "0000000000000000" for p in vg.get("pvids", [])],
                        "timestamp": "%016x" % (int(vg.get("varyon_seq", 0)) + 0x5e4c7a1c00),
                        "vgserial_id": vg["vgid"]}}
        for vgname, vg in vgs.items():
            if name in vg.get("lvs", {}):
                lv = self.data["vgdas"].get(vg["vgid"], {}).get("lvs", {}).get(
                    vg["lvs"][name], {})
                minor = list(vg["lvs"]).index(name) + 1
                return {"class": "logical_volume", "subclass": "lvsubclass", "type": "lvtype",
                        "status": "Defined", "location": "", "parent": vgname, "pseudo": True,
                        "attrs": {"copies": str(lv.get("copies", 1)),
                                  "label": lv.get("mount") or "None",
                                  "lvserial_id": "%s.%d" % (vg["vgid"], minor),
                                  "size": str(lv.get("lps", 0)),
                                  "type": lv.get("type", "jfs2")}}
        return None

    def lvm_device_names(self):
        """VGs and their LVs in ODM order, as lsdev -C lists them after the hardware."""
        out = []
        for vgname, vg in self.data["vgs"].items():
            out.append(vgname)
            out.extend(vg.get("lvs", {}))
        return out

    def disk_names(self):
        return [n for n, d in self.data["devices"].items() if d.get("class") == "disk"]

    def lun_to_disk(self):
        """LUN id -> hdisk name; an Available device wins over a Defined one."""
        out = {}
        for name, d in self.data["devices"].items():
            lun = d.get("lun")
            if lun is None:
                continue
            if lun not in out or d.get("status") == "Available":
                out[lun] = name
        return out

    def available_pvids(self):
        """PVID -> hdisk name, for Available disks only."""
        out = {}
        for name, d in self.data["devices"].items():
            if d.get("class") == "disk" and d.get("status") == "Available" and d.get("pvid"):
                out.setdefault(d["pvid"], name)
        return out

    def vg_by_pvid(self):
        """PVID -> ODM volume group name."""
        out = {}
        for vgname, vg in self.data["vgs"].items():
            for p in vg.get("pvids", []):
                out[p] = vgname
        return out

    def lv_index(self):
        """ODM LV name -> (vg name, VGDA LV record)."""
        out = {}
        vgdas = self.data["vgdas"]
        for vgname, vg in self.data["vgs"].items():
            vgda = vgdas.get(vg["vgid"], {})
            lvs = vgda.get("lvs", {})
            for odm_name, vgda_name in vg.get("lvs", {}).items():
                out[odm_name] = (vgname, lvs.get(vgda_name, {}))
        return out

    # --- files ------------------------------------------------------------------------
    def file_lines(self, path):
        text = self.data["files"].get(path)
        if text is None:
            return None
        return text.splitlines()

    def set_file_lines(self, path, lines):
        self.data["files"][path] = "".join(line + "\n" for line in lines)

    # --- identity ---------------------------------------------------------------------
    @property
    def hostname(self):
        return self.data["net"].get("hostname", "")

    @property
    def systemid(self):
        return self.data["sys0"].get("systemid", "")
