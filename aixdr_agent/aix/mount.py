"""mount (no arguments): the mounted file systems."""

import re
from typing import List, NamedTuple, Optional

from . import AixParseError
from ._text import data_lines

# "Mar 04 07:12": month, day, time. Rows are split on whitespace because long values
# overflow their column and shift the rest of the row (not column-aligned).
_DATE = r"(\S+\s+\S+\s+\d{1,2}:\d{2})"
_LOCAL = re.compile(r"^\s+(\S+)\s+(\S+)\s+(\S+)\s+" + _DATE + r"(?:\s+(\S.*))?$")
_REMOTE = re.compile(r"^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+" + _DATE + r"(?:\s+(\S.*))?$")


class Mounted(NamedTuple):
    node: Optional[str]     # NFS server; None for local file systems (blank node column)
    device: str             # /dev/hd4, remote path, or "Global" inside a WPAR
    mounted_over: str
    vfs: str
    date: str               # as printed, e.g. "Mar 04 07:12"
    options: str            # "" when the column is absent


def parse_mount(text) -> List[Mounted]:
    """Rows of `mount`. Local rows start with blanks (empty node column); remote rows
    start with the node name. The two header lines and unknown lines are skipped."""
    out = []
    body = data_lines(text)
    for line in body:
        m = _LOCAL.match(line)
        if m:
            dev, over, vfs, date, opts = m.groups()
            out.append(Mounted(None, dev, over, vfs, " ".join(date.split()), opts or ""))
            continue
        m = _REMOTE.match(line)
        if m:
            node, dev, over, vfs, date, opts = m.groups()
            out.append(Mounted(node, dev, over, vfs, " ".join(date.split()), opts or ""))
    if body and not out and not any(line.split()[:1] == ["node"] for line in body):
        raise AixParseError("mount: no mounted file system rows in output")
    return out


def mounted_over(rows: List[Mounted], path: str) -> Optional[Mounted]:
    """The row mounted over exactly `path` (the last one if mounted several times)."""
    found = None
    for row in rows:
        if row.mounted_over == path:
            found = row
    return found
