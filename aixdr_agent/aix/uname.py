"""uname: LPAR number/name (-L), machine id (-m), release/version/processor (-rvp)."""

import re
from collections import namedtuple

from . import AixParseError
from ._text import data_lines


class LparIdentity(namedtuple("LparIdentity", "number name")):
    """`uname -L`: number is -1 when the system is not an LPAR; name is None for "NULL"
    (not an LPAR, or LPAR-capable in SMP mode)."""

    __slots__ = ()


class UnameRvp(namedtuple("UnameRvp", "release version processor")):
    """`uname -rvp`: release "3" on AIX 7.3 (-r is the minor number), version "7",
    processor "powerpc"."""

    __slots__ = ()

    @property
    def level(self) -> str:
        """"7.3" for version 7 release 3."""
        return "%s.%s" % (self.version, self.release)


def _one_line(text, what) -> str:
    body = data_lines(text)
    if len(body) != 1:
        raise AixParseError("%s: expected one line, got %d" % (what, len(body)))
    return body[0].strip()


def parse_uname_L(text) -> LparIdentity:
    """`uname -L`: `5 aixprd01`; the name may contain blanks (split once); `NULL` -> None."""
    line = _one_line(text, "uname -L")
    parts = line.split(None, 1)
    if not re.fullmatch(r"-?[0-9]+", parts[0]):
        raise AixParseError("uname -L: LPAR number is not an integer: %r" % line)
    name = parts[1].strip() if len(parts) == 2 else None
    if name == "NULL":
        name = None
    return LparIdentity(int(parts[0]), name)


def lpar(runner) -> LparIdentity:
    """The LPAR's number and name (`uname -L`)."""
    return parse_uname_L(runner.query(["uname", "-L"]).stdout)
