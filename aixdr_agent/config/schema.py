"""Configuration text -> Config, or ConfigError listing every problem (file:line: key).

The walk goes over yamllines.Node, so each value still knows its line. Each reader returns
the typed value or None after reporting why; nothing stops at the first problem. The
cross-checks (sites against each other, gateways against subnets) run on what did parse.
"""

from . import formats, yamllines
from .model import (
    MAX_CONFIG_BYTES,
    STEP_NAMES,
    Alias,
    Config,
    ConfigError,
    Dns,
    Interface,
    Route,
    Script,
    Site,
    SubnetRule,
    Timeouts,
    VolumeGroups,
)
from .reader import Reader, describe, quote_hint
from .rules import check_identities, check_network, check_sources
from .yamllines import join

MAX_PARALLEL = 64   # commands of one step at a time; more buys nothing on an LPAR
TOP_KEYS = ("version", "sites", "volume_groups", "device_attributes", "scripts", "steps",
            "on_unknown_site", "enabled", "hosts", "timeouts", "notify", "parallel")
PROFILE_KEYS = ("hostname", "interfaces", "gateway", "routes", "dns", "nimclient",
                "bootlist")
SITE_KEYS = ("systemids", "lpar_names", "lpar_ids") + PROFILE_KEYS + (
    "observed", "derive_from", "subnets")
MAX_SECONDS = 86400
MAX_NAMESERVERS = 3  # AIX resolv.conf honours three nameserver entries
MAX_SEARCH = 6       # and six search domains


def build(text, path, check_files):
    checker = Checker(path, check_files)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_CONFIG_BYTES:
        checker.report(None, "(file)", "larger than %d bytes; refused unread"
                       % MAX_CONFIG_BYTES)
        raise ConfigError(checker.problems)
    root = yamllines.load(text, checker.report)
    config = None
    if root is None:
        if not checker.problems:
            checker.report(1, "(file)", "the file is empty: it needs at least the sites")
    else:
        config = checker.config(root)
    if checker.problems:
        raise ConfigError(checker.problems)
    return config


class Checker(Reader):
    """The schema: the configuration of docs/CONTRACT.md plus the keys documented in model.py."""

    def __init__(self, path, check_files):
        super().__init__(path, check_files)
        self.site_profiles = {}  # site name -> its profile values (for hosts overrides)

    # --- the document ---------------------------------------------------------------

    def config(self, root):
        top = self.mapping(root, "", TOP_KEYS, required=("sites",))
        if top is None:
            return None
        node = top.get("version")
        if node is not None and not (node.kind == "scalar" and node.raw == "1"
                                     and node.value == 1):
            if node.kind != "bad":
                self.err(node, "version", "this agent reads version 1, got %s"
                         % describe(node))
        timeouts = self.timeouts(top["timeouts"]) if "timeouts" in top else Timeouts()
        sites = self.sites(top["sites"]) if "sites" in top else {}
        values = {"timeouts": timeouts, "sites": sites}
        readers = {
            "volume_groups": self.volume_groups,
            "device_attributes": self.device_attributes,
            "scripts": lambda n: self.scripts(n, timeouts.script),
            "steps": lambda n: self.unique(n, "steps", self.step),
            "on_unknown_site": lambda n: self.choice(
                n, "on_unknown_site", ("refuse",), "refuse (the only choice: a guess could "
                "put one site's addresses on another)"),
            "enabled": lambda n: self.boolean(n, "enabled"),
            "hosts": lambda n: self.hosts(n, sites),
            "notify": self.notify,
            "parallel": lambda n: self.count(n, "parallel", MAX_PARALLEL),
        }
        for name, read in readers.items():
            if name in top:
                value = read(top[name])
                if value is not None:
                    values[name] = value
        if self.problems:
            return None
        return Config(path=self.path, **values)

    def timeouts(self, node):
        fields = self.mapping(node, "timeouts", ("command", "boot", "script"))
        if fields is None:
            return Timeouts()
        values = {}
        for name, child in fields.items():
            value = self.count(child, join("timeouts", name), MAX_SECONDS)
            if value is not None:
                values[name] = value
        return Timeouts(**values)

    def step(self, node, key):
        name = self.string(node, key)
        if name is not None and name not in STEP_NAMES:
            import difflib  # lazy: only for an error's suggestion

            near = difflib.get_close_matches(name, STEP_NAMES, n=1)
            self.err(node, key, "%r is not a step; %s" % (name, (
                "did you mean %r?" % near[0]) if near else "steps are: " + ", ".join(
                STEP_NAMES)))
            return None
        return name

    # --- sites ----------------------------------------------------------------------

    def sites(self, node):
        if not self._is(node, "sites", "map", "a mapping of site names to profiles"):
            return {}
        sites, site_nodes = {}, {}
        for name, child in node.value.items():
            key = join("sites", name)
            try:
                formats.name("site", name)
            except ValueError as exc:
                self.err(child, key, str(exc))
                continue
            site = self.site(name, child, key)
            if site is not None:
                sites[name] = site
                site_nodes[name] = child
        if len(node.value) < 2:
            self.err(node, "sites", "%d site given; a configuration needs two or more "
                     "(where the LPAR runs and where it can fail over to)" % len(node.value))
        check_sources(self, sites, site_nodes, list(node.value))
        check_identities(self, sites, site_nodes)
        return sites

    def site(self, name, node, key):
        fields = self.mapping(node, key, SITE_KEYS, required=("systemids",))
        if fields is None:
            return None
        values = {"name": name, "systemids": ()}
        if "systemids" in fields:
            values["systemids"] = self.unique(
                fields["systemids"], join(key, "systemids"),
                lambda n, k: self.parsed(n, k, formats.systemid)) or ()
        if "lpar_names" in fields:
            values["lpar_names"] = self.unique(
                fields["lpar_names"], join(key, "lpar_names"),
                lambda n, k: self.parsed(n, k, formats.lpar_pattern)) or ()
        if "lpar_ids" in fields:
            values["lpar_ids"] = self.unique(fields["lpar_ids"], join(key, "lpar_ids"),
                                             self.count) or ()
        if "observed" in fields:
            values["observed"] = bool(self.boolean(fields["observed"], join(key, "observed")))
        if "derive_from" in fields:
            values["derive_from"] = self.string(fields["derive_from"],
                                                join(key, "derive_from"))
        if "subnets" in fields:
            values["subnets"] = self.subnets(fields["subnets"], join(key, "subnets"))
        profile = self.profile(fields, key)
        self.site_profiles[name] = profile
        values.update(profile)
        return Site(**values)

    def subnets(self, node, key):
        rules, sources, targets = [], [], []
        for index, item in enumerate(self.items(node, key, empty_ok=True) or ()):
            rule_key = join(key, index)
            fields = self.mapping(item, rule_key, ("from", "to"), required=("from", "to"))
            if not fields or "from" not in fields or "to" not in fields:
                continue
            source = self.parsed(fields["from"], join(rule_key, "from"), formats.network)
            target = self.parsed(fields["to"], join(rule_key, "to"), formats.network)
            if source is None or target is None:
                continue
            if source.prefixlen != target.prefixlen:
                self.err(fields["to"], join(rule_key, "to"), "%s is a /%d but from %s is a "
                         "/%d: a rule keeps the host bits, so both need the same length"
                         % (target, target.prefixlen, source, source.prefixlen))
                continue
            for side, net, seen in (("from", source, sources), ("to", target, targets)):
                for other_index, other in seen:
                    if net.overlaps(other):
                        self.err(fields[side], join(rule_key, side), "%s overlaps %s of "
                                 "%s[%d]: an address must map one way only"
                                 % (net, other, key, other_index))
                seen.append((index, net))
            rules.append(SubnetRule(source, target))
        return tuple(rules)

    # --- profiles: the network part of a site or a hosts override ---------------------

    def profile(self, fields, key, base=None):
        """The PROFILE_KEYS present in fields, typed. base: the site profile a hosts
        override applies to (for the gateway/subnet checks)."""
        values, route_nodes = {}, []
        for name in PROFILE_KEYS:
            if name not in fields:
                continue
            node, sub = fields[name], join(key, name)
            if name == "hostname":
                if node.kind == "map":
                    self.err(node, sub, 'a template must be quoted, e.g. "{hostname}-dr"')
                    continue
                value = self.parsed(node, sub, formats.hostname, True)
            elif name == "interfaces":
                value = self.interfaces(node, sub)
            elif name == "gateway":
                value = self.parsed(node, sub, formats.host_address)
            elif name == "routes":
                value = self.routes(node, sub, route_nodes)
            elif name == "dns":
                value = self.dns(node, sub)
            elif name == "nimclient":
                value = self.choice(node, sub, ("enabled", "disabled"))
            else:
                value = self.bootlist(node, sub)
            if value is not None:
                values[name] = value
        check_network(self, key, fields, values, route_nodes, base or {})
        return values

    def interfaces(self, node, key):
        nodes = self.items(node, key)
        if nodes is None:
            return None
        result, names, addresses, primaries = [], {}, {}, []
        for index, item in enumerate(nodes):
            item_key = join(key, index)
            iface = self.interface(item, item_key)
            if iface is None:
                continue
            if iface.name in names:
                self.err(item, join(item_key, "name"), "%s is given twice (also at [%d])"
                         % (iface.name, names[iface.name]))
            names[iface.name] = index
            if iface.primary:
                primaries.append(index)
                if len(primaries) > 1:
                    self.err(item, join(item_key, "primary"), "only one interface can be "
                             "primary (also [%d])" % primaries[0])
            for address in [iface.address] + [a.address for a in iface.aliases]:
                if address in addresses:
                    self.err(item, item_key, "address %s is given twice (also in %s)"
                             % (address, addresses[address]))
                addresses.setdefault(address, item_key)
            result.append(iface)
        return tuple(result)

    def interface(self, node, key):
        fields = self.mapping(node, key, ("name", "address", "netmask", "aliases", "primary"),
                              required=("name", "address", "netmask"))
        if fields is None:
            return None

        def read(name, reader, *args):
            return reader(fields[name], join(key, name), *args) if name in fields else None

        name = read("name", self.parsed, lambda text: formats.name("interface", text))
        address = read("address", self.parsed, formats.host_address)
        mask = read("netmask", self.parsed, formats.netmask)
        aliases = read("aliases", self.unique, lambda n, k: self.alias(n, k), True)
        primary = read("primary", self.boolean)
        if address and mask:
            try:
                formats.interface(address, mask)
            except ValueError as exc:
                self.err(fields["address"], join(key, "address"), str(exc))
                return None
        if None in (name, address, mask) or ("aliases" in fields and aliases is None):
            return None
        return Interface(name, address, mask, aliases or (), bool(primary))

    def alias(self, node, key):
        parsed = self.parsed(node, key, formats.alias)
        return Alias(*parsed) if parsed else None

    def routes(self, node, key, route_nodes):
        routes, seen = [], {}
        for index, item in enumerate(self.items(node, key, empty_ok=True) or ()):
            item_key = join(key, index)
            fields = self.mapping(item, item_key, ("destination", "gateway"),
                                  required=("destination", "gateway"))
            if not fields or len(fields) != 2:
                continue
            dest = self.parsed(fields["destination"], join(item_key, "destination"),
                               formats.route_destination)
            gateway = self.parsed(fields["gateway"], join(item_key, "gateway"),
                                  formats.host_address)
            if dest is None or gateway is None:
                continue
            if dest in seen:
                self.err(fields["destination"], join(item_key, "destination"),
                         "a route to %s is given twice (also [%d])" % (dest, seen[dest]))
                continue
            seen[dest] = index
            routes.append(Route(str(dest), gateway))
            route_nodes.append((fields["gateway"], join(item_key, "gateway")))
        return tuple(routes) if node.kind == "seq" else None

    def dns(self, node, key):
        fields = self.mapping(node, key, ("nameservers", "domain", "search"),
                              required=("nameservers",))
        if fields is None or "nameservers" not in fields:
            return None
        sub = join(key, "nameservers")
        servers = self.unique(fields["nameservers"], sub,
                              lambda n, k: self.parsed(n, k, formats.host_address))
        if servers and len(servers) > MAX_NAMESERVERS:
            self.err(fields["nameservers"], sub, "%d name servers; AIX uses at most %d"
                     % (len(servers), MAX_NAMESERVERS))
        domain = search = None
        if "domain" in fields:
            domain = self.parsed(fields["domain"], join(key, "domain"), formats.hostname)
        if "search" in fields:
            sub = join(key, "search")
            search = self.unique(fields["search"], sub,
                                 lambda n, k: self.parsed(n, k, formats.hostname), True)
            if search and len(search) > MAX_SEARCH:
                self.err(fields["search"], sub, "%d search domains; AIX uses at most %d"
                         % (len(search), MAX_SEARCH))
        if servers is None:
            return None
        return Dns(servers, domain, search or ())

    def bootlist(self, node, key):
        if node.kind == "scalar":
            return self.choice(node, key, ("rootvg",), "rootvg or a list of hdisks")
        return self.unique(node, key, lambda n, k: self.parsed(
            n, k, lambda text: formats.name("hdisk", text)))

    # --- the rest of the document -------------------------------------------------------

    def hosts(self, node, sites):
        if not self._is(node, "hosts", "map", "a mapping of production host names"):
            return None
        result = {}
        for host, per_site in node.value.items():
            key = join("hosts", host)
            try:
                formats.hostname(host)
            except ValueError as exc:
                self.err(per_site, key, str(exc))
                continue
            if not self._is(per_site, key, "map", "a mapping of site names to overrides"):
                continue
            result[host] = {}
            for site_name, override in per_site.value.items():
                sub = join(key, site_name)
                if site_name not in self.site_profiles:
                    self.err(override, sub, "no site %r in sites (sites: %s)"
                             % (site_name, ", ".join(sites) or "none"))
                    continue
                fields = self.mapping(override, sub, PROFILE_KEYS)
                if fields is not None:
                    result[host][site_name] = self.profile(
                        fields, sub, base=self.site_profiles[site_name])
        return result

    def volume_groups(self, node):
        fields = self.mapping(node, "volume_groups", ("import", "mount", "fsck"))
        if fields is None:
            return None
        values = {}
        if "import" in fields:
            child, key = fields["import"], "volume_groups.import"
            if child.kind == "seq":
                value = self.unique(child, key, self.vg_name)
            else:
                value = self.choice(child, key, ("all",), "all or a list of VG names")
            if value is not None:
                values["import_"] = value
        if "mount" in fields:
            mount = self.boolean(fields["mount"], "volume_groups.mount")
            if mount is not None:
                values["mount"] = mount
        if "fsck" in fields:
            fsck = self.choice(fields["fsck"], "volume_groups.fsck", ("check", "none"),
                               "check or none")
            if fsck is not None:
                values["fsck"] = fsck
        return VolumeGroups(**values)

    def vg_name(self, node, key):
        name = self.parsed(node, key, lambda text: formats.name("vg", text))
        if name == "rootvg":
            self.err(node, key, "rootvg is never imported: list data VGs only")
            return None
        return name

    def device_attributes(self, node):
        if not self._is(node, "device_attributes", "map", "a mapping of device classes"):
            return None
        result = {}
        for dev_class, attrs in node.value.items():
            key = join("device_attributes", dev_class)
            try:
                formats.name("device_class", dev_class)
            except ValueError as exc:
                self.err(attrs, key, str(exc))
                continue
            if not self._is(attrs, key, "map", "a mapping of attribute: value"):
                continue
            result[dev_class] = {}
            for attr, value_node in attrs.value.items():
                sub = join(key, attr)
                try:
                    formats.name("attribute", attr)
                except ValueError as exc:
                    self.err(value_node, sub, str(exc))
                    continue
                value = self.attribute_value(value_node, sub)
                if value is not None:
                    result[dev_class][attr] = value
        return result

    def attribute_value(self, node, key):
        """A chdev value: a string, or an integer kept as written (0x100000 stays so)."""
        value = node.value if node.kind == "scalar" else None
        if isinstance(value, bool) or value is None or not isinstance(value, (int, str)):
            if node.kind != "bad":
                self.err(node, key, "expected a string or a whole number, got %s%s"
                         % (describe(node), quote_hint(node)))
            return None
        text = node.raw if isinstance(value, int) else value
        if formats.has_control(text):
            self.err(node, key, "%r contains a control character" % text)
            return None
        if any(c.isspace() for c in text):
            # chdev -a "a=1 b=2" sets two attributes: a space would smuggle in another
            self.err(node, key, "%r contains a space; chdev would read what follows it as "
                     "another attribute" % text)
            return None
        return text

    def scripts(self, node, default_timeout):
        scripts, seen = [], {}
        for index, item in enumerate(self.items(node, "scripts", empty_ok=True) or ()):
            key = join("scripts", index)
            timeout, path_node, path_key = default_timeout, item, key
            if item.kind == "map":
                fields = self.mapping(item, key, ("path", "timeout"), required=("path",))
                if "path" not in fields:
                    continue
                path_node, path_key = fields["path"], join(key, "path")
                if "timeout" in fields:
                    timeout = self.count(fields["timeout"], join(key, "timeout"), MAX_SECONDS)
            path = self.abs_path(path_node, path_key)
            if path is None or timeout is None:
                continue
            if path in seen:
                self.err(path_node, path_key, "%s is given twice (also [%d])"
                         % (path, seen[path]))
                continue
            seen[path] = index
            self.executable(path_node, path_key, path)
            scripts.append(Script(path, timeout))
        return tuple(scripts)

    def notify(self, node):
        nodes = self.items(node, "notify")
        if nodes is None:
            return None
        argv = [self.string(item, join("notify", i)) for i, item in enumerate(nodes)]
        if None in argv:
            return None
        if self.abs_path(nodes[0], "notify[0]") is None:
            return None
        self.executable(nodes[0], "notify[0]", argv[0])
        return tuple(argv)
