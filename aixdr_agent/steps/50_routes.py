"""routes: the site's static routes present (inet0 route attribute: persistent and live);
routes of another site's profile removed with the exact string AIX stored. The default
route is mktcpip's. A site without `routes` leaves the static routes as they are;
`routes: []` means none of its own, and other sites' are still removed.

`mktcpip -g` deletes every inet0 route, static ones too (mktcpip step). After it, this
step adds the profile's routes again and puts back, with the string AIX had stored, every
route it removed that this step would have left alone; another site's routes stay gone.
`plan` predicts that: it plans on the routes as mktcpip will leave them.
"""

import ipaddress

from ..aix.devattr import chdev_argv, read_attrs
from ..aix.inet0 import net_route_value, parse_route_attr
from ._net import not_in_profile
from .base import Action, Step


def _key(destination, netmask, gateway):
    return (destination, netmask or "255.255.255.255", gateway)


def _route_key(route):
    net = ipaddress.IPv4Network(route.destination, strict=False)
    return _key(str(net.network_address), str(net.netmask), route.gateway)


class Routes(Step):
    name = "routes"
    requires = ("mktcpip",)
    profile_keys = ("routes",)

    def skip_reason(self, ctx):
        if ctx.profile.routes is None and not _put_back(ctx):
            gone = ctx.mktcpip_routes
            if gone and gone[0]:
                return "%s; mktcpip -g removed another site's routes: %s" % (
                    not_in_profile(ctx), ", ".join(
                        "%s via %s" % (_cidr(r), r.gateway)
                        for r in map(parse_route_attr, gone[0])))
            return not_in_profile(ctx)
        return None

    def observed(self, runner):
        routes = []
        for value in read_attrs(runner, "inet0", ["route"]).get("route", []):
            route = parse_route_attr(value)
            if not route.is_default:
                routes.append({"destination": _observed_cidr(route), "gateway": route.gateway})
        return {"routes": routes} if routes else {}

    def plan(self, ctx):
        manage = ctx.profile.routes is not None
        want = {_route_key(r): r for r in ctx.profile.routes or ()}
        foreign = set()
        for profile in ctx.other_profiles():
            foreign.update(_route_key(r) for r in profile.routes or ())
        values = read_attrs(ctx.runner, "inet0", ["route"])["route"]
        removed = ctx.mktcpip_routes
        if removed and ctx.runner.dry_run:
            # plan: mktcpip -g has not run; the routes as it will leave them
            values = [removed[1]]
        have = {}
        actions = []
        for value in values:
            route = parse_route_attr(value)
            if route.is_default:
                continue
            key = _key(route.destination, route.netmask, route.gateway)
            have[key] = route
            if manage and key not in want and key in foreign:
                actions.append(Action(chdev_argv("inet0", [("delroute", route.raw)]),
                                      "route %s/%s via %s belongs to another site" % key,
                                      "inet0.route", route.raw, None))
            elif key not in want:
                ctx.note("routes: %s/%s via %s is in no profile of site %s; left alone"
                         % (key + (ctx.site,)))
        for key in want:
            if key not in have:
                value = net_route_value(*key)
                actions.append(Action(chdev_argv("inet0", [("route", value)]),
                                      "route %s/%s via %s added" % key, "inet0.route", None,
                                      value))
        for key, value in _put_back(ctx):
            if key not in have and key not in want:
                actions.append(Action(chdev_argv("inet0", [("route", value)]),
                                      "route %s/%s via %s put back (mktcpip -g removed it)"
                                      % key, "inet0.route", None, value))
        return actions


def _cidr(route):
    key = _key(route.destination, route.netmask, route.gateway)
    return str(ipaddress.IPv4Network("%s/%s" % key[:2], strict=False))


def _observed_cidr(route):
    if not route.netmask:
        return "%s/32" % route.destination
    return str(ipaddress.IPv4Network("%s/%s" % (route.destination, route.netmask),
                                     strict=False))


def _put_back(ctx):
    """(key, stored value) of the static routes `mktcpip -g` removed in this run that
    no other site's profile claims and this site's does not set itself."""
    removed = ctx.mktcpip_routes
    if not removed:
        return []
    want = {_route_key(r) for r in ctx.profile.routes or ()}
    foreign = set()
    for profile in ctx.other_profiles():
        foreign.update(_route_key(r) for r in profile.routes or ())
    out = []
    for value in removed[0]:
        route = parse_route_attr(value)
        key = _key(route.destination, route.netmask, route.gateway)
        if key not in want and key not in foreign:
            out.append((key, route.raw))
    return out
