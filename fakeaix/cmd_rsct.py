"""RSCT: lsrpdomain, rmcctrl -z, and `cat` of /etc/ct_node_id (COMMANDS.md 12.5).

machine["rsct"]: node_id (what /etc/ct_node_id holds; recfgct writes a new one), domains
([{"name", "opstate", "version"}]: the RSCT peer domains this node is defined in; recfgct
deletes them all). With no domain, lsrpdomain prints nothing on most levels; the knob
``lsrpdomain_none`` = "header" makes it print its header line alone (not confirmed).
"""

from fakeaix.fmt import NotImplementedCmd, UsageError, columnize, parse_opts

RSCT_RM_GROUP = "rsct_rm"
HEADER = ("Name", "OpState", "RSCTActiveVersion", "MixedVersions", "TSPort", "GSPort")


def lsrpdomain(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("lsrpdomain", args, "", "Usage: lsrpdomain [Domain]\n")
    domains = m["rsct"].get("domains") or []
    if rest:
        domains = [d for d in domains if d["name"] in rest]
    rows = [(d["name"], d.get("opstate", "Online"), d.get("version", "3.2.6.2"), "No",
             "12347", "12348") for d in domains]
    if not rows:
        if m.knob("lsrpdomain_none") == "header":
            ctx.out(columnize([], HEADER).rstrip("\n") + "\n")
        return 0
    text = columnize(rows, HEADER)
    ctx.out(text.replace("\n\n", "\n", 1))   # lsrpdomain has no blank line under its header
    return 0


def rmcctrl(ctx, args):
    """rmcctrl -z: stop RMC (ctrmc) and the resource managers."""
    m = ctx.m
    opts, rest = parse_opts("rmcctrl", args, "zkasdA", "Usage: rmcctrl {-a|-A|-d|-k|-s|-z}\n")
    flags = dict(opts)
    if rest or len(opts) != 1:
        raise UsageError("Usage: rmcctrl {-a|-A|-d|-k|-s|-z}\n")
    if "-z" not in flags:
        raise NotImplementedCmd()
    for name, sub in m["src"]["subsystems"].items():
        if name == "ctrmc" or sub.get("group") == RSCT_RM_GROUP:
            sub["status"], sub["pid"] = "inoperative", None
    m["rsct"]["rmc_stopped"] = True
    ctx.change()
    return 0


def cat(ctx, args):
    """cat FILE...: /etc/ct_node_id from the RSCT node id, other files from machine["files"]."""
    m = ctx.m
    if not args or any(a.startswith("-") for a in args):
        raise NotImplementedCmd()
    rc = 0
    for path in args:
        if path == "/etc/ct_node_id":
            node = m["rsct"].get("node_id")
            text = (node + "\n") if node else None
        else:
            text = m["files"].get(path)
        if text is None:
            ctx.err("cat: 0652-050 Cannot open %s.\n" % path)
            rc = 2
            continue
        ctx.out(text)
    return rc


