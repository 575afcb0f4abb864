"""uname: LPAR number/name (-L), machine id (-m), release/version/processor (-rvp)."""

import re
from typing import List, NamedTuple, Optional

from . import AixParseError
from ._text import data_lines


class LparIdentity(NamedTuple):
    number: int            # -1 when the system is not an LPAR
    name: Optional[str]    # None for "NULL" (not an LPAR, or LPAR-capable in SMP mode)


class UnameRvp(NamedTuple):
    release: str      # "3" on AIX 7.3 (-r is the minor number)
    version: str      # "7"
    processor: str    # "powerpc"

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


def parse_uname_m(text) -> str:
    """`uname -m`: the 12-hex-digit machine id (e.g. `00F8A1B24C00`), not an architecture."""
    line = _one_line(text, "uname -m")
    if not re.fullmatch(r"[0-9A-Fa-f]{12}", line):
        raise AixParseError("uname -m: not a 12-hex-digit machine id: %r" % line)
    return line


def parse_uname_rvp(text) -> UnameRvp:
    """`uname -rvp`: release, then version, then processor (`3 7 powerpc` on 7.3)."""
    parts = _one_line(text, "uname -rvp").split()
    if len(parts) != 3:
        raise AixParseError("uname -rvp: expected 3 fields, got %r" % parts)
    return UnameRvp(*parts)


def parse_uname_fields(text) -> List[str]:
    """Any multi-flag uname output (`-Mu`, `-a`): the blank-separated fields in order."""
    return _one_line(text, "uname").split()


def lpar(runner) -> LparIdentity:
    """The LPAR's number and name (`uname -L`)."""
    return parse_uname_L(runner.query(["uname", "-L"]).stdout)
