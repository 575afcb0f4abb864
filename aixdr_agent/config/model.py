"""The configuration's values (frozen) and the decisions behind them.

Every problem in the file is collected and reported at once, each with the file, the line
and the key path (``agent.yaml:14: sites.dr.interfaces[0].address: '10.20.1.300' is not
an IPv4 address``); the agent changes nothing while any remains. The file and every script
it names must be owned by a trusted user (root) and not writable by group or others.

The format is docs/CONTRACT.md's "The configuration". Keys beyond the basic ones:

``timeouts: {command: 600, boot: 900, script: 300}``
    Seconds, positive integers of at most a day: each command's timeout, the overall
    deadline of ``boot`` (inittab ``wait`` holds the boot), the default per script.
``notify: ["/usr/local/bin/dr-notify", "--to", "unix-team"]``
    A command (argv list, the first an absolute path) run after each boot-time run with
    the run summary on its stdin. It must exist and be executable and not writable by
    group or others; its owner is not checked (AIX system commands belong to bin).
``scripts:`` items
    Either a path or ``{path: /etc/aixdr/scripts.d/10-x.ksh, timeout: 120}``.
``parallel: 4``
    How many commands a step may run at a time where nothing is shared (the checks and
    mounts of file systems of different VGs); 1 runs them one after another. A positive
    whole number of at most 64; default 4. Commands that change the ODM always run one
    at a time.
``version:``
    May be left out (it defaults to 1); any value but 1 is
    an error.

Decisions where the contract leaves room:

* Two sites may share a systemid (the example's dr and drtest share a frame) as long as no
  LPAR could match both equally: the one with ``lpar_names``/``lpar_ids`` is more
  specific; two with conditions must not overlap (patterns are checked exactly).
  ``lpar_names`` and ``lpar_ids`` given together must both match (decision.py does so).
  LPAR name patterns are fnmatch.fnmatchcase patterns (case-sensitive).
* ``routes: []`` and ``aliases: []`` mean "none at this site" (other sites' are still
  removed); an absent key means the step leaves them alone. Other empty lists are errors.
* ``gateway`` must lie in the primary interface's subnet, a route's gateway in the subnet
  of one of the site's interfaces or aliases, when the site spells them out.
* ``hostname`` may be a template with ``{hostname}`` and ``{lpar_name}`` only, so that
  ``template.format(hostname=..., lpar_name=...)`` is safe; the rendered name must still
  be checked by whoever renders it (LPAR names may hold "_" or blanks).
* ``hosts`` values are dicts holding only the keys given, with the same typed values as
  the Site fields, so ``site._replace(**config.hosts[h][site.name])`` applies
  an override.
* Integers must be written plainly: YAML 1.1 reads ``010`` as 8 and ``1:30`` as 90.
  Device attribute values keep the text as written (``0x100000`` stays ``0x100000``).

This module does not import yaml at import time (the fast ``status`` path imports it).
"""

import fnmatch
from collections import namedtuple
from types import MappingProxyType

from ..steps import ORDER as STEP_NAMES  # the step files are the one list

MAX_CONFIG_BYTES = 1024 * 1024


class Problem(namedtuple("Problem", "path line key message")):
    """One problem in a configuration: the file, the line (None when it has none), the
    key path and what is wrong."""

    __slots__ = ()

    def __str__(self):
        if self.line is None:
            return "%s: %s: %s" % (self.path, self.key, self.message)
        return "%s:%d: %s: %s" % (self.path, self.line, self.key, self.message)


class ConfigError(Exception):
    """One or more problems in a configuration; str() lists them, one per line."""

    def __init__(self, problems):
        self.problems = sorted(problems, key=lambda p: (p.line is None, p.line or 0))
        super().__init__("\n".join(str(p) for p in self.problems))


# --- the values ---------------------------------------------------------------------
# Immutable records as namedtuples, not frozen dataclasses nor typing.NamedTuple: creating
# ten dataclasses (and importing inspect for them) was a third of what an idle boot spent
# beyond importing yaml and psutil, and importing typing another 3 ms. Each docstring says
# what its fields hold. Change a copy with `value._replace(...)`.

_EMPTY = MappingProxyType({})


class Alias(namedtuple("Alias", "address netmask")):
    """An IPv4 alias of an interface: dotted address and netmask."""

    __slots__ = ()

    def aix(self):
        """The form chdev -a alias4= and ifconfig take: address,netmask."""
        return "%s,%s" % (self.address, self.netmask)


class Interface(namedtuple("Interface", "name address netmask aliases primary",
                           defaults=((), False))):
    """An interface of a site: name (en0), address, netmask, aliases (Alias, ...), and
    whether it is the primary one (hostname, default gateway)."""

    __slots__ = ()


class Route(namedtuple("Route", "destination gateway")):
    """A static route: destination a network with its prefix ("10.9.0.0/16",
    "10.9.8.7/32"), gateway an address."""

    __slots__ = ()


class Dns(namedtuple("Dns", "nameservers domain search", defaults=(None, ()))):
    """/etc/resolv.conf: nameservers (addresses, in order), domain (or None), search
    (domains, in order)."""

    __slots__ = ()


class SubnetRule(namedtuple("SubnetRule", "source target")):
    """Derives an address at one site from another's: source and target are
    ipaddress.IPv4Network values (built where the schema checks them)."""

    __slots__ = ()


class Site(namedtuple("Site", (
        "name", "systemids", "lpar_names", "lpar_ids", "hostname", "interfaces", "gateway",
        "routes", "dns", "nimclient", "bootlist", "observed", "derive_from", "subnets"),
        defaults=((), (), None, None, None, None, None, None, None, False, None, ()))):
    """A site of the configuration.

    name; systemids (frames, a tuple of str); lpar_names (fnmatch patterns) and lpar_ids
    (int), which narrow it down when given. The profile, each None when the site leaves it
    alone: hostname (a name or a template), interfaces (Interface, ...), gateway, routes
    (Route, ...), dns (Dns), nimclient ("enabled" | "disabled"), bootlist ("rootvg" or
    hdisk names). observed: the site takes its network from what capture saw on this
    LPAR; derive_from: the site whose addresses this one moves by its subnets rules
    (SubnetRule, ...), keeping the host bits."""

    __slots__ = ()

    @property
    def primary_interface(self):
        """The interface marked primary, else the first; None without interfaces."""
        if not self.interfaces:
            return None
        return next((i for i in self.interfaces if i.primary), self.interfaces[0])

    @property
    def specificity(self):
        """1 when lpar_names or lpar_ids narrow the site down, else 0."""
        return 1 if (self.lpar_names or self.lpar_ids) else 0

    def matches(self, systemid, lpar_id, lpar_name):
        """The identity rule of the boot decision (every given condition must hold)."""
        if systemid not in self.systemids:
            return False
        if self.lpar_names and not any(fnmatch.fnmatchcase(lpar_name or "", p)
                                       for p in self.lpar_names):
            return False
        return not self.lpar_ids or lpar_id in self.lpar_ids


class VolumeGroups(namedtuple("VolumeGroups", "import_ mount fsck",
                              defaults=("all", True, "check"))):
    """import_: "all" or a tuple of data VG names; mount: whether their file systems are
    mounted; fsck: "check" (log replay and fsck before mount) or "none"."""

    __slots__ = ()

    def selects(self, name):
        """Whether the data VG `name` is one the agent imports."""
        return self.import_ == "all" or name in self.import_


class Script(namedtuple("Script", "path timeout")):
    """A site-change hook: its absolute path and its timeout in seconds."""

    __slots__ = ()


class Timeouts(namedtuple("Timeouts", "command boot script", defaults=(600, 900, 300))):
    """Seconds: each command's timeout, the deadline of a whole boot, a hook's default."""

    __slots__ = ()


class Config(namedtuple("Config", (
        "path", "version", "sites", "volume_groups", "device_attributes", "scripts", "steps",
        "on_unknown_site", "enabled", "hosts", "timeouts", "notify", "parallel"),
        defaults=(1, _EMPTY, VolumeGroups(), _EMPTY, (), STEP_NAMES, "refuse", True, _EMPTY,
                  Timeouts(), None, 4))):
    """A valid configuration. sites ({name: Site}), device_attributes ({device class or
    name: {attribute: value}}) and hosts ({hostname: {site: {field: value}}}) are dicts in
    file order: treat them as read-only. scripts: Script, ...; steps: step names in order;
    on_unknown_site: "refuse"; notify: an argv tuple or None; parallel: commands at a time
    where nothing is shared."""

    __slots__ = ()

    def site(self, name):
        """The named Site; KeyError (naming the sites there are) when there is none."""
        try:
            return self.sites[name]
        except KeyError:
            raise KeyError("no site %r in %s (sites: %s)"
                           % (name, self.path, ", ".join(self.sites))) from None
