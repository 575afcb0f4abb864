"""rsct: a new RSCT node id (recfgct) when the LPAR identity changed during a site
change, so the HMC's RMC connection (DLPAR, LPM) works at the new site. A clone keeps
the production node id, and the HMC then talks to the wrong partition."""

from .base import Action, Step


class Rsct(Step):
    name = "rsct"

    def skip_reason(self, ctx):
        if ctx.previous_site in (None, ctx.site):
            return "not a site change"
        return None

    def plan(self, ctx):
        last = (ctx.applied_identity or {})
        ident = ctx.identity
        if ident is None:
            return []
        was = (last.get("systemid"), last.get("lpar_number"), last.get("lpar_name"))
        now = ident.lpar_key()
        if last and was == now:
            return []
        return [Action(("recfgct",), "LPAR identity %s -> %s: new RSCT node id"
                       % ("/".join(str(v) for v in was), "/".join(str(v) for v in now)),
                       "rsct.node_id", None, None)]

    def verify(self, ctx, actions):
        return []  # recfgct has no observable target beyond its exit code
