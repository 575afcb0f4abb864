"""namerslv -s (resolver configuration lines) and namerslv -s ... -Z (values only)."""

from typing import List, NamedTuple, Optional

from ._text import data_lines


class Resolver(NamedTuple):
    nameservers: List[str]    # in file order (the resolver tries them in this order)
    domain: Optional[str]
    search: List[str]


def parse_namerslv_s(text) -> Resolver:
    """`namerslv -s` prints the non-comment lines of /etc/resolv.conf verbatim:
    `domain<TAB>x`, `nameserver<TAB>ip`, `search a b` (TABs or blanks). `options` and
    unknown lines are ignored. If several domain/search lines exist the last one is
    reported (the resolver uses the last). Empty output: no resolver configured."""
    nameservers: List[str] = []
    domain = None
    search: List[str] = []
    for line in data_lines(text):
        f = line.split()
        if len(f) < 2 or f[0].startswith(("#", ";")):
            continue
        if f[0] == "nameserver":
            nameservers.append(f[1])
        elif f[0] == "domain":
            domain = f[1]
        elif f[0] == "search":
            search = f[1:]
    return Resolver(nameservers, domain, search)


def resolver(runner) -> Resolver:
    """The resolver configuration from `namerslv -s`. No /etc/resolv.conf: namerslv fails
    and the resolver uses /etc/hosts only (an empty configuration)."""
    res = runner.query(["namerslv", "-s"], check=False)
    return parse_namerslv_s(res.stdout if res.ok else "")


def delete_nameserver_argv(address):
    return ("namerslv", "-d", "-i", address)


def delete_all_nameservers_argv():
    """`-X -I` deletes every nameserver line."""
    return ("namerslv", "-X", "-I")


def add_nameserver_argv(address):
    """`-a -i` appends a nameserver line."""
    return ("namerslv", "-a", "-i", address)


def change_domain_argv(domain):
    return ("namerslv", "-c", domain)


def delete_domain_argv():
    return ("namerslv", "-d", "-n")


def delete_search_argv():
    return ("namerslv", "-d", "-l")


def add_search_argv(search):
    return ("namerslv", "-a", "-S", search)


def change_search_argv(search):
    return ("namerslv", "-C", search)
