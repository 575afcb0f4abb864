"""Scenario builders: production LPAR aixprd01, and that rootvg booted at DR / rehearsal / LPM.

Values match the documented example configuration: prod frames IBM,0284AB12C and
IBM,0284AB13D, DR frame IBM,0211D11C1, rehearsal LPARs named *_drtest.
"""

import copy
import time

from fakeaix import boot, netstate, odm
from fakeaix.cmd_import import define_vg
from fakeaix.machine import DEFAULT_INITTAB, Machine, empty

PROD_SYSTEMID = "IBM,0284AB12C"
PROD2_SYSTEMID = "IBM,0284AB13D"
DR_SYSTEMID = "IBM,0211D11C1"
NIMCLIENT_LINE = "nimclient:2:once:/usr/sbin/nimclient -S running > /dev/console 2>&1"

HOSTS_HEAD = (
    "127.0.0.1               loopback localhost      # loopback (lo0) name/address\n"
    "::1                     loopback localhost      # IPv6 loopback (lo0) name/address\n"
)

ROOTVG_LVS = [
    # name, type, LPs, mount point, stanza extras
    ("hd5", "boot", 1, None),
    ("hd6", "paging", 64, None),
    ("hd8", "jfs2log", 1, None),
    ("hd4", "jfs2", 8, "/"),
    ("hd2", "jfs2", 48, "/usr"),
    ("hd9var", "jfs2", 16, "/var"),
    ("hd3", "jfs2", 16, "/tmp"),
    ("hd1", "jfs2", 4, "/home"),
    ("hd10opt", "jfs2", 16, "/opt"),
    ("hd11admin", "jfs2", 2, "/admin"),
    ("lg_dumplv", "sysdump", 16, None),
    ("livedump", "jfs2", 4, "/var/adm/ras/livedump"),
]
ROOT_STANZA = {"/": ("automatic", "bootfs", "root"), "/usr": ("automatic", "bootfs", "usr"),
               "/var": ("automatic", "bootfs", "var"), "/tmp": ("automatic", "bootfs", "tmp"),
               "/home": ("true", None, "/home"), "/opt": ("true", None, "/opt"),
               "/admin": ("true", None, "/admin"),
               "/var/adm/ras/livedump": ("true", None, "/var/adm/ras/livedump")}

SUBSYSTEMS = [
    # name, group, path, autostart
    ("syslogd", "ras", "/usr/sbin/syslogd", True),
    ("sendmail", "mail", "/usr/lib/sendmail", True),
    ("portmap", "portmap", "/usr/sbin/portmap", True),
    ("inetd", "tcpip", "/usr/sbin/inetd", True),
    ("snmpd", "tcpip", "/usr/sbin/snmpd", True),
    ("xntpd", "tcpip", "/usr/sbin/xntpd", False),
    ("sshd", "ssh", "/usr/sbin/sshd", True),
    ("nimsh", "nimclient", "/usr/sbin/nimsh", True),
    ("ctrmc", "rsct", "/usr/sbin/rsct/bin/rmcd", True),
    ("IBM.ConfigRM", "rsct_rm", "/usr/sbin/rsct/bin/IBM.ConfigRMd", True),
    ("ctcas", "rsct", "/usr/sbin/rsct/bin/ctcasd", False),
    ("qdaemon", "spooler", "/usr/sbin/qdaemon", True),
    ("writesrv", "spooler", "/usr/sbin/writesrv", True),
    ("lpd", "spooler", "/usr/sbin/lpd", False),
    ("aso", "", "/usr/sbin/aso", True),
]

FILESETS = {
    "bos.rte": ("7.2.5.100", "C", "F", "Base Operating System Runtime"),
    "bos.net.tcp.client": ("7.2.5.100", "C", "F", "TCP/IP Client Support"),
    "bos.sysmgt.nim.client": ("7.2.5.100", "C", "F", "Network Install Manager - Client Tools"),
    "rsct.core.rmc": ("3.2.6.2", "C", "F", "RSCT Resource Monitoring and Control"),
    "devices.vdevice.IBM.vfc-client.rte": ("7.2.5.100", "C", "F",
                                           "Virtual Fibre Channel Client Support"),
    "python3.9": ("3.9.19-1", "C", "R", "Python programming language"),
}


def pvid(i):
    return "00c8ab12%08x" % (0xd0e1f200 + i)


def vgid(i):
    return "00c8ab1200004c00000001%010x" % (0x84d2a6c1e5 + i)


def _lun(i, pv, vg, size_mb=102400):
    return {
        "pvid": pv, "vgid": vg, "size_mb": size_mb, "visible": True,
        "unique_id": "33213600507681081804890000000000%04d04214503IBMfcp" % i,
        "lun_id": "0x%x000000000000" % i,
        "location": "C5-T1-01", "description": "MPIO IBM 2076 FC Disk", "paths": 1,
    }


def _fs_stanza(dev, mount, log, vfs="jfs2", extra=None):
    st = {"dev": dev, "vfs": vfs}
    if log:
        st["log"] = log
    st.update({"mount": mount, "check": "false", "options": "rw", "account": "false"})
    if extra:
        st.update(extra)
    return st


def _lv(lvtype, lps, mount=None, auto=False, log=None, dirs=(), is_open=None):
    lv = {"type": lvtype, "lps": lps, "copies": 1, "mount": mount}
    if mount:
        lv["fs"] = {"vfs": lvtype, "log": log, "auto": auto, "options": "rw"}
        lv["dirs"] = list(dirs)
    if is_open is not None:
        lv["open"] = is_open
    return lv


class _Builder:
    def __init__(self, data):
        self.d = data
        self.m = Machine(data)
        self.lun_no = 0

    def disk(self, pv, vg, prefix="PRD", customised=True):
        i = self.lun_no
        self.lun_no += 1
        lun_id = "%s-%d" % (prefix, i)
        self.d["luns"][lun_id] = _lun(i, pv, vg)
        name = "hdisk%d" % i
        dev = {"class": "disk", "subclass": "fcp", "type": "mpioosdisk", "status": "Available",
               "location": "C5-T1-01", "description": "MPIO IBM 2076 FC Disk",
               "parent": "fscsi0", "lun": lun_id, "pvid": pv, "attrs": {}}
        if customised:
            dev["attrs"] = {"queue_depth": "32", "reserve_policy": "no_reserve"}
        self.d["devices"][name] = dev
        return name

    def vg(self, name, vid, major, pvids, lvs, concurrent=False, auto_on=True, varied_on=True,
           pp_size=64):
        """The VGDA on the disks, and the ODM side as an import made it long ago."""
        self.d["vgdas"][vid] = {"name": name, "major": major, "concurrent": concurrent,
                                "auto_on": auto_on, "pp_size": pp_size, "pvids": list(pvids),
                                "lvs": lvs}
        define_vg(self.m, name, vid, major, {n: n for n in lvs}, varied_on,
                  time.time() - 86400 * 200, stanzas=name != "rootvg")


def _devices(d):
    dev = d["devices"]
    dev["sys0"] = {"class": "sys", "subclass": "node", "type": "chrp", "status": "Available",
                   "location": "", "description": "System Object"}
    dev["inet0"] = {"class": "tcpip", "subclass": "TCPIP", "type": "inet",
                    "status": "Available", "location": "", "attrs": {}}
    dev["en0"] = {"class": "if", "subclass": "EN", "type": "en", "status": "Available",
                  "location": "", "parent": "ent0", "attrs": {}}
    dev["et0"] = {"class": "if", "subclass": "EN", "type": "et", "status": "Defined",
                  "location": "", "parent": "ent0", "attrs": {}}
    dev["lo0"] = {"class": "if", "subclass": "LO", "type": "lo", "status": "Available",
                  "location": "", "attrs": {}}
    dev["ent0"] = {"class": "adapter", "subclass": "vdevice", "type": "IBM,l-lan",
                   "status": "Available", "location": "", "attrs": {}}
    dev["vsa0"] = {"class": "adapter", "subclass": "vdevice", "type": "IBM,vty",
                   "status": "Available", "location": "", "attrs": {}}
    for i, slot in ((0, "C5-T1"), (1, "C6-T1")):
        dev["fcs%d" % i] = {"class": "adapter", "subclass": "vdevice", "type": "IBM,vfc-client",
                            "status": "Available", "location": slot, "attrs": {}}
        dev["fscsi%d" % i] = {"class": "driver", "subclass": "efcp", "type": "efscsi",
                              "status": "Available", "location": slot + "-01",
                              "parent": "fcs%d" % i,
                              "attrs": {"dyntrk": "yes", "fc_err_recov": "fast_fail"}}


def production_machine(hostname="aixprd01", lpar_number=5, lpar_name=None,
                       systemid=PROD_SYSTEMID, address="10.1.1.15", netmask="255.255.255.0",
                       aliases=("10.1.1.16", "10.1.1.17"), gateway="10.1.1.1",
                       routes=(("10.9.0.0", "255.255.0.0", "10.1.1.254"),),
                       nameservers=("10.1.0.53", "10.1.0.54"), domain="corp.example.com",
                       search=("corp.example.com",), clouddev="0", ghostdev="0",
                       has_clouddev=True, nimclient=True, cloud_init=False,
                       extra_vgs=0, extra_disks=0, free_disks=0, latency=None, behaviour=None,
                       powerha=False, rpdomain=None, extra_fs=0):
    """The production LPAR. ``extra_vgs`` more VGs (appvgNNN, major 60+N, one jfs2 filesystem
    /app/NNN each, at least one disk each) share ``extra_disks`` more disks; ``extra_fs``,
    when given, is their number of filesystems in all (/app/NNN, /app/NNN_1, ...);
    ``free_disks`` disks (and extra_disks without extra_vgs) carry a PVID and no VG."""
    d = empty()
    now = time.time()
    b = _Builder(d)
    _devices(d)
    d["dirs"] = ["/"]
    d["aix"]["machine_id"] = boot.machine_id_for(systemid)
    d["sys0"] = odm.sys0_defaults()
    d["sys0"].update({"clouddev": clouddev, "ghostdev": ghostdev,
                      "os_uuid": "5d1c7a0e-3b9f-4e21-9a6d-0c2f8e7b4a11"})
    if not has_clouddev:
        del d["sys0"]["clouddev"]
    d["lpar"].update({"number": lpar_number, "name": lpar_name or hostname})
    boot.set_identity(Machine(d), systemid, None)

    # rootvg on hdisk0
    root_lvs = {n: _lv(t, lps, mp, is_open=(t in ("paging", "sysdump", "jfs2log")))
                for n, t, lps, mp in ROOTVG_LVS}
    for lv in root_lvs.values():
        if lv.get("fs"):
            lv["fs"]["log"] = "/dev/hd8"
    root_pv = pvid(0)
    b.disk(root_pv, vgid(0))
    b.vg("rootvg", vgid(0), 10, [root_pv], root_lvs)
    fsys = d["filesystems"]
    for n, _t, _lps, mp in ROOTVG_LVS:
        if mp:
            mount, ftype, vol = ROOT_STANZA[mp]
            extra = {"type": ftype} if ftype else {}
            extra["vol"] = vol
            fsys[mp] = _fs_stanza("/dev/" + n, mount, "/dev/hd8", extra=extra)
    fsys["/proc"] = {"dev": "/proc", "vol": "\"/proc\"", "mount": "true", "check": "false",
                     "free": "false", "vfs": "procfs"}
    # directories of the rootvg filesystems (mount points of data VGs live there)
    d["dirs"] = ["/"] + [mp for _, _, _, mp in ROOTVG_LVS if mp and mp != "/"] + [
        "/proc", "/etc", "/dev", "/var/adm", "/var/adm/ras", "/data", "/oracle", "/app"]

    # datavg on hdisk1+hdisk2
    pv1, pv2 = pvid(1), pvid(2)
    b.disk(pv1, vgid(1))
    b.disk(pv2, vgid(1))
    b.vg("datavg", vgid(1), 50, [pv1, pv2], {
        "loglv00": _lv("jfs2log", 1),
        "datalv01": _lv("jfs2", 1600, "/data", auto=True, log="/dev/loglv00",
                        dirs=["archive"]),
        "datalv02": _lv("jfs2", 560, "/data/archive", auto=True, log="/dev/loglv00"),
    })
    # concvg (concurrent-capable) on hdisk3
    pv3 = pvid(3)
    b.disk(pv3, vgid(2))
    b.vg("concvg", vgid(2), 51, [pv3], {"conclv01": _lv("raw", 100)}, concurrent=True,
         auto_on=False, varied_on=False)
    # oravg on hdisk4
    pv4 = pvid(4)
    b.disk(pv4, vgid(3))
    b.vg("oravg", vgid(3), 52, [pv4], {
        "loglv01": _lv("jfs2log", 1),
        "oralv01": _lv("jfs2", 400, "/oracle", auto=True, log="/dev/loglv01"),
        "oraraw01": _lv("raw", 32),
        "oraraw02": _lv("raw", 32),
    })
    for lv in ("oraraw01", "oraraw02"):
        d["dev_files"]["/dev/r" + lv].update({"owner": "oracle", "group": "dba"})

    # benchmark fleet: more VGs (at least one disk each) sharing extra_disks
    n = 4
    if not extra_vgs:
        free_disks += extra_disks
    for v in range(extra_vgs):
        per = extra_disks // extra_vgs + (1 if v < extra_disks % extra_vgs else 0)
        per = max(per, 1)
        pvs = []
        for _ in range(per):
            n += 1
            pvs.append(pvid(n))
            b.disk(pvs[-1], vgid(10 + v))
        lvs = {}
        count = (extra_fs // extra_vgs + (1 if v < extra_fs % extra_vgs else 0)
                 if extra_fs else 1)
        for k in range(max(count, 1)):
            mp = "/app/%03d" % v + ("_%d" % k if k else "")
            d["dirs"].append(mp)
            lvs["applv%03d" % v + ("_%d" % k if k else "")] = _lv("jfs2", 100, mp, auto=True,
                                                                   log="INLINE")
        b.vg("appvg%03d" % v, vgid(10 + v), 60 + v, pvs, lvs)
    for _ in range(free_disks):
        n += 1
        b.disk(pvid(n), None)

    # network: ODM, then the running state as rc.net builds it
    en0 = d["devices"]["en0"]["attrs"]
    en0.update({"netaddr": address, "netmask": netmask, "state": "up",
                "alias4": ["%s,%s" % (a, netmask) for a in aliases]})
    inet_routes = []
    if gateway:
        inet_routes.append(netstate.route_attr({"dest": "default", "gateway": gateway}))
    for dest, mask, gw in routes:
        inet_routes.append(netstate.route_attr({"dest": dest, "mask": mask, "gateway": gw}))
    d["devices"]["inet0"]["attrs"] = {"hostname": hostname, "route": inet_routes}
    fqdn = "%s.%s" % (hostname, domain) if domain else hostname
    resolv = ["nameserver\t%s" % ns for ns in nameservers]
    if domain:
        resolv.append("domain\t%s" % domain)
    if search:
        resolv.append("search\t%s" % " ".join(search))
    inittab = DEFAULT_INITTAB + (NIMCLIENT_LINE + "\n" if nimclient else "")
    d["files"] = {
        "/etc/hosts": HOSTS_HEAD + "%s\t%s %s\n" % (address, fqdn, hostname),
        "/etc/resolv.conf": "".join(x + "\n" for x in resolv),
        "/etc/inittab": inittab,
        "/etc/netsvc.conf": "hosts = local, bind\n",
    }
    if nimclient:
        d["files"]["/etc/niminfo"] = niminfo(hostname, fqdn, address, gateway)
    d["nim"] = {"reachable": True, "master": "nimprd01.corp.example.com"}

    d["src"]["subsystems"] = {
        name: {"group": group, "path": path, "uid": 0, "args": "", "synonym": "",
               "stdin": "/dev/console", "stdout": "/dev/console", "stderr": "/dev/console",
               "action": "-O", "multi": "-Q", "contact": "-K", "signorm": 0, "sigforce": 0,
               "priority": 20, "display": "-d", "waittime": 20, "autostart": auto,
               "status": "inoperative", "pid": None}
        for name, group, path, auto in SUBSYSTEMS}
    d["filesets"] = {k: {"level": v[0], "state": v[1], "type": v[2], "description": v[3]}
                     for k, v in FILESETS.items()}
    if cloud_init:
        d["filesets"]["cloud-init"] = {"level": "0.7.5-4", "state": "C", "type": "R",
                                       "description": "Cloud-init"}
    d["rsct"] = {"node_id": "a1b2c3d4e5f60718", "domains": []}
    if rpdomain:
        d["rsct"]["domains"].append({"name": rpdomain, "opstate": "Online",
                                     "version": "3.2.6.2"})
    if powerha:
        d["filesets"]["cluster.es.server.rte"] = {
            "level": "7.2.7.0", "state": "C", "type": "F",
            "description": "Base Server Runtime"}
    d["users"] = {"root": 0, "daemon": 1, "bin": 2, "sys": 3, "adm": 4, "oracle": 204}
    d["groups"] = {"system": 0, "staff": 1, "bin": 2, "sys": 3, "adm": 4, "oinstall": 200,
                   "dba": 201}
    nvram = {"ibm,aix-clearODMdata": "false"} if clouddev == "1" else {}
    d["partition"] = {"id": "%s/%d" % (systemid, lpar_number), "nvram": nvram,
                      "bootlist": {"normal": [{"device": "hdisk0", "lun": "PRD-0",
                                               "attrs": []}], "service": []}}
    beh = dict(behaviour or {})
    if latency:
        beh["latency"] = dict(latency)
    d["behaviour"] = beh
    m = Machine(d)
    boot.reboot(m, now=now - 3 * 86400)
    return m


def niminfo(name, fqdn, address, gateway):
    return (
        "#------------------ Network Install Manager ---------------\n"
        "# warning - this file contains NIM configuration information\n"
        "#       and should only be updated by NIM\n"
        "export NIM_NAME=%s\n"
        "export NIM_HOSTNAME=%s\n"
        "export NIM_CONFIGURATION=standalone\n"
        "export NIM_MASTER_HOSTNAME=nimprd01.corp.example.com\n"
        "export NIM_MASTER_PORT=1058\n"
        "export NIM_REGISTRATION_PORT=1059\n"
        "export NIM_SHELL=\"nimsh\"\n"
        "export NIM_MASTERID=00F8C0FF4C00\n"
        "export NIM_FIPS_MODE=0\n"
        "export NIM_HOSTS=\" 127.0.0.1:loopback:localhost  %s:%s  10.1.9.5:"
        "nimprd01.corp.example.com \"\n"
        "export NIM_MOUNTS=\"\"\n"
        "export ROUTES=\" default:0:%s \"\n" % (name, fqdn, address, fqdn, gateway))


def _replicas(m, prefix, missing=(), order="reverse"):
    """DR replica LUNs (same PVIDs and VGDA) of every production LUN; rootvg's first."""
    src = [(k, v) for k, v in m["luns"].items() if not k.startswith(prefix + "-")]
    root_vgid = m["vgs"]["rootvg"]["vgid"]
    out = []
    for k, v in src:
        idx = k.split("-", 1)[1]
        rid = "%s-%s" % (prefix, idx)
        if rid in missing or k in missing:
            continue
        rep = dict(v)
        rep["unique_id"] = v["unique_id"].replace("3321360050768", "3321360050769", 1)
        rep["location"] = "C3-T1-01"
        out.append(dict(rep, id=rid))
    root = [x for x in out if x.get("vgid") == root_vgid]
    data = [x for x in out if x.get("vgid") != root_vgid]
    if order == "reverse":
        data.reverse()
    return root + data


def boot_at_dr(machine, odm_reset=True, clouddev=None, systemid=DR_SYSTEMID,
               lpar_name="aixprd01_dr", lpar_number=17, missing=(), late=(), defined=(),
               stale_bootlist=True, order="reverse", network_reset=None, nim_reachable=False,
               boot_cfgmgr=None, clones=()):
    """A copy of ``machine`` after booting its replicated rootvg at the DR site.

    odm_reset: True/False forces the reset; None lets clouddev/ghostdev decide.
    missing: replica LUN ids (DR-N) or production LUN ids (PRD-N) not presented at DR.
    late: replica LUN ids presented only after boot (Defined / absent until cfgmgr).
    defined: replica LUN ids whose hdisk the boot leaves Defined (Available after cfgmgr).
    boot_cfgmgr: False = the boot configures no new LUN (behaviour knob boot_cfgmgr).
    order: "reverse" numbers the data disks in the reverse of production, "same" keeps it.
    nim_reachable: whether production's NIM master answers from the DR network.
    clones: production LUN ids (PRD-N) of which a clone or snapshot (same PVID and VGDA,
    LUN id CLONE-N) is mapped too, discovered just before the replica.
    """
    m = Machine(copy.deepcopy(machine.to_dict() if isinstance(machine, Machine) else machine))
    if clouddev is not None:
        m["sys0"]["clouddev"] = clouddev
    if network_reset is not None:
        m["behaviour"]["odm_reset_network"] = bool(network_reset)
    m["nim"]["reachable"] = bool(nim_reachable)
    if boot_cfgmgr is not None:
        m["behaviour"]["boot_cfgmgr"] = bool(boot_cfgmgr)
    reps = _replicas(m, "DR", missing, order)
    for lun_id in clones:
        idx = lun_id.split("-", 1)[1]
        at = next(i for i, r in enumerate(reps) if r["id"] == "DR-" + idx)
        clone = dict(reps[at], id="CLONE-" + idx, location="C3-T1-02",
                     lun_id="0x%x000000000000" % (0x40 + int(idx)))
        clone["unique_id"] = reps[at]["unique_id"].replace("3321360050769", "3321360050770", 1)
        reps.insert(at, clone)
    partition = {"id": "%s/%d" % (systemid, lpar_number), "nvram": {}}
    if stale_bootlist:
        partition["bootlist"] = {"normal": [{"device": "hdisk%d" % (len(reps) + 3),
                                             "lun": "PRD-0", "attrs": ["blv=hd5",
                                                                        "pathid=0"]}],
                                 "service": []}
    boot.reboot(m, systemid=systemid, lpar={"number": lpar_number, "name": lpar_name},
                partition=partition, disks=reps, odm_reset=odm_reset,
                late_disks=[_dr_id(x) for x in late], defined_disks=[_dr_id(x) for x in defined])
    return m


def mark_filesystems(machine, dirty=(), corrupt=()):
    """A crash image: the filesystems mounted on ``dirty`` mount points were not cleanly
    unmounted (their log needs replaying); those on ``corrupt`` ones fail fsck. The state is
    kept on the disks (the VGDA), so it travels with the replica."""
    m = machine if isinstance(machine, Machine) else Machine(machine)
    for vgda in m["vgdas"].values():
        for lv in vgda.get("lvs", {}).values():
            fs = lv.get("fs")
            if not fs:
                continue
            if lv.get("mount") in dirty:
                fs["state"] = "dirty"
            if lv.get("mount") in corrupt:
                fs["state"] = "corrupt"
    return m


def _dr_id(lun_id):
    """PRD-3 or DR-3 -> DR-3."""
    return "DR-" + lun_id.split("-", 1)[1] if "-" in lun_id else lun_id


def boot_at_drtest(machine, **kw):
    """DR rehearsal: same DR frame, another LPAR named *_drtest."""
    kw.setdefault("lpar_name", "aixprd01_drtest")
    kw.setdefault("lpar_number", 18)
    return boot_at_dr(machine, **kw)


def boot_back_at_prod(machine, odm_reset=None, **kw):
    """Failback: the production LUNs visible again, production frame and LPAR."""
    m = Machine(copy.deepcopy(machine.to_dict() if isinstance(machine, Machine) else machine))
    prod = [k for k in m["luns"] if k.startswith("PRD-")]
    m["nim"]["reachable"] = True
    boot.reboot(m, systemid=kw.get("systemid", PROD_SYSTEMID),
                lpar={"number": kw.get("lpar_number", 5), "name": kw.get("lpar_name",
                                                                         "aixprd01")},
                partition=kw.get("partition"), disks=prod, odm_reset=odm_reset)
    return m


def lpm(machine, systemid=PROD2_SYSTEMID, lpar_number=None):
    """Live Partition Mobility to another production frame: no reboot, no ODM reset, same
    disks; the NVRAM follows the partition."""
    m = Machine(copy.deepcopy(machine.to_dict() if isinstance(machine, Machine) else machine))
    lpar = {"number": lpar_number} if lpar_number is not None else None
    boot.set_identity(m, systemid, lpar)
    m["partition"]["id"] = "%s/%s" % (systemid, m["lpar"]["number"])
    return m
