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
from types import MappingProxyType
from typing import Dict, NamedTuple, Optional, Tuple, Union

STEP_NAMES = ("devices", "importvg", "mktcpip", "aliases", "routes", "dns", "bootlist",
              "nimclient", "rsct", "scripts", "clouddev")
MAX_CONFIG_BYTES = 1024 * 1024


class Problem(NamedTuple):
    path: str
    line: Optional[int]
    key: str
    message: str

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
# Immutable records as NamedTuples, not frozen dataclasses: creating ten dataclasses (and
# importing inspect for them) was a third of what an idle boot spends beyond importing
# yaml and psutil. Change a copy with `value._replace(...)`.

_EMPTY = MappingProxyType({})


class Alias(NamedTuple):
    address: str
    netmask: str

    def aix(self):
        """The form chdev -a alias4= and ifconfig take: address,netmask."""
        return "%s,%s" % (self.address, self.netmask)


class Interface(NamedTuple):
    name: str
    address: str
    netmask: str
    aliases: Tuple[Alias, ...] = ()
    primary: bool = False


class Route(NamedTuple):
    destination: str  # a network with its prefix: "10.9.0.0/16", "10.9.8.7/32"
    gateway: str


class Dns(NamedTuple):
    nameservers: Tuple[str, ...]
    domain: Optional[str] = None
    search: Tuple[str, ...] = ()


class SubnetRule(NamedTuple):
    source: "object"  # ipaddress.IPv4Network (kept untyped: no ipaddress import here)
    target: "object"


class Site(NamedTuple):
    name: str
    systemids: Tuple[str, ...]
    lpar_names: Tuple[str, ...] = ()
    lpar_ids: Tuple[int, ...] = ()
    hostname: Optional[str] = None
    interfaces: Optional[Tuple[Interface, ...]] = None
    gateway: Optional[str] = None
    routes: Optional[Tuple[Route, ...]] = None
    dns: Optional[Dns] = None
    nimclient: Optional[str] = None  # "enabled" | "disabled"
    bootlist: Optional[Union[str, Tuple[str, ...]]] = None  # "rootvg" | hdisk names
    observed: bool = False
    derive_from: Optional[str] = None
    subnets: Tuple[SubnetRule, ...] = ()

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


class VolumeGroups(NamedTuple):
    import_: Union[str, Tuple[str, ...]] = "all"  # "all" | VG names
    mount: bool = True
    fsck: str = "check"    # check (log replay and fsck before mount) | none


class Script(NamedTuple):
    path: str
    timeout: int


class Timeouts(NamedTuple):
    command: int = 600
    boot: int = 900
    script: int = 300


class Config(NamedTuple):
    """A valid configuration. The dicts are in file order; treat them as read-only."""

    path: str
    version: int = 1
    sites: Dict[str, Site] = _EMPTY
    volume_groups: VolumeGroups = VolumeGroups()
    device_attributes: Dict[str, Dict[str, str]] = _EMPTY
    scripts: Tuple[Script, ...] = ()
    steps: Tuple[str, ...] = STEP_NAMES
    on_unknown_site: str = "refuse"
    enabled: bool = True
    hosts: Dict[str, Dict[str, dict]] = _EMPTY
    timeouts: Timeouts = Timeouts()
    notify: Optional[Tuple[str, ...]] = None
    parallel: int = 4

    def site(self, name):
        """The named Site; KeyError (naming the sites there are) when there is none."""
        try:
            return self.sites[name]
        except KeyError:
            raise KeyError("no site %r in %s (sites: %s)"
                           % (name, self.path, ", ".join(self.sites))) from None
