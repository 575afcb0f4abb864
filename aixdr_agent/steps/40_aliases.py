"""aliases: the site's IPv4 aliases present (chdev alias4, persistent and live); aliases
that belong to another site's profile removed (delalias4). An alias nobody configured is
left alone and noted: it may be a cluster service address. A site without `interfaces`
leaves every alias as it is."""

from ..aix.devattr import DeviceMissing, chdev_argv, read_attrs
from ._net import not_in_profile
from .base import Action, Step


def _pair(value):
    """'10.1.1.16,255.255.255.0' -> ('10.1.1.16', '255.255.255.0')."""
    addr, _, mask = value.partition(",")
    return addr.strip(), mask.strip()


class Aliases(Step):
    name = "aliases"
    requires = ("mktcpip",)
    profile_keys = ("interfaces", "aliases")

    def skip_reason(self, ctx):
        if ctx.profile.interfaces is None:
            return not_in_profile(ctx)
        if not _interfaces_with_aliases(ctx):
            return "no site profile configures aliases"
        return None

    def plan(self, ctx):
        mine = {i.name: [(a.address, a.netmask) for a in i.aliases]
                for i in (ctx.profile.interfaces or ())}
        foreign = set()
        for profile in ctx.other_profiles():
            for iface in profile.interfaces or ():
                foreign.add(iface.address)
                foreign.update(a.address for a in iface.aliases)
        actions = []
        for name in sorted(_interfaces_with_aliases(ctx)):
            try:
                have = [_pair(v) for v in read_attrs(ctx.runner, name, ["alias4"])["alias4"]]
            except DeviceMissing:
                if mine.get(name):
                    ctx.note("aliases: interface %s does not exist" % name)
                continue
            want = mine.get(name, [])
            wanted_addrs = {a for a, _ in want}
            for addr, mask in have:
                if (addr, mask) in want:
                    continue
                if addr in wanted_addrs or addr in foreign:
                    actions.append(Action(
                        chdev_argv(name, [("delalias4", "%s,%s" % (addr, mask))]),
                        "%s alias %s/%s belongs to %s" % (
                            name, addr, mask, "another mask" if addr in wanted_addrs
                            else "another site"), "%s.alias4" % name, "%s,%s" % (addr, mask),
                        None))
                else:
                    ctx.note("aliases: %s carries %s/%s, which no site configures; "
                                     "left alone" % (name, addr, mask))
            for addr, mask in want:
                if (addr, mask) not in have:
                    actions.append(Action(chdev_argv(name, [("alias4", "%s,%s" % (addr, mask))]),
                                          "%s alias %s/%s added" % (name, addr, mask),
                                          "%s.alias4" % name, None, "%s,%s" % (addr, mask)))
        return actions


def _interfaces_with_aliases(ctx):
    """Every interface any site names, when any site configures aliases at all."""
    ifaces = [i for p in [ctx.profile] + list(ctx.other_profiles()) for i in (p.interfaces or ())]
    if not any(i.aliases for i in ifaces):
        return set()
    return {i.name for i in ifaces}
