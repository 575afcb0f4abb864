"""mktcpip: hostname, the primary interface's address and mask, the default gateway.

Observed in the ODM (lsattr), which rc.net applied to the running system at boot and
which is what the next boot will use. One `mktcpip` call sets them all; it is not given
-s (the inittab entry runs before rctcpip, which starts the daemons anyway) nor -n/-d
(the dns step owns resolv.conf: mktcpip would only append)."""

from ..aix.devattr import DeviceMissing, first, read_attrs
from ..aix.inet0 import parse_route_attr
from .base import Action, Step


class Mktcpip(Step):
    name = "mktcpip"

    def skip_reason(self, ctx):
        profile = ctx.profile
        if not profile.hostname and not profile.interfaces:
            return "the site profile sets no hostname or interfaces"
        return None

    def observe(self, ctx):
        inet0 = read_attrs(ctx.runner, "inet0", ["hostname", "route"])
        seen = {"hostname": first(inet0, "hostname"), "gateway": ""}
        for value in inet0.get("route", []):
            route = parse_route_attr(value)
            if route.is_default:
                seen["gateway"] = route.gateway
                break
        iface = ctx.profile.primary_interface
        if iface is not None:
            try:
                en = read_attrs(ctx.runner, iface.name, ["netaddr", "netmask", "state"])
            except DeviceMissing:
                en = {}
            seen.update(netaddr=first(en, "netaddr"), netmask=first(en, "netmask"),
                        state=first(en, "state"))
        return seen

    def plan(self, ctx):
        profile = ctx.profile
        seen = self.observe(ctx)
        iface = profile.primary_interface
        diffs = []
        hostname = profile.hostname or seen["hostname"]
        if profile.hostname and seen["hostname"] != profile.hostname:
            diffs.append(("hostname", seen["hostname"], profile.hostname))
        if iface is None:
            if not diffs:
                return []
            argv = ("chdev", "-l", "inet0", "-a", "hostname=%s" % profile.hostname)
            return [Action(argv, _reason(diffs), "hostname", seen["hostname"],
                           profile.hostname)]
        if seen["netaddr"] != iface.address:
            diffs.append(("%s address" % iface.name, seen["netaddr"], iface.address))
        if seen["netmask"] != iface.netmask:
            diffs.append(("%s netmask" % iface.name, seen["netmask"], iface.netmask))
        if seen["state"] != "up":
            diffs.append(("%s state" % iface.name, seen["state"], "up"))
        if profile.gateway and seen["gateway"] != profile.gateway:
            diffs.append(("gateway", seen["gateway"], profile.gateway))
        if not diffs:
            return []
        argv = ["mktcpip", "-h", hostname, "-a", iface.address, "-m", iface.netmask,
                "-i", iface.name]
        if profile.gateway:
            argv += ["-g", profile.gateway]
        before = "; ".join("%s=%s" % (item, old or "-") for item, old, _ in diffs)
        after = "; ".join("%s=%s" % (item, new) for item, _, new in diffs)
        return [Action(tuple(argv), _reason(diffs), "tcpip", before, after)]


def _reason(diffs):
    return ", ".join("%s %s -> %s" % (item, old or "(none)", new) for item, old, new in diffs)
