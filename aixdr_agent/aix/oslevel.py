"""oslevel -s: `VVRR-TL-SP-YYWW` (e.g. 7300-03-00-2446)."""

import re
from typing import NamedTuple

from . import AixParseError
from ._text import lines

_LEVEL = re.compile(r"^(\d)(\d)(\d\d)-(\d\d)-(\d\d)-(\d{4})$")


class OsLevel(NamedTuple):
    version: int      # 7
    release: int      # 3
    tl: int           # technology level
    sp: int           # service pack (0 with build 0000 = TL without SP)
    build: str        # YYWW build week, "0000" when no SP
    raw: str

    @property
    def level(self) -> str:
        return "%d.%d" % (self.version, self.release)


def parse_oslevel_s(text) -> OsLevel:
    """The one `oslevel -s` line; other lines (messages, blanks) are ignored."""
    found = None
    for line in lines(text):
        m = _LEVEL.match(line.strip())
        if m:
            found = m
            break
    if found is None:
        raise AixParseError("oslevel -s: no VVRR-TL-SP-YYWW level in output")
    v, r, _mod, tl, sp, build = found.groups()
    return OsLevel(int(v), int(r), int(tl), int(sp), build, found.group(0))
