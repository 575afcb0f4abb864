"""IPv4 helpers, the inet0 route attribute format, and the running (live) network.

ODM (persistent) lives in devices[en*|inet0]["attrs"]; the running state in machine["net"]:
  net.hostname, net.nodename,
  net.interfaces[en0] = {"inet": [addr, mask] | None, "aliases": [[addr, mask]...],
                         "up": bool, "attached": bool, "mtu": int, "mac": "fa.16.3e.12.9a.01"}
  net.routes = [{"dest": "default"|"10.9.0.0", "mask": "255.255.0.0"|None,
                 "gateway": "10.1.1.254", "host": False, "if": None}]
"""


def ip_to_int(addr):
    parts = addr.split(".")
    if len(parts) != 4:
        raise ValueError(addr)
    n = 0
    for p in parts:
        if not p.isdigit() or len(p) > 3:
            raise ValueError(addr)
        v = int(p)
        if v > 255:
            raise ValueError(addr)
        n = (n << 8) | v
    return n


def int_to_ip(n):
    return ".".join(str((n >> s) & 255) for s in (24, 16, 8, 0))


def valid_ipv4(addr):
    try:
        ip_to_int(addr)
        return True
    except ValueError:
        return False


def parse_mask(mask):
    """Dotted or 0x... mask -> dotted; ValueError if not a mask."""
    if mask.lower().startswith("0x"):
        n = int(mask, 16)
    else:
        n = ip_to_int(mask)
    inv = (~n) & 0xFFFFFFFF
    if inv & (inv + 1):
        raise ValueError(mask)
    return int_to_ip(n)


def prefix_len(mask):
    return bin(ip_to_int(mask)).count("1")


def hex_mask(mask):
    return "0x%08x" % ip_to_int(mask)


def network(addr, mask):
    return int_to_ip(ip_to_int(addr) & ip_to_int(mask))


def broadcast(addr, mask):
    m = ip_to_int(mask)
    return int_to_ip((ip_to_int(addr) & m) | (~m & 0xFFFFFFFF))


def classful_mask(dest):
    first = int(dest.split(".")[0])
    if first < 128:
        return "255.0.0.0"
    if first < 192:
        return "255.255.0.0"
    return "255.255.255.0"


# --- the inet0 "route" attribute ------------------------------------------------------

def parse_route_attr(value):
    """'net,-hopcount,0,,0,10.1.1.1' / '0,10.1.1.1' / 'net,-hopcount,0,-netmask,M,,,D,G'
    -> {"dest","mask","gateway","host","if"}; None when it is not a route."""
    toks = value.split(",")
    if len(toks) < 2:
        return None
    kind = "net"
    if toks[0] in ("net", "host"):
        kind = toks.pop(0)
    dest, gw = toks[-2].strip(), toks[-1].strip()
    opts = toks[:-2]
    mask = None
    ifname = None
    i = 0
    while i < len(opts):
        o = opts[i]
        if o in ("-netmask", "-if", "-hopcount") and i + 1 < len(opts):
            if o == "-netmask":
                mask = opts[i + 1]
            elif o == "-if":
                ifname = opts[i + 1]
            i += 2
            continue
        i += 1
    if dest in ("0", "default", "0.0.0.0"):
        dest, mask = "default", None
    if dest != "default" and not valid_ipv4(dest):
        return None
    if not valid_ipv4(gw):
        return None
    if dest != "default" and kind == "net" and mask is None:
        mask = classful_mask(dest)
    return {"dest": dest, "mask": mask, "gateway": gw, "host": kind == "host", "if": ifname}


def route_attr(r):
    """Canonical ODM string of a parsed route (COMMANDS.md 4.3)."""
    if r["dest"] == "default":
        return "net,-hopcount,0,,0,%s" % r["gateway"]
    if r.get("host"):
        return "host,-hopcount,0,,,,,%s,%s" % (r["dest"], r["gateway"])
    if r.get("if"):
        return "net,-hopcount,0,-netmask,%s,-if,%s,,,,-static,%s,%s" % (
            r["mask"], r["if"], r["dest"], r["gateway"])
    return "net,-hopcount,0,-netmask,%s,,,%s,%s" % (r["mask"], r["dest"], r["gateway"])


def route_key(r):
    return (r["dest"], r.get("mask") if r["dest"] != "default" else None, r["gateway"])


def normalize_route_value(value):
    r = parse_route_attr(value)
    if r is None:
        return value
    toks = value.split(",")
    if toks[0] not in ("net", "host"):  # the short input form is stored canonically
        return route_attr(r)
    return value


# --- live state -----------------------------------------------------------------------

def iface(m, name, create=True):
    ifs = m["net"]["interfaces"]
    rec = ifs.get(name)
    if rec is None and create:
        n = int("".join(c for c in name if c.isdigit()) or 0)
        rec = {"inet": None, "aliases": [], "up": False, "attached": True, "mtu": 1500,
               "mac": "fa.16.3e.12.9a.%x" % (n + 1)}
        ifs[name] = rec
    return rec


def live_route_find(m, r):
    key = route_key(r)
    for i, x in enumerate(m["net"]["routes"]):
        if route_key(x) == key:
            return i
    return -1


def live_route_add(m, r):
    if live_route_find(m, r) >= 0:
        return False
    m["net"]["routes"].append({"dest": r["dest"], "mask": r.get("mask"),
                               "gateway": r["gateway"], "host": bool(r.get("host")),
                               "if": r.get("if")})
    return True


def live_route_del(m, r):
    i = live_route_find(m, r)
    if i < 0:
        return False
    del m["net"]["routes"][i]
    return True


def live_default_routes(m):
    return [r for r in m["net"]["routes"] if r["dest"] == "default"]


def odm_list(dev, attr):
    v = dev.setdefault("attrs", {}).get(attr)
    if v is None:
        return []
    if isinstance(v, list):
        return v
    return [v] if v else []


def apply_odm_network(m):
    """What rc.net does at boot: the running network is rebuilt from the ODM."""
    net = m["net"]
    old = net.get("interfaces", {})
    net["interfaces"] = {}
    net["routes"] = []
    for name, dev in m.devices.items():
        if dev.get("class") != "if" or dev.get("status") != "Available":
            continue
        attrs = dev.get("attrs", {})
        rec = iface(m, name)
        if name in old:
            rec["mac"] = old[name].get("mac", rec["mac"])
        if dev.get("type") == "lo":
            rec.update({"inet": ["127.0.0.1", "255.0.0.0"], "up": True, "mtu": 16896})
            continue
        addr, mask = attrs.get("netaddr", ""), attrs.get("netmask", "")
        rec["inet"] = [addr, mask or classful_mask(addr)] if addr else None
        aliases = []
        for a in odm_list(dev, "alias4"):
            p = a.split(",")
            aliases.append([p[0], p[1] if len(p) > 1 else classful_mask(p[0])])
        rec["aliases"] = aliases
        state = attrs.get("state", "")
        rec["up"] = state == "up"
        rec["attached"] = state != "detach" and bool(addr or aliases or state)
        rec["mtu"] = int(attrs.get("mtu", "1500") or 1500)
    inet0 = m.device("inet0")
    if inet0 is not None:
        for v in odm_list(inet0, "route"):
            r = parse_route_attr(v)
            if r is not None:
                live_route_add(m, r)
        host = inet0.get("attrs", {}).get("hostname", "")
        net["hostname"] = host
        net["nodename"] = host.split(".")[0]


def connected_iface(m, gateway):
    """The interface whose subnet holds gateway (for netstat's If column)."""
    g = ip_to_int(gateway)
    for name, rec in m["net"]["interfaces"].items():
        if not rec.get("attached", True):
            continue
        for addr, mask in ([rec["inet"]] if rec.get("inet") else []) + rec.get("aliases", []):
            try:
                if (ip_to_int(addr) & ip_to_int(mask)) == (g & ip_to_int(mask)):
                    return name
            except ValueError:
                continue
    return "en0" if "en0" in m["net"]["interfaces"] else "lo0"


def add_interface(m, name, address, netmask, aliases=(), state="up"):
    """A further Ethernet interface (enN on its own adapter entN), configured in the ODM
    as smitty/mktcpip leave it, and the running network rebuilt as rc.net would at boot.
    For scenarios: an LPAR with a backup or application LAN beside en0."""
    n = name[2:]
    m["devices"]["ent" + n] = {"class": "adapter", "subclass": "vdevice", "type": "IBM,l-lan",
                               "status": "Available", "location": "", "attrs": {}}
    attrs = {"netaddr": address, "netmask": netmask, "state": state,
             "alias4": ["%s,%s" % (a, netmask) for a in aliases]}
    m["devices"][name] = {"class": "if", "subclass": "EN", "type": "en", "status": "Available",
                          "location": "", "parent": "ent" + n, "attrs": attrs}
    apply_odm_network(m)
