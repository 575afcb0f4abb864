"""hostent: the /etc/hosts lines, read and changed through the command AIX provides for
them (mktcpip itself uses it), never by editing the file.

`hostent -S -Z` lists every line in colon form after a `#netaddr:hostname:alias:cmnt`
header: `10.1.1.15:aixprd01.corp.example.com:aixprd01:` (the official name, then the
aliases blank-separated, then the comment, which may itself hold colons). IPv6 lines
(`::1:loopback:localhost:...`) cannot be split that way and are not needed here: they are
skipped. IBM documents the flags on its hostent page
(https://www.ibm.com/docs/ssw_aix_72/h_commands/hostent.html).
"""

import re
from typing import List, NamedTuple

from ._text import data_lines, is_message

ALREADY_EXISTS = "0822-041"
DOES_NOT_EXIST = "0822-048"

_LINE = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){3}):([^:]*):([^:]*)(?::(.*))?$")


class HostsLine(NamedTuple):
    address: str
    names: tuple        # the official name first, then the aliases
    comment: str = ""


def show_all_argv():
    return ("hostent", "-S", "-Z")


def add_argv(address, names):
    return ("hostent", "-a", address, "-h", " ".join(names))


def change_argv(address, names):
    return ("hostent", "-c", address, "-h", " ".join(names))


def delete_argv(address):
    return ("hostent", "-d", address)


def parse_hostent_z(text) -> List[HostsLine]:
    """The IPv4 lines of `hostent -S -Z`, in file order. Comment lines, the header,
    IPv6 lines and stray messages are skipped."""
    out: List[HostsLine] = []
    for line in data_lines(text):
        line = line.strip()
        if not line or line.startswith("#") or is_message(line):
            continue
        m = _LINE.match(line)
        if not m:
            continue
        names = tuple(m.group(2).split() + m.group(3).split())
        out.append(HostsLine(m.group(1), names, (m.group(4) or "").strip()))
    return out


def read_hosts(runner):
    """The IPv4 lines of /etc/hosts; an empty list when hostent shows none."""
    res = runner.query(list(show_all_argv()), check=False)
    return parse_hostent_z(res.stdout) if res.ok else []
