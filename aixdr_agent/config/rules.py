"""Configuration checks that look at more than one value: a site's gateway and routes
against its subnets, derived sites against their sources, sites against each other.

Called by schema.py with its Checker (for err) once the values have been read; each
check works on what did parse and stays silent about what did not (already reported).
"""

import ipaddress

from . import formats
from .yamllines import join


def check_network(ck, key, fields, values, route_nodes, base):
    """The gateway in the primary interface's subnet, route gateways in some interface's
    (or alias's) subnet. base: the site a hosts override applies to; only what this
    mapping (site or override) spells out is judged, reported at its own keys."""
    if "interfaces" in fields and "interfaces" not in values:
        return  # unreadable interfaces: already reported
    interfaces = values.get("interfaces", base.get("interfaces"))
    if not interfaces:
        return
    local_ifaces = "interfaces" in values
    primary = next((i for i in interfaces if i.primary), interfaces[0])
    owned = {i.address: i.name for i in interfaces}
    owned.update({a.address: i.name for i in interfaces for a in i.aliases})
    gateway = values.get("gateway", base.get("gateway"))
    if gateway and ("gateway" in values or local_ifaces):
        node, sub = ((fields["gateway"], join(key, "gateway")) if "gateway" in values
                     else (fields["interfaces"], join(key, "interfaces")))
        subnet = formats.interface(primary.address, primary.netmask).network
        if gateway in owned:
            ck.err(node, sub, "gateway %s is the address of %s itself" % (gateway,
                                                                            owned[gateway]))
        elif ipaddress.IPv4Address(gateway) not in subnet:
            ck.err(node, sub, "gateway %s is not in %s, the subnet of the primary interface "
                   "%s (%s/%s): mktcpip sets the default route through it"
                   % (gateway, subnet, primary.name, primary.address, primary.netmask))
        else:
            try:
                formats.interface(gateway, primary.netmask)
            except ValueError as exc:
                ck.err(node, sub, "gateway %s" % exc)
    if "routes" in values:
        checks = list(zip(values["routes"], route_nodes))
    elif local_ifaces:
        where = (fields["interfaces"], join(key, "interfaces"))
        checks = [(route, where) for route in base.get("routes") or ()]
    else:
        return
    subnets = [formats.interface(i.address, i.netmask).network for i in interfaces]
    subnets += [formats.interface(a.address, a.netmask).network
                for i in interfaces for a in i.aliases]
    for route, (node, sub) in checks:
        address = ipaddress.IPv4Address(route.gateway)
        if route.gateway in owned:
            ck.err(node, sub, "route gateway %s is the address of %s itself"
                   % (route.gateway, owned[route.gateway]))
        elif not any(address in net for net in subnets):
            ck.err(node, sub, "route gateway %s for %s is in no subnet of the site's "
                   "interfaces (%s): it cannot be reached directly"
                   % (route.gateway, route.destination,
                      ", ".join(str(n) for n in dict.fromkeys(subnets))))


def check_sources(ck, sites, site_nodes, all_names):
    """derive_from names another site that has a network to start from, one level only;
    subnets only on derived sites; observed and derive_from not together."""
    for name, site in sites.items():
        fields = site_nodes[name].value
        key = join("sites", name)
        if site.derive_from is None:
            if site.subnets:
                ck.err(fields["subnets"], join(key, "subnets"), "subnet rules map a "
                       "derived site's addresses: they need derive_from")
            continue
        node, sub = fields["derive_from"], join(key, "derive_from")
        source = sites.get(site.derive_from)
        if site.derive_from == name:
            ck.err(node, sub, "a site cannot derive from itself")
        elif site.derive_from not in all_names:
            ck.err(node, sub, "no site %r (sites: %s)" % (site.derive_from,
                                                          ", ".join(all_names)))
        elif source is None:
            pass  # that site is broken: reported there
        elif source.derive_from is not None:
            ck.err(node, sub, "site %r itself derives from %r: derive from a site with "
                   "observed: true or spelled-out interfaces (one level only)"
                   % (source.name, source.derive_from))
        elif not source.observed and not source.interfaces:
            ck.err(node, sub, "site %r has neither observed: true nor interfaces: there is "
                   "no network to derive from" % source.name)
        if site.observed:
            ck.err(fields["observed"], join(key, "observed"), "a site is either observed "
                   "or derived (derive_from), not both")


def conditions_overlap(a, b):
    """Could one LPAR satisfy both sites' lpar_names and lpar_ids? A condition a site
    does not give matches every LPAR."""
    names = (not a.lpar_names or not b.lpar_names or
             any(formats.globs_overlap(p, q) for p in a.lpar_names for q in b.lpar_names))
    ids = not a.lpar_ids or not b.lpar_ids or bool(set(a.lpar_ids) & set(b.lpar_ids))
    return names and ids


def check_identities(ck, sites, site_nodes):
    """Two sites that could match the same identity equally are an
    error. Sharing a frame is fine when one site is more specific (lpar_names/lpar_ids)."""
    names = list(sites)
    for index, first in enumerate(names):
        for second in names[index + 1:]:
            a, b = sites[first], sites[second]
            shared = [s for s in b.systemids if s in a.systemids]
            if not shared or a.specificity != b.specificity:
                continue
            fields, key = site_nodes[second].value, join("sites", second)
            if a.specificity == 0:
                ck.err(fields["systemids"], join(key, "systemids"), "%s is also a systemid "
                       "of site %r and neither site has lpar_names or lpar_ids: an LPAR "
                       "on that frame would match both; list each frame in one site, or "
                       "narrow one site down with lpar_names or lpar_ids"
                       % (shared[0], first))
            elif conditions_overlap(a, b):
                cond = "lpar_names" if "lpar_names" in fields else "lpar_ids"
                ck.err(fields[cond], join(key, cond), "sites %r and %r share %s and an "
                       "LPAR could match the lpar_names/lpar_ids of both: make them "
                       "exclusive" % (first, second, shared[0]))
