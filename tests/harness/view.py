"""Read a fake machine's state the way an admin would check it after a boot."""


def attrs(m, device):
    return (m["devices"].get(device) or {}).get("attrs") or {}


def default_gateway(m):
    for value in attrs(m, "inet0").get("route", []):
        parts = value.split(",")
        if parts[:1] == ["net"] and parts[-2] in ("0", "default") or value.startswith("0,"):
            return parts[-1]
    return None


def static_routes(m):
    out = []
    for value in attrs(m, "inet0").get("route", []):
        parts = value.split(",")
        if parts[-2] not in ("0", "default"):
            out.append((parts[-2], parts[-1]))
    return sorted(out)


def resolv(m):
    text = m["files"].get("/etc/resolv.conf") or ""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def inittab_line(m, ident):
    for line in (m["files"].get("/etc/inittab") or "").splitlines():
        if line.split(":", 1)[0] == ident:
            return line
    return None


def network(m):
    """Everything the network steps own, persistent (ODM) and running."""
    en0 = attrs(m, "en0")
    live = m["net"]["interfaces"].get("en0") or {}
    return {
        "hostname": attrs(m, "inet0").get("hostname"),
        "running_hostname": m["net"].get("hostname"),
        "en0": (en0.get("netaddr"), en0.get("netmask")),
        "en0_live": tuple(live.get("inet") or ()),
        "aliases": sorted(en0.get("alias4") or []),
        "gateway": default_gateway(m),
        "routes": static_routes(m),
        "resolv": resolv(m),
        "nimclient": (inittab_line(m, "nimclient") or "").split(":")[2:3],
    }


def clouddev(m):
    return m["sys0"].get("clouddev")


def volume_groups(m):
    """Data VGs known to the ODM: {name: (sorted PVIDs, varied on, major)}."""
    return {name: (sorted(vg["pvids"]), bool(vg.get("varied_on")), vg.get("major"))
            for name, vg in m["vgs"].items() if name != "rootvg"}


def mounted(m):
    return {x["mount_point"] for x in m["mounts"]}


def dev_mode(m, path):
    f = m["dev_files"].get(path)
    return (f["owner"], f["group"], f["mode"]) if f else None


def bootlist(m):
    return [e["device"] for e in m["partition"]["bootlist"]["normal"]]


def disk_of_pvid(m, pvid):
    for name, dev in m["devices"].items():
        if dev.get("class") == "disk" and dev.get("pvid") == pvid and \
                dev.get("status") == "Available":
            return name
    return None


def disk_attrs(m):
    return {name: dict(dev.get("attrs") or {}) for name, dev in m["devices"].items()
            if dev.get("class") == "disk" and dev.get("status") == "Available"}


def defined_disks(m):
    return sorted(n for n, d in m["devices"].items()
                  if d.get("class") == "disk" and d.get("status") == "Defined")
