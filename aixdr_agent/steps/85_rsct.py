"""rsct: a new RSCT node id when the LPAR identity changed during a site change, so the
HMC's RMC connection (DLPAR, LPM) works at the new site. A clone keeps the production node
id, and the HMC then talks to the wrong partition.

The sequence is the one IBM's cloud-init module cc_reset_rmc uses: read the node id (first
line of /etc/ct_node_id), stop RMC and its resource managers (rmcctrl -z), recfgct, read
the node id again and fail when it did not change. recfgct deletes every RSCT
configuration under /var/ct, so it never runs on a node of an RSCT peer domain (lsrpdomain
lists one) or a PowerHA node (the cluster.es.server.rte fileset): there the step is skipped
and says why; the cluster's own procedures handle its node ids.
"""

from ..aix import rsct
from .base import Action, Step


def _node_id(ctx):
    res = ctx.runner.query(rsct.read_node_id(), check=False)
    return rsct.parse_node_id(res.stdout) if res.ok else None


class Rsct(Step):
    name = "rsct"

    def skip_reason(self, ctx):
        if ctx.previous_site in (None, ctx.site):
            return "not a site change"
        if ctx.identity is None or not self._identity_changed(ctx):
            return None          # plan says ok: nothing to do
        res = ctx.runner.query(rsct.powerha_query(), check=False)
        if res.ok and rsct.POWERHA_FILESET in res.stdout:
            return ("a PowerHA node (%s installed): recfgct would delete the cluster's RSCT "
                    "configuration; not run" % rsct.POWERHA_FILESET)
        res = ctx.runner.query(rsct.lsrpdomain(), check=False)
        domains = rsct.parse_lsrpdomain(res.stdout) if res.ok else []
        if domains:
            return ("a node of the RSCT peer domain %s: recfgct would delete the domain's "
                    "configuration; not run" % ", ".join(domains))
        if not res.ok:
            # lsrpdomain missing or failing: whether this node is in a domain is unknown
            return ("lsrpdomain failed (%s): whether this node is in an RSCT peer domain is "
                    "unknown, so recfgct is not run" % res.describe_failure()[:120])
        return None

    @staticmethod
    def _identity_changed(ctx):
        last = ctx.applied_identity or {}
        was = (last.get("systemid"), last.get("lpar_number"), last.get("lpar_name"))
        return not last or was != ctx.identity.lpar_key()

    def plan(self, ctx):
        ident = ctx.identity
        if ident is None or not self._identity_changed(ctx):
            return []
        last = ctx.applied_identity or {}
        was = (last.get("systemid"), last.get("lpar_number"), last.get("lpar_name"))
        now = ident.lpar_key()
        old = _node_id(ctx)
        why = "LPAR identity %s -> %s" % ("/".join(str(v) for v in was),
                                          "/".join(str(v) for v in now))
        return [Action(rsct.stop_rmc(), "%s: stop RMC before the new node id" % why,
                       "rsct.node_id", old, None),
                Action(rsct.recfgct(), "%s: new RSCT node id (was %s)" % (why, old or "unknown"),
                       "rsct.node_id", old, "new")]

    def verify(self, ctx, actions):
        old = actions[-1].before if actions else None   # the node id when planned
        new = _node_id(ctx)
        if new is None:
            return ["no RSCT node id in %s after recfgct" % rsct.NODE_ID_FILE]
        if new == old:
            return ["the RSCT node id is still %s after recfgct" % new]
        return []
