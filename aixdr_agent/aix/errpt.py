"""errpt (summary report): newest entry first."""

import datetime
import re
from typing import List, NamedTuple, Optional

from . import AixParseError
from ._text import data_lines

_ROW = re.compile(r"^([0-9A-Fa-f]{8})\s+([0-9]{10})\s+(\S)\s+(\S)\s+(\S+)\s*(.*)$")


class ErrptEntry(NamedTuple):
    identifier: str       # AA8AB241 (errlogger OPMSG)
    timestamp: str        # MMDDhhmmYY as printed: year LAST, no separators
    when: Optional[datetime.datetime]   # None if the timestamp is not a valid date
    type: str             # P(erm), T(emp), I(nfo), U(nknown)
    cls: str              # H(ardware), S(oftware), O(perator), U(ndetermined)
    resource: str
    description: str      # cut at a fixed width by errpt


def errpt_time(stamp: str) -> Optional[datetime.datetime]:
    """MMDDhhmmYY -> datetime (YY < 70 is 20YY). None when not a valid date."""
    if not re.fullmatch(r"[0-9]{10}", stamp or ""):
        return None
    mo, dd, hh, mi, yy = (int(stamp[i:i + 2]) for i in range(0, 10, 2))
    try:
        return datetime.datetime(2000 + yy if yy < 70 else 1900 + yy, mo, dd, hh, mi)
    except ValueError:
        return None


def parse_errpt(text) -> List[ErrptEntry]:
    """Rows of `errpt` (summary). Empty log: []. Header and unknown lines are skipped."""
    out = []
    body = data_lines(text)
    for line in body:
        m = _ROW.match(line)
        if not m:
            continue
        ident, stamp, typ, cls, res, desc = m.groups()
        out.append(ErrptEntry(ident, stamp, errpt_time(stamp), typ, cls, res, desc.strip()))
    if body and not out and not any(line.startswith("IDENTIFIER") for line in body):
        raise AixParseError("errpt: no error log rows in output")
    return out
