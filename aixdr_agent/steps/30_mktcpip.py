"""mktcpip: hostname, every interface of the profile, the default gateway, and the host's
own /etc/hosts lines.

Observed in the ODM (lsattr), which rc.net applied to the running system at boot and
which is what the next boot will use. One `mktcpip` call sets the hostname, the primary
interface and the gateway; it is not given -s (the inittab entry runs before rctcpip,
which starts the daemons anyway) nor -n/-d (the dns step owns resolv.conf: mktcpip would
only append). It is given -g only when the gateway differs: `mktcpip -g` deletes every
inet0 route, static ones too, and the routes step puts back what it removed.

Every other interface of the profile is set the way mktcpip sets its own (`chdev -l enX
-a netaddr= -a netmask= -a state=up`). An interface the profile does not name that carries
another site's address is taken off the network (`state=detach`): never left up with
production's address at DR.

/etc/hosts, through hostent (mktcpip only adds or extends the line of the new address and
leaves the old one, so with the same host name at both sites the old line would win):
this host's names come off every line of another site's address (the line goes when
nothing is left on it), the host name off any other line not of this site, so the name
resolves locally to this site's primary address; the lines `capture` observed at this
site come back as they were. Other lines are not touched. These hostent commands are
planned on a prediction of what mktcpip writes, and planned again after it ran.
"""

from ..aix import hostent
from ..aix.devattr import DeviceMissing, chdev_argv, first, read_attrs
from ..aix.inet0 import default_route_value, parse_route_attr
from ..aix.lsdev import interfaces
from ..aix.tcpip import mktcpip_argv
from . import _net
from .base import Action, Step, StepFailed


class Mktcpip(Step):
    name = "mktcpip"
    two_phase = True
    profile_keys = ("hostname", "interfaces", "gateway")

    def skip_reason(self, ctx):
        profile = ctx.profile
        if profile.hostname is None and profile.interfaces is None:
            return _net.not_in_profile(ctx)
        return None

    def observe(self, ctx):
        inet0 = read_attrs(ctx.runner, "inet0", ["hostname", "route"])
        seen = {"hostname": first(inet0, "hostname"), "gateway": "",
                "routes": inet0.get("route", [])}
        for value in seen["routes"]:
            route = parse_route_attr(value)
            if route.is_default:
                seen["gateway"] = route.gateway
                break
        iface = ctx.profile.primary_interface
        if iface is not None:
            en = _interface_attrs(ctx, iface.name) or {}
            seen.update(netaddr=first(en, "netaddr"), netmask=first(en, "netmask"),
                        state=first(en, "state"))
        return seen

    def observed(self, runner):
        """hostname, the configured interfaces with their aliases, the default gateway, and
        the host's own /etc/hosts lines (`hosts`: failback puts them back as they were)."""
        inet0 = read_attrs(runner, "inet0", ["hostname", "route"])
        gateway = next((r.gateway for r in map(parse_route_attr, inet0.get("route", []))
                        if r.is_default), None)
        found = []
        for dev in interfaces(runner):
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
            found.append(iface)
        part = {"hostname": first(inet0, "hostname") or None, "interfaces": found}
        if gateway:
            part["gateway"] = gateway
        part["hosts"] = _own_hosts_lines(runner, part["hostname"], found)
        return part

    def plan(self, ctx):
        seen = self.observe(ctx)
        actions = self.plan_primary(ctx, seen)
        if ctx.profile.interfaces is None:
            return actions
        actions += self.plan_others(ctx)
        tcpip = next((a for a in actions if a.argv[0] == "mktcpip"), None)
        actions += self.plan_hosts(ctx, seen, tcpip)
        return actions

    def plan_primary(self, ctx, seen):
        profile = ctx.profile
        iface = profile.primary_interface
        diffs = []
        hostname = profile.hostname or seen["hostname"]
        if profile.hostname and seen["hostname"] != profile.hostname:
            diffs.append(("hostname", seen["hostname"], profile.hostname))
        if iface is None:
            if not diffs:
                return []
            argv = chdev_argv("inet0", [("hostname", profile.hostname)])
            return [Action(argv, _reason(diffs), "hostname", seen["hostname"],
                           profile.hostname)]
        if seen["netaddr"] != iface.address:
            diffs.append(("%s address" % iface.name, seen["netaddr"], iface.address))
        if seen["netmask"] != iface.netmask:
            diffs.append(("%s netmask" % iface.name, seen["netmask"], iface.netmask))
        if seen["state"] != "up":
            diffs.append(("%s state" % iface.name, seen["state"], "up"))
        gateway = profile.gateway and seen["gateway"] != profile.gateway
        if gateway:
            diffs.append(("gateway", seen["gateway"], profile.gateway))
        if not diffs:
            return []
        argv = mktcpip_argv(hostname, iface.address, iface.netmask, iface.name,
                            profile.gateway if gateway else None)
        before = "; ".join("%s=%s" % (item, old or "-") for item, old, _ in diffs)
        after = "; ".join("%s=%s" % (item, new) for item, _, new in diffs)
        return [Action(argv, _reason(diffs), "tcpip", before, after)]

    def plan_others(self, ctx):
        """The profile's other interfaces set; unnamed ones with another site's address
        detached."""
        profile = ctx.profile
        primary = profile.primary_interface
        named = {i.name for i in profile.interfaces}
        actions = []
        for iface in profile.interfaces:
            if iface is primary:
                continue
            attrs = _interface_attrs(ctx, iface.name)
            if attrs is None:
                ctx.problem("interface %s of the profile of site %s does not exist "
                            "(lsdev -Cc if)" % (iface.name, ctx.site))
                continue
            have = (first(attrs, "netaddr"), first(attrs, "netmask"), first(attrs, "state"))
            want = (iface.address, iface.netmask, "up")
            if have != want:
                actions.append(Action(
                    chdev_argv(iface.name, [("netaddr", iface.address),
                                            ("netmask", iface.netmask), ("state", "up")]),
                    "%s %s/%s %s -> %s/%s up" % (iface.name, have[0] or "(none)",
                                                 have[1] or "-", have[2] or "-",
                                                 iface.address, iface.netmask),
                    iface.name, "%s/%s %s" % have, "%s/%s up" % (iface.address, iface.netmask)))
        foreign = _net.foreign_addresses(ctx)
        for dev in interfaces(ctx.runner):
            if dev.name in named or dev.status != "Available" or \
                    not dev.name.startswith(("en", "et")):
                continue
            attrs = _interface_attrs(ctx, dev.name, ["netaddr", "alias4", "state"])
            if not attrs or first(attrs, "state") == "detach":
                continue
            carried = [first(attrs, "netaddr")] + [
                v.split(",")[0] for v in attrs.get("alias4", [])]
            theirs = [a for a in carried if a and a in foreign]
            if theirs:
                actions.append(Action(
                    chdev_argv(dev.name, [("state", "detach")]),
                    "%s carries %s of another site and is not in the profile of site %s: "
                    "detached" % (dev.name, " ".join(theirs), ctx.site),
                    dev.name, first(attrs, "state") or None, "detach"))
            elif first(attrs, "netaddr"):
                ctx.note("mktcpip: %s carries %s, which is in no site's profile; left alone"
                         % (dev.name, first(attrs, "netaddr")))
        return actions

    def plan_hosts(self, ctx, seen, tcpip):
        """hostent commands that make /etc/hosts this site's (module docstring). With a
        mktcpip action planned, they are planned on what mktcpip will have written."""
        profile = ctx.profile
        primary = profile.primary_interface
        hostname = profile.hostname or seen["hostname"]
        if primary is None or not hostname:
            return []
        lines = _first_per_address(hostent.read_hosts(ctx.runner))
        if tcpip is not None:
            lines = _after_mktcpip(lines, primary.address, hostname)
        mine = _net.addresses(profile)
        foreign = _net.foreign_addresses(ctx)
        ours = _net.host_names(ctx, hostname)
        actions = []
        moved = []
        for line in lines:
            if line.address in mine:
                continue
            if line.address in foreign:
                drop = [n for n in line.names if ours(n)]
            else:
                drop = [n for n in line.names if _net.same_host(n, hostname)]
            if not drop:
                continue
            moved += [n for n in drop if _net.same_host(n, hostname) and n not in moved]
            keep = [n for n in line.names if n not in drop]
            why = "%s %s: %s: %s" % (
                line.address, " ".join(line.names), "another site's address with this "
                "host's names" if line.address in foreign else "this host's name on an "
                "address not of site %s" % ctx.site,
                "removed" if not keep else "-> %s" % " ".join(keep))
            argv = hostent.change_argv(line.address, keep) if keep else \
                hostent.delete_argv(line.address)
            actions.append(Action(argv, "/etc/hosts " + why, "hosts " + line.address,
                                  " ".join(line.names), " ".join(keep) or None, phase=2))
        have = {line.address: line.names for line in lines}
        targets = {line.address: list(line.names)
                   for line in _net.observed_hosts(ctx, ctx.site) if line.address in mine}
        if primary.address not in targets:
            names = list(have.get(primary.address) or ())
            if any(n not in names for n in moved):
                names = moved + [n for n in names if n not in moved]
            targets[primary.address] = names
        if hostname not in targets[primary.address]:
            targets[primary.address].append(hostname)
        for address in sorted(targets, key=lambda a: a != primary.address):
            names = tuple(targets[address])
            if have.get(address) == names:
                continue
            if address in have:
                argv = hostent.change_argv(address, names)
                why = "%s %s -> %s" % (address, " ".join(have[address]), " ".join(names))
            else:
                argv = hostent.add_argv(address, names)
                why = "%s %s added" % (address, " ".join(names))
            actions.append(Action(argv, "/etc/hosts " + why, "hosts " + address,
                                  " ".join(have.get(address) or ()) or None, " ".join(names),
                                  phase=2))
        return actions

    def apply(self, ctx, actions):
        """Phase 1 (mktcpip, the other interfaces), then the hostent commands planned
        again on what mktcpip wrote; none of them when mktcpip itself failed. Tells the
        routes step which static routes `mktcpip -g` removes."""
        tcpip = next((a for a in actions if a.argv[0] == "mktcpip"), None)
        removed = None
        if tcpip is not None and "-g" in tcpip.argv:
            values = read_attrs(ctx.runner, "inet0", ["route"])["route"]
            gateway = tcpip.argv[tcpip.argv.index("-g") + 1]
            removed = (tuple(v for v in values if not parse_route_attr(v).is_default),
                       default_route_value(gateway))
        first_phase = [a for a in actions if a.phase == 1]
        failed = {}
        self.run_actions(ctx, first_phase, failed)
        if removed is not None and "tcpip" not in failed:
            ctx.mktcpip_routes = removed
            if removed[0]:
                # said in the run record: should the boot stop before the routes step, a
                # route of no profile is known only from here
                ctx.note("mktcpip: -g deleted every inet0 route, these static ones too: %s"
                         % " ".join(removed[0]))
        if "tcpip" in failed:
            later = []
        elif first_phase and not ctx.runner.dry_run:
            later = [a for a in self.plan(ctx) if a.phase != 1 and a.item not in failed]
        else:
            later = [a for a in actions if a.phase != 1]
        self.run_actions(ctx, later, failed)
        if failed:
            raise StepFailed("; ".join(failed.values()))


def _own_hosts_lines(runner, hostname, interfaces):
    """The host's own /etc/hosts lines: those of its addresses and those that carry its
    host name (short or qualified), as {"address", "names"}, in file order."""
    addresses = set()
    for iface in interfaces:
        addresses.add(iface["address"])
        addresses.update(a.split("/")[0] for a in iface.get("aliases") or ())
    out = []
    for line in hostent.read_hosts(runner):
        if line.address.startswith("127."):
            continue
        if line.address in addresses or any(_net.same_host(n, hostname) for n in line.names):
            out.append({"address": line.address, "names": list(line.names)})
    return out


def _interface_attrs(ctx, name, names=("netaddr", "netmask", "state")):
    try:
        return read_attrs(ctx.runner, name, list(names))
    except DeviceMissing:
        return None


def _first_per_address(lines):
    """hostent acts on the first line of an address; a later one of the same address is
    reached only once that one is gone, on the next plan."""
    seen = set()
    out = []
    for line in lines:
        if line.address not in seen:
            seen.add(line.address)
            out.append(line)
    return out


def _after_mktcpip(lines, address, hostname):
    """/etc/hosts as mktcpip leaves it: the host name appended to the line of the new
    address, or a new line `address<TAB>hostname` at the end; the old line stays."""
    out = []
    found = False
    for line in lines:
        if line.address == address:
            found = True
            if hostname not in line.names:
                line = line._replace(names=line.names + (hostname,))
        out.append(line)
    if not found:
        out.append(hostent.HostsLine(address, (hostname,)))
    return out


def _reason(diffs):
    return ", ".join("%s %s -> %s" % (item, old or "(none)", new) for item, old, new in diffs)
