"""ifconfig -a / ifconfig enX (interface blocks) and ifconfig -l (names)."""

import re
from typing import Dict, List, NamedTuple, Optional, Tuple

from . import AixParseError
from ._text import data_lines

# "en0: flags=1e080863,480<UP,BROADCAST,...,CHAIN> metric 1" (one or two hex groups)
_HEAD = re.compile(r"^(\S+): flags=([0-9a-fA-F]+)(?:,([0-9a-fA-F]+))?<([^>]*)>")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*$")


class Interface(NamedTuple):
    name: str
    flags: List[str]                            # ["UP", "BROADCAST", ...]
    inet: List[Tuple[str, Optional[str]]]       # (address, dotted netmask or None)
    inet6: List[str]                            # as printed, e.g. "::1%1/0"

    @property
    def up(self) -> bool:
        return "UP" in self.flags


def hex_netmask(mask: str) -> str:
    """"0xffffff00" -> "255.255.255.0" (a dotted mask is returned unchanged)."""
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}", mask):
        return mask
    m = re.fullmatch(r"0[xX]([0-9a-fA-F]{1,8})", mask)
    if not m:
        raise AixParseError("ifconfig: netmask %r is neither 0x-hex nor dotted" % mask)
    value = int(m.group(1), 16)
    return ".".join(str((value >> shift) & 0xFF) for shift in (24, 16, 8, 0))


def parse_ifconfig_a(text) -> Dict[str, Interface]:
    """{name: Interface} from `ifconfig -a` or `ifconfig enX`, in output order.

    Detail lines are TAB- or blank-indented (captures differ). Aliases are further
    `inet` lines; an alias may lack `netmask` (None then). The `tcp_sendspace ...` line
    and unknown detail lines are ignored."""
    out: Dict[str, Interface] = {}
    current = None
    body = data_lines(text)
    for line in body:
        m = _HEAD.match(line)
        if m:
            flags = [f for f in m.group(4).split(",") if f]
            current = Interface(m.group(1), flags, [], [])
            out[current.name] = current
            continue
        if current is None:
            continue
        f = line.split()
        if len(f) >= 2 and f[0] == "inet":
            mask = None
            if "netmask" in f[2:-1]:
                mask = hex_netmask(f[f.index("netmask", 2) + 1])
            current.inet.append((f[1], mask))
        elif len(f) >= 2 and f[0] == "inet6":
            current.inet6.append(f[1])
    if body and not out:
        raise AixParseError("ifconfig: no interface block in output")
    return out


def parse_ifconfig_l(text) -> List[str]:
    """`ifconfig -l`: the interface names (one line, blank-separated)."""
    names: List[str] = []
    for line in data_lines(text):
        names.extend(line.split())
    bad = [n for n in names if not _NAME.match(n)]
    if bad:
        raise AixParseError("ifconfig -l: not interface names: %r" % bad)
    return names
