"""dns: name servers, domain and search list of /etc/resolv.conf, through namerslv.

namerslv -a appends, so a server list whose order is wrong is rebuilt (-X -I deletes
every nameserver line, then they are added in order); a list that only lacks servers at
its end just gets them appended. Lines the profile does not mention (options) stay."""

from ..aix import namerslv
from ._net import not_in_profile
from .base import Action, Step


class Dns(Step):
    name = "dns"
    profile_keys = ("dns",)

    def skip_reason(self, ctx):
        return None if ctx.profile.dns is not None else not_in_profile(ctx)

    def observe(self, ctx):
        return namerslv.resolver(ctx.runner)

    def observed(self, runner):
        resolver = namerslv.resolver(runner)
        dns = {"nameservers": list(resolver.nameservers)}
        if resolver.domain:
            dns["domain"] = resolver.domain
        if resolver.search:
            dns["search"] = list(resolver.search)
        return {"dns": dns}

    def plan(self, ctx):
        want = ctx.profile.dns
        seen = self.observe(ctx)
        actions = []
        have = list(seen.nameservers)
        desired = list(want.nameservers)
        if have != desired:
            before, after = " ".join(have) or "(none)", " ".join(desired) or "(none)"
            kept = [ns for ns in have if ns in desired]
            if kept == desired[:len(kept)]:
                for ns in have:
                    if ns not in desired:
                        actions.append(Action(namerslv.delete_nameserver_argv(ns),
                                              "name server %s is not in the profile" % ns,
                                              "nameserver", ns, None))
                rest = desired[len(kept):]
            else:
                actions.append(Action(namerslv.delete_all_nameservers_argv(),
                                      "name servers %s -> %s: rebuilt in order"
                                      % (before, after), "nameservers", before, after))
                rest = desired
            for ns in rest:
                actions.append(Action(namerslv.add_nameserver_argv(ns), "add name server %s" % ns,
                                      "nameserver", None, ns))
        if want.domain and seen.domain != want.domain:
            actions.append(Action(namerslv.change_domain_argv(want.domain), "domain %s -> %s"
                                  % (seen.domain or "(none)", want.domain), "domain",
                                  seen.domain, want.domain))
        elif not want.domain and seen.domain:
            actions.append(Action(namerslv.delete_domain_argv(), "domain %s is not in the profile"
                                  % seen.domain, "domain", seen.domain, None))
        search = " ".join(want.search)
        current = " ".join(seen.search)
        if search != current:
            if not search:
                argv = namerslv.delete_search_argv()
            elif not current:
                argv = namerslv.add_search_argv(search)
            else:
                argv = namerslv.change_search_argv(search)
            actions.append(Action(argv, "search list %s -> %s" % (current or "(none)",
                                                                   search or "(none)"),
                                  "search", current or None, search or None))
        return actions
