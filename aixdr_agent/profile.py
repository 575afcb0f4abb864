"""A site's resolved profile for this very LPAR (one file for a fleet): what is spelled out in the
configuration, else what `capture` observed while the LPAR was settled on that site
(`observed: true`), else another site's observed network moved into this site's subnets
(`derive_from` + `subnets`, host bits kept), with the per-LPAR `hosts:` override last.

An address that no subnet rule maps is never guessed: it becomes a problem of the steps
that need it (the steps declaring its key in `profile_keys`), named with the address.
"""

import ipaddress
from typing import Dict, List, NamedTuple

from .config import Alias, Dns, Interface, Route
from .config.schema import PROFILE_KEYS as NETWORK_KEYS

# The keys whose values hold addresses, which `subnets` rules move ("aliases": an interface's
# alias addresses). A site whose network is observed or derived has none without a capture.
ADDRESS_KEYS = ("interfaces", "aliases", "gateway", "routes", "dns")


def steps_needing(keys):
    """The steps that cannot run without one of `keys` of the profile: those that declare
    it in their `profile_keys`, in run order."""
    from .steps import registry  # lazy: every step; only a profile being resolved needs it

    return tuple(s.name for s in registry() if set(keys) & set(s.profile_keys))


class Resolved(NamedTuple):
    site: object                       # config.Site with the network keys filled in
    problems: Dict[str, List[str]]     # step name -> why it cannot run
    sources: Dict[str, str]            # key -> "config", "observed at prod", "derived ..."


def home_hostname(config, inventory):
    """The LPAR's production host name: the hosts: key. Observed at the first site with
    `observed: true`, else at any site."""
    observed = (inventory or {}).get("observed") or {}
    for name, site in config.sites.items():
        if site.observed and (observed.get(name) or {}).get("hostname"):
            return observed[name]["hostname"]
    for profile in observed.values():
        if profile.get("hostname"):
            return profile["hostname"]
    return None


def resolve(config, site_name, inventory=None, lpar_name=None):
    site = config.sites[site_name]
    observed = (inventory or {}).get("observed") or {}
    problems = {}
    unmapped = {}
    values = {}
    sources = {}
    origin = site_name if site.observed else site.derive_from
    if origin:
        seen = observed.get(origin)
        if not seen:
            _block(problems, steps_needing(ADDRESS_KEYS),
                   "no capture was recorded while settled at %s, so its network is unknown: "
                   "run `aixdr-agent capture` there" % origin)
        elif site.observed:
            values = _from_observed(seen)
            sources = {k: "observed at %s" % origin for k in values}
        else:
            values = _derive(_from_observed(seen), site.subnets, unmapped, origin)
            sources = {k: "derived from %s" % origin for k in values}
    spelled = {k: getattr(site, k) for k in NETWORK_KEYS if getattr(site, k) is not None}
    values.update(spelled)
    sources.update({k: "config" for k in spelled})
    host = home_hostname(config, inventory)
    override = (config.hosts.get(host) or {}).get(site_name) if host else None
    if override:
        values.update(override)
        sources.update({k: "hosts: %s" % host for k in override})
    template = values.get("hostname")
    if isinstance(template, str) and "{" in template:
        if host is None and "{hostname}" in template:
            _block(problems, steps_needing(("hostname",)), "hostname template %r needs the "
                   "production host name, which no capture recorded" % template)
            values.pop("hostname")
        else:
            values["hostname"] = template.format(hostname=host or "", lpar_name=lpar_name or "")
    for key, messages in unmapped.items():
        owner = "interfaces" if key == "aliases" else key
        if sources.get(owner, "").startswith("derived"):
            _block(problems, steps_needing((key,)), *messages)
    fields = {k: values[k] for k in NETWORK_KEYS if k in values}
    return Resolved(site._replace(**fields), problems, sources)


def _block(problems, steps, *messages):
    for step in steps:
        bucket = problems.setdefault(step, [])
        for message in messages:
            if message not in bucket:
                bucket.append(message)


def _from_observed(seen):
    """The observed profile (a plain dict in inventory.json) as typed values."""
    values = {}
    if seen.get("hostname"):
        values["hostname"] = seen["hostname"]
    if seen.get("interfaces") is not None:
        values["interfaces"] = tuple(
            Interface(i["name"], i["address"], i["netmask"],
                      tuple(_alias(a) for a in i.get("aliases") or ()), bool(n == 0))
            for n, i in enumerate(seen["interfaces"]))
    if seen.get("gateway"):
        values["gateway"] = seen["gateway"]
    values["routes"] = tuple(Route(r["destination"], r["gateway"])
                             for r in seen.get("routes") or ())
    if seen.get("dns"):
        d = seen["dns"]
        values["dns"] = Dns(tuple(d.get("nameservers") or ()), d.get("domain"),
                            tuple(d.get("search") or ()))
    for key in ("nimclient", "bootlist"):
        if seen.get(key) is not None:
            values[key] = seen[key] if isinstance(seen[key], str) else tuple(seen[key])
    return values


def _alias(text):
    addr, _, mask = text.replace(",", "/").partition("/")
    if mask.isdigit():
        mask = str(ipaddress.IPv4Network("0.0.0.0/%s" % mask).netmask)
    return Alias(addr, mask)


def map_address(address, rules):
    """The address moved by the first rule whose `from` network holds it; None if none."""
    addr = ipaddress.IPv4Address(address)
    for rule in rules:
        if addr in rule.source:
            offset = int(addr) - int(rule.source.network_address)
            return str(ipaddress.IPv4Address(int(rule.target.network_address) + offset))
    return None


def _derive(values, rules, unmapped, source):
    """Move every address of `values` through the subnet rules; an address no rule maps
    is listed in unmapped[key] for the caller to charge to the steps that need it."""

    def move(address, key, what):
        new = map_address(address, rules)
        if new is None:
            unmapped.setdefault(key, []).append(
                "%s %s (observed at %s) is in no `subnets` rule of this site"
                % (what, address, source))
        return new

    out = dict(values)
    if "interfaces" in values:
        ifaces = []
        for iface in values["interfaces"]:
            address = move(iface.address, "interfaces", "%s address" % iface.name) \
                or iface.address
            aliases = []
            for alias in iface.aliases:
                new = move(alias.address, "aliases", "%s alias" % iface.name)
                aliases.append(Alias(new or alias.address, alias.netmask))
            ifaces.append(iface._replace(address=address, aliases=tuple(aliases)))
        out["interfaces"] = tuple(ifaces)
    if "gateway" in values:
        out["gateway"] = move(values["gateway"], "gateway", "gateway") or values["gateway"]
    routes = []
    for route in values.get("routes") or ():
        net = ipaddress.IPv4Network(route.destination, strict=False)
        dest = move(str(net.network_address), "routes", "route destination")
        gw = move(route.gateway, "routes", "route gateway")
        routes.append(Route("%s/%d" % (dest or net.network_address, net.prefixlen),
                            gw or route.gateway))
    out["routes"] = tuple(routes)
    if "dns" in values:
        d = values["dns"]
        servers = tuple(move(ns, "dns", "name server") or ns for ns in d.nameservers)
        out["dns"] = d._replace(nameservers=servers)
    return out


def profile_dict(site):
    """A resolved profile as plain data (config render, plan, detect)."""
    out = {}
    for key in NETWORK_KEYS:
        value = getattr(site, key)
        if value is None:
            continue
        if key == "interfaces":
            value = [_iface_dict(i) for i in value]
        elif key == "routes":
            value = [{"destination": r.destination, "gateway": r.gateway} for r in value]
        elif key == "dns":
            value = {k: v for k, v in (("nameservers", list(value.nameservers)),
                                       ("domain", value.domain),
                                       ("search", list(value.search))) if v}
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


def _iface_dict(iface):
    d = {"name": iface.name, "address": iface.address, "netmask": iface.netmask}
    if iface.aliases:
        d["aliases"] = ["%s/%s" % (a.address, a.netmask) for a in iface.aliases]
    if iface.primary:
        d["primary"] = True
    return d
