"""routes: the site's static routes present (inet0 route attribute: persistent and live);
routes of another site's profile removed with the exact string AIX stored. The default
route is mktcpip's, except that another site's default route is removed here when this
site's profile has no gateway."""

import ipaddress

from ..aix.devattr import chdev_argv, read_attrs
from ..aix.inet0 import net_route_value, parse_route_attr
from .base import Action, Step


def _key(destination, netmask, gateway):
    return (destination, netmask or "255.255.255.255", gateway)


def _route_key(route):
    net = ipaddress.IPv4Network(route.destination, strict=False)
    return _key(str(net.network_address), str(net.netmask), route.gateway)


class Routes(Step):
    name = "routes"
    requires = ("mktcpip",)

    def skip_reason(self, ctx):
        profiles = [ctx.profile] + list(ctx.other_profiles())
        if not any(p.routes for p in profiles) and not any(
                p.gateway for p in ctx.other_profiles()):
            return "no site profile configures static routes"
        return None

    def plan(self, ctx):
        want = {_route_key(r): r for r in ctx.profile.routes or ()}
        foreign = set()
        foreign_gw = set()
        for profile in ctx.other_profiles():
            foreign.update(_route_key(r) for r in profile.routes or ())
            if profile.gateway and profile.gateway != ctx.profile.gateway:
                foreign_gw.add(profile.gateway)
        have = {}
        actions = []
        for value in read_attrs(ctx.runner, "inet0", ["route"])["route"]:
            route = parse_route_attr(value)
            if route.is_default:
                if not ctx.profile.gateway and route.gateway in foreign_gw:
                    actions.append(Action(chdev_argv("inet0", [("delroute", route.raw)]),
                                          "default route via %s belongs to another site"
                                          % route.gateway, "inet0.route", route.raw, None))
                continue
            key = _key(route.destination, route.netmask, route.gateway)
            have[key] = route
            if key not in want and key in foreign:
                actions.append(Action(chdev_argv("inet0", [("delroute", route.raw)]),
                                      "route %s/%s via %s belongs to another site" % key,
                                      "inet0.route", route.raw, None))
            elif key not in want:
                ctx.note("routes: %s/%s via %s is in no site profile; left alone" % key)
        for key in want:
            if key not in have:
                value = net_route_value(*key)
                actions.append(Action(chdev_argv("inet0", [("route", value)]),
                                      "route %s/%s via %s added" % key, "inet0.route", None,
                                      value))
        return actions
