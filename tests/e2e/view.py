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
