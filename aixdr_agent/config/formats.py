"""Validators for the strings an AIX DR configuration holds: IPv4 addresses, masks and
networks, and AIX names (interfaces, hdisks, VGs, hosts, systemids).

Each parser takes the text as written and either returns the normalized value or raises
ValueError whose message is ready for the operator (the schema adds file, line and key).
Standard library only, and no yaml: this module is cheap to import.
"""

import fnmatch
import ipaddress
import re
from functools import cache

# One octet without leading zeros. Python 3.9.0-3.9.4 ipaddress accepted "010.1.1.1"
# (octal to inet_aton, decimal to ipaddress), so the form is checked here, not there.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED = re.compile(r"%s(?:\.%s){3}" % (_OCTET, _OCTET))

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TEMPLATE_FIELDS = ("{hostname}", "{lpar_name}")

_NAMES = {
    # kind: (regex, what it must look like)
    "interface": (re.compile(r"(?:en|et|ml|lo)(?:0|[1-9][0-9]*)"),
                  "an AIX network interface name such as en0"),
    "hdisk": (re.compile(r"hdisk(?:0|[1-9][0-9]*)"), "an hdisk name such as hdisk0"),
    "vg": (re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.-]{0,14}"),
           "a volume group name (1-15 of A-Z a-z 0-9 _ . -, not starting with -)"),
    "site": (re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"),
             "a site name (letters, digits, _ . -, starting with a letter or digit)"),
    "device_class": (re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}"),
                     "a device name prefix such as hdisk or fscsi"),
    "attribute": (re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}"),
                  "an attribute name such as queue_depth"),
}

_SYSTEMID = re.compile(r"IBM,[0-9A-Z]{9}")
MAX_PATTERN = 128


def has_control(text):
    return bool(_CONTROL.search(text))


def name(kind, text):
    """An AIX name of the given kind (see _NAMES); returns it unchanged."""
    regex, what = _NAMES[kind]
    if not regex.fullmatch(text):
        raise ValueError("%r is not %s" % (text, what))
    return text


def ipv4(text):
    """A dotted-quad IPv4 address, as written (leading zeros are refused: ambiguous)."""
    if not _DOTTED.fullmatch(text):
        hint = ""
        if re.fullmatch(r"[0-9]+(\.[0-9]+){3}", text):
            hint = " (octets are 0-255, without leading zeros)"
        raise ValueError("%r is not an IPv4 address%s" % (text, hint))
    return str(ipaddress.IPv4Address(text))


def host_address(text):
    """An address a host can own or route through: not 0.0.0.0, multicast or broadcast."""
    addr = ipaddress.IPv4Address(ipv4(text))
    if addr.is_unspecified or addr.is_multicast or addr == ipaddress.IPv4Address(
            "255.255.255.255") or addr.is_reserved:
        raise ValueError("%r is not a usable host address" % text)
    return str(addr)


def netmask(text):
    """A dotted, contiguous netmask of /1 to /32; returned dotted."""
    dotted = ipv4_or_none(text)
    if dotted is None:
        raise ValueError("%r is not a dotted netmask such as 255.255.255.0" % text)
    bits = int(ipaddress.IPv4Address(dotted))
    inverted = ~bits & 0xFFFFFFFF
    if bits == 0 or inverted & (inverted + 1):
        raise ValueError("%r is not a contiguous netmask" % text)
    return dotted


def ipv4_or_none(text):
    try:
        return ipv4(text)
    except ValueError:
        return None


def prefix_length(mask):
    return ipaddress.IPv4Network("0.0.0.0/" + mask).prefixlen


def interface(address, mask):
    """The IPv4Interface of an address in a subnet; refuses the network and broadcast
    addresses of subnets larger than /31 (RFC 3021 point-to-point /31 has neither)."""
    iface = ipaddress.IPv4Interface("%s/%s" % (address, mask))
    net = iface.network
    if net.prefixlen < 31 and iface.ip in (net.network_address, net.broadcast_address):
        which = "network" if iface.ip == net.network_address else "broadcast"
        raise ValueError("%s is the %s address of %s" % (address, which, net))
    return iface


def _prefix(text):
    """'24' or '255.255.255.0' -> 24."""
    if re.fullmatch(r"0|[1-9][0-9]?", text) and int(text) <= 32:
        return int(text)
    return prefix_length(netmask(text))


def network(text):
    """A network 'a.b.c.d/len' (or '/dotted.mask') whose host bits are zero."""
    addr, slash, bits = text.partition("/")
    if not slash:
        raise ValueError("%r is not a network: write it as address/prefix, e.g. 10.9.0.0/16"
                         % text)
    ipv4(addr)
    try:
        plen = _prefix(bits)
    except ValueError:
        raise ValueError("%r: %r is not a prefix length (0-32) or a netmask"
                         % (text, bits)) from None
    try:
        return ipaddress.IPv4Network("%s/%d" % (addr, plen))
    except ValueError:
        net = ipaddress.IPv4Network("%s/%d" % (addr, plen), strict=False)
        raise ValueError("%r has host bits set; the network is %s" % (text, net)) from None


def route_destination(text):
    """A route destination: a network with its prefix, or a bare host address (/32)."""
    if text in ("default", "0.0.0.0/0", "0/0", "0.0.0.0"):
        raise ValueError("the default route is not a static route: give it as the "
                         "site's gateway")
    if "/" not in text:
        ipv4(text)
        return ipaddress.IPv4Network(text + "/32")
    net = network(text)
    if net.prefixlen == 0:
        raise ValueError("the default route is not a static route: give it as the "
                         "site's gateway")
    return net


def alias(text):
    """An alias 'address/mask' or 'address/len' -> (address, dotted mask)."""
    addr, slash, bits = text.partition("/")
    if not slash:
        raise ValueError("%r: write an alias as address/netmask, e.g. "
                         "10.1.1.16/255.255.255.0 or 10.1.1.16/24" % text)
    addr = host_address(addr)
    try:
        plen = _prefix(bits)
    except ValueError:
        raise ValueError("%r: %r is not a netmask or prefix length" % (text, bits)) from None
    if plen == 0:
        raise ValueError("%r: a /0 mask is not a subnet" % text)
    mask = str(ipaddress.IPv4Network("0.0.0.0/%d" % plen).netmask)
    interface(addr, mask)
    return addr, mask


def hostname(text, template=False):
    """A host name: RFC 1123 labels (each <= 63) joined by dots, <= 255 characters, not
    all-numeric at the end (that would read as an address). With template=True the
    placeholders {hostname} and {lpar_name} may appear; no other brace may."""
    probe = text
    if template:
        for field in _TEMPLATE_FIELDS:
            probe = probe.replace(field, "x")
        if "{" in probe or "}" in probe:
            raise ValueError("%r: a host name template may use only %s"
                             % (text, " and ".join(_TEMPLATE_FIELDS)))
    if len(probe) > 255:
        raise ValueError("%r is longer than 255 characters" % text)
    labels = probe.split(".")
    for label in labels:
        if not _LABEL.fullmatch(label):
            raise ValueError("%r is not a host name (letters, digits and inner hyphens, "
                             "dot-separated labels of at most 63)" % text)
    if labels[-1].isdigit():
        raise ValueError("%r is not a host name (it ends in a number, like an address)"
                         % text)
    return text


def systemid(text):
    if _SYSTEMID.fullmatch(text):
        return text
    if _SYSTEMID.fullmatch(text.upper()):
        raise ValueError("%r: AIX prints systemids in upper case; write %r"
                         % (text, text.upper()))
    raise ValueError("%r is not a systemid (IBM, and 9 letters or digits, as "
                     "`lsattr -El sys0 -a systemid -F value` prints it)" % text)


def lpar_pattern(text):
    """A shell pattern on the LPAR name (which may hold blanks)."""
    if not text:
        raise ValueError("an empty pattern matches nothing")
    if len(text) > MAX_PATTERN:
        raise ValueError("pattern is longer than %d characters" % MAX_PATTERN)
    if has_control(text):
        raise ValueError("%r contains a control character" % text)
    return text


# --- do two fnmatch patterns have a common match? ---------------------------------

_STAR = "*"


def _glob_tokens(pat):
    """fnmatch pattern -> tokens: '*' or the source of a one-character matcher (a literal,
    '?' or a bracket class), split the way fnmatch.translate splits them."""
    tokens, i, n = [], 0, len(pat)
    while i < n:
        c = pat[i]
        if c == "*":
            if not tokens or tokens[-1] != _STAR:
                tokens.append(_STAR)
            i += 1
        elif c == "[":
            j = i + 1
            if j < n and pat[j] == "!":
                j += 1
            if j < n and pat[j] == "]":
                j += 1
            while j < n and pat[j] != "]":
                j += 1
            if j >= n:  # no closing bracket: a literal "["
                tokens.append("[")
                i += 1
            else:
                tokens.append(pat[i:j + 1])
                i = j + 1
        else:
            tokens.append(c)
            i += 1
    return tokens


def globs_overlap(a, b):
    """True when some string matches both patterns (fnmatch.fnmatchcase semantics).

    Exact, not a heuristic: a non-empty intersection of character classes always holds a
    character that is U+0000, a character of either pattern, or one past such a character
    (the left end of an interval of the intersection), so testing those suffices; the
    patterns are then walked together as automata."""
    ta, tb = _glob_tokens(a), _glob_tokens(b)
    chars = {"\x00"}
    for ch in a + b:
        chars.add(ch)
        if ord(ch) < 0x10FFFF:
            chars.add(chr(ord(ch) + 1))
    chars = sorted(chars)

    @cache
    def meet(x, y):
        return any(fnmatch.fnmatchcase(c, x) and fnmatch.fnmatchcase(c, y) for c in chars)

    @cache
    def walk(i, j):
        if i == len(ta) and j == len(tb):
            return True
        x = ta[i] if i < len(ta) else None
        y = tb[j] if j < len(tb) else None
        if x == _STAR and walk(i + 1, j):  # the star matches nothing more
            return True
        if y == _STAR and walk(i, j + 1):
            return True
        if x is None or y is None or (x == _STAR and y == _STAR):
            return False
        # one character consumed by both: a star stays where it is
        ni, nj = (i if x == _STAR else i + 1), (j if y == _STAR else j + 1)
        return meet("?" if x == _STAR else x, "?" if y == _STAR else y) and walk(ni, nj)

    return walk(0, 0)
