"""ls -l of files and device special files (owner, group, mode, major/minor)."""

import re
from typing import List, NamedTuple, Optional

from . import AixParseError
from ._text import data_lines

# crw-rw----    1 oracle   dba          45,  1 Nov 25 06:47 /dev/rdatalv01
# -rw-r--r--    1 root     system     1234 Nov 25 2023  /etc/hosts
# the mode may end with "+" (extended ACL) on some levels
_LINE = re.compile(
    r"^([-bcdlpsD][-rwxsStTl]{9})[+.@]?\s+([0-9]+)\s+(\S+)\s+(\S+)\s+"
    r"(?:([0-9]+),\s*([0-9]+)|([0-9]+))\s+"
    r"(\S+\s+\S+\s+\S+)\s(.+)$")


class FileMode(NamedTuple):
    mode: str                # "crw-rw----"
    owner: str
    group: str
    path: str                # a symlink's target ("-> x") is not part of the path
    major: Optional[int]     # device special files only
    minor: Optional[int]


def parse_ls_l(text) -> List[FileMode]:
    """Rows of `ls -l PATH...` (or `ls -ld`). `total N` lines, messages and lines of
    another shape are skipped ("ls: 0653-341 The file ... does not exist." goes to
    stderr)."""
    out = []
    body = data_lines(text)
    for line in body:
        m = _LINE.match(line)
        if not m:
            continue
        mode, _links, owner, group, major, minor, _size, _date, path = m.groups()
        if mode.startswith("l") and " -> " in path:
            path = path.split(" -> ", 1)[0]
        out.append(FileMode(mode, owner, group, path.strip(),
                            int(major) if major is not None else None,
                            int(minor) if minor is not None else None))
    if body and not out and not all(line.startswith("total ") for line in body):
        raise AixParseError("ls -l: no file rows in output")
    return out


_BITS = ((0, "r", 0o400), (1, "w", 0o200), (3, "r", 0o040), (4, "w", 0o020),
         (6, "r", 0o004), (7, "w", 0o002))
# (position, exec bit, special bit, letters with exec, letters without exec)
_EXEC = ((2, 0o100, 0o4000, "s", "S"), (5, 0o010, 0o2000, "s", "S"),
         (8, 0o001, 0o1000, "t", "T"))


def mode_to_octal(mode: str) -> str:
    """'crw-rw----' -> '660', '-rwsr-xr-x' -> '4755' (4 digits only with special bits).

    Accepts the 10-character form with a type letter or the 9 permission characters."""
    if not isinstance(mode, str):
        raise AixParseError("mode: expected text")
    perms = mode[1:10] if len(mode) >= 10 else mode
    if len(perms) != 9:
        raise AixParseError("mode: %r is not an ls -l mode" % mode)
    value = 0
    for pos, letter, bit in _BITS:
        if perms[pos] == letter:
            value |= bit
        elif perms[pos] != "-":
            raise AixParseError("mode: bad character %r in %r" % (perms[pos], mode))
    for pos, xbit, sbit, with_x, without_x in _EXEC:
        ch = perms[pos]
        if ch == "x":
            value |= xbit
        elif ch == with_x:
            value |= xbit | sbit
        elif ch == without_x:
            value |= sbit
        elif ch != "-":
            raise AixParseError("mode: bad character %r in %r" % (ch, mode))
    return "%04o" % value if value > 0o777 else "%03o" % value
