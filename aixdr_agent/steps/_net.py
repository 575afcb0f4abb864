"""What the network steps share: when a site leaves a part of the network alone, whose
addresses are whose, and which /etc/hosts names are this host's."""

from ..aix.hostent import HostsLine


def not_in_profile(ctx):
    """The skip reason of a step whose part the site's profile leaves out: that part of
    the system stays exactly as it is (a stretched VLAN with the same addresses at both
    sites names only its frames)."""
    return "not in the profile of site %s" % ctx.site


def addresses(profile):
    """Every address a profile puts on an interface: the interfaces' own and aliases."""
    out = set()
    for iface in profile.interfaces or ():
        out.add(iface.address)
        out.update(a.address for a in iface.aliases)
    return out


def observed_hosts(ctx, site):
    """The host's own /etc/hosts lines `capture` recorded while settled at `site`."""
    seen = ((ctx.inventory or {}).get("observed") or {}).get(site) or {}
    out = []
    for line in seen.get("hosts") or ():
        if isinstance(line, dict) and line.get("address") and line.get("names"):
            out.append(HostsLine(str(line["address"]), tuple(str(n) for n in line["names"])))
    return out


def foreign_addresses(ctx):
    """Addresses that belong to another site and not to this one: another profile's
    interfaces and aliases, and the host's own /etc/hosts lines observed elsewhere."""
    mine = addresses(ctx.profile)
    out = set()
    for name, profile in ctx.profiles.items():
        if name == ctx.site:
            continue
        out |= addresses(profile)
        out.update(line.address for line in observed_hosts(ctx, name))
    return out - mine


def same_host(name, hostname):
    """`aixprd01.corp.example.com` and `aixprd01` are forms of the host name aixprd01."""
    return bool(hostname) and (name == hostname or
                               name.split(".")[0] == hostname.split(".")[0])


def host_names(ctx, hostname):
    """A predicate: is this /etc/hosts name one of this host's, at any site? Every site's
    host name (short or qualified) and every name of the host's own lines as observed."""
    hostnames = {p.hostname for p in ctx.profiles.values() if p.hostname}
    if hostname:
        hostnames.add(hostname)
    recorded = set()
    for name in ctx.profiles:
        for line in observed_hosts(ctx, name):
            recorded.update(line.names)

    def is_ours(name):
        return name in recorded or any(same_host(name, h) for h in hostnames)
    return is_ours
