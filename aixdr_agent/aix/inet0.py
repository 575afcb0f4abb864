"""The inet0 `route` attribute: the persistent routes of AIX (ODM CuAt).

The same comma-separated string is used to read (`lsattr -El inet0 -a route`), add
(`chdev -l inet0 -a route=...`) and delete (`chdev -l inet0 -a delroute=...`), so a
route is removed with the exact string AIX stored, never a rebuilt one.
Forms seen (COMMANDS.md 4.3):
  net,-hopcount,0,,0,10.20.1.1                                   default route
  0,10.20.1.1                                                    default, short input form
  net,-hopcount,0,-netmask,255.255.0.0,,,10.30.0.0,10.20.1.254   network route
  net,-hopcount,0,-netmask,255.255.0.0,-if,en0,,,,-static,10.30.0.0,10.20.1.254
  host,-hopcount,0,,,,,10.30.0.5,10.20.1.254                     host route
"""

from typing import NamedTuple, Optional

from . import AixParseError

_FLAGS_WITH_VALUE = {"-hopcount", "-netmask", "-if", "-mtu", "-weight", "-policy"}


class RouteAttr(NamedTuple):
    kind: str                  # "net" or "host"
    destination: str           # "0" for the default route
    netmask: Optional[str]
    gateway: str
    interface: Optional[str]
    raw: str

    @property
    def is_default(self):
        return self.destination in ("0", "default", "0.0.0.0")


def parse_route_attr(value):
    if not isinstance(value, str):  # the promise of every parser here (_text.lines)
        raise AixParseError("route attribute: expected text, got %s" % type(value).__name__)
    raw = value.strip()
    tokens = raw.split(",")
    kind = "net"
    if tokens and tokens[0] in ("net", "host"):
        kind = tokens.pop(0)
    opts = {}
    plain = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in _FLAGS_WITH_VALUE and i + 1 < len(tokens):
            opts[tok] = tokens[i + 1]
            i += 2
            continue
        if tok and not tok.startswith("-"):
            plain.append(tok)
        i += 1
    if len(plain) < 2:
        raise AixParseError("route attribute %r: no destination and gateway" % raw)
    destination, gateway = plain[-2], plain[-1]
    return RouteAttr(kind, destination, opts.get("-netmask"), gateway, opts.get("-if"), raw)


def default_route_value(gateway):
    return "net,-hopcount,0,,0,%s" % gateway


def net_route_value(destination, netmask, gateway):
    if netmask == "255.255.255.255":
        return "host,-hopcount,0,,,,,%s,%s" % (destination, gateway)
    return "net,-hopcount,0,-netmask,%s,,,%s,%s" % (netmask, destination, gateway)
