"""Identity facts -> the current site -> the boot decision (docs/CONTRACT.md)."""

from collections import namedtuple

from .aix import AixParseError
from .aix.lsattr import read_first
from .aix.uname import lpar as read_lpar
from .record import pending_target, unfinished_steps

# Boot decisions, in the order of the contract (docs/CONTRACT.md, "Which site").
CONFIG_ERROR = "config_error"
DISABLED = "disabled"
UNKNOWN_SITE = "unknown_site"
ADOPT = "adopt"
SITE_CHANGE = "site_change"
RESUME = "resume"
NOTHING = "nothing"


class Identity(namedtuple("Identity", "systemid lpar_number lpar_name clouddev ghostdev "
                                      "boot_time")):
    """What tells the site: sys0's systemid, the LPAR's number and name (uname -L), sys0's
    clouddev and ghostdev (None: the attribute does not exist on this AIX level), and the
    boot time (seconds since the epoch). Any of them may be None in a record."""

    __slots__ = ()

    def record(self):
        return dict(self._asdict())

    def lpar_key(self):
        """What identifies the partition: frame, LPAR number and name."""
        return (self.systemid, self.lpar_number, self.lpar_name)


def read_identity(runner):
    """Two read-only commands: `lsattr -El sys0` (systemid, clouddev and ghostdev in one
    call: asking for clouddev with -a would fail outright with 0514-528 on levels that
    lack it) and `uname -L`."""
    attrs = read_first(runner, "sys0")
    if not attrs.get("systemid"):
        # rc 0 and nothing usable (an empty answer, or rows without systemid): the site
        # cannot be told, which is not the same as "no site has this frame"
        raise AixParseError("lsattr -El sys0: no systemid in its output")
    lpar = read_lpar(runner)
    return Identity(
        systemid=attrs.get("systemid") or None,
        lpar_number=lpar.number,
        lpar_name=lpar.name,
        clouddev=attrs.get("clouddev"),
        ghostdev=attrs.get("ghostdev"),
        boot_time=_boot_time(),
    )


def _boot_time():
    try:
        import psutil  # lazy: status does not import psutil; missing, the boot time is unknown

        return float(psutil.boot_time())
    except Exception:  # noqa: BLE001 - an unknown boot time only weakens a record
        return None


def identity_from_record(rec):
    if not isinstance(rec, dict):
        return None
    try:
        return Identity(**{k: rec.get(k) for k in Identity._fields})
    except TypeError:
        return None


# --- site matching -------------------------------------------------------------


class SiteMatch(namedtuple("SiteMatch", "site reason candidates", defaults=((),))):
    """The site matched (None: none, or ambiguous), why, and the sites that matched."""

    __slots__ = ()


def match_site(config, ident):
    """The site whose systemids hold the current systemid and whose lpar_names/lpar_ids,
    where given, match; a site with such a condition is more specific and wins."""
    matches = [s for s in config.sites.values()
               if s.matches(ident.systemid, ident.lpar_number, ident.lpar_name)]
    if not matches:
        return SiteMatch(None, "systemid %s (LPAR %s %s) belongs to no configured site"
                         % (ident.systemid, ident.lpar_number, ident.lpar_name))
    best = max(s.specificity for s in matches)
    top = [s for s in matches if s.specificity == best]
    names = tuple(s.name for s in top)
    if len(top) > 1:
        return SiteMatch(None, "ambiguous: sites %s match equally" % ", ".join(names), names)
    site = top[0]
    how = "systemid %s" % ident.systemid
    if site.lpar_names:
        how += " and LPAR name %s" % ident.lpar_name
    if site.lpar_ids:
        how += " and LPAR id %s" % ident.lpar_number
    return SiteMatch(site.name, how, names)


# --- ODM reset inference ---------------------------------------------------------


def infer_odm_reset(runner, inventory):
    """True when the inventory's data VGs are unknown to the ODM (their PVIDs show VG
    None in lspv) - what a clouddev/ghostdev reset leaves behind. The NVRAM flag itself
    cannot be read from a running AIX. None when there is nothing to judge by."""
    vgs = (inventory or {}).get("volume_groups") or {}
    pvids = {p for vg in vgs.values() for p in vg.get("pvids", ())}
    if not pvids:
        return None
    from .aix.lspv import list_pvs  # lazy: only a boot whose identity changed reads disks

    pvs = list_pvs(runner)
    known = {pv.pvid for pv in pvs if pv.vg}
    data_known = [p for p in pvids if p in known]
    return not data_known


# --- the boot decision ------------------------------------------------------------


class Decision(namedtuple("Decision", "action site previous_site reason steps",
                          defaults=((),))):
    """The boot's decision: ADOPT, SITE_CHANGE, RESUME, NOTHING or UNKNOWN_SITE; the site
    (None when unknown) and the one applied before; why; for RESUME, the steps still to
    run."""

    __slots__ = ()


def decide(config, ident, state, site_match, odm_reset=None):
    """Cases 2-6 of the boot decision (1 is the caller's: config error or disabled)."""
    if site_match.site is None:
        return Decision(UNKNOWN_SITE, None, None, site_match.reason)
    site = site_match.site
    if not state or (state.get("applied_site") is None and pending_target(state) is None):
        return Decision(ADOPT, site, None,
                        "no state yet: adopting %s as applied, changing nothing" % site)
    applied = state.get("applied_site")
    target = pending_target(state)
    if target is not None:
        if target["site"] == site:
            todo = unfinished_steps(target, config.steps)
            return Decision(RESUME, site, target.get("previous_site"),
                            "the last run for %s did not finish: %s"
                            % (site, ", ".join(todo) or "nothing left"), todo)
        # A run towards another site was cut short: this site must be applied again.
        return Decision(SITE_CHANGE, site, target["site"],
                        "site change: %s -> %s (the run towards %s did not finish)"
                        % (target["site"], site, target["site"]))
    if site != applied:
        return Decision(SITE_CHANGE, site, applied, "site change: %s -> %s" % (applied, site))
    if odm_reset:
        return Decision(SITE_CHANGE, site, applied,
                        "the ODM was reset at the same site (%s): applying it again" % site)
    last = _identity_from_state(state)
    if last is not None and last.systemid != ident.systemid:
        return Decision(NOTHING, site, applied,
                        "frame changed inside site %s (%s -> %s: LPM or remote restart): "
                        "nothing to do" % (site, last.systemid, ident.systemid))
    return Decision(NOTHING, site, applied, "site %s already applied" % site)


def _identity_from_state(state):
    return identity_from_record(state.get("identity"))


def identity_changed(state, ident):
    last = _identity_from_state(state or {})
    return last is not None and last.lpar_key() != ident.lpar_key()
