"""lspath (default `status name parent` listing, `-F` form) and lsmpio -l."""

import re
from typing import Dict, List, NamedTuple, Sequence

from . import AixParseError
from ._text import data_lines, lines, to_int
from .lsdev import parse_lsdev_F

_STATUSES = {"Enabled", "Disabled", "Failed", "Defined", "Missing", "Detected"}


class Path(NamedTuple):
    status: str      # Enabled, Disabled, Failed, Defined, Missing, Detected
    name: str        # hdiskN
    parent: str      # fscsiN / vscsiN


class MpioPath(NamedTuple):
    name: str
    path_id: int
    status: str
    path_status: str     # "Sel,Opt", "Non", ... or "" (non-selected fail_over paths)
    parent: str
    connection: str      # "WWPN,LUNID" for FC

    @property
    def path_flags(self) -> List[str]:
        return [flag for flag in self.path_status.split(",") if flag]


def parse_lspath(text) -> List[Path]:
    """Default `lspath [-l hdiskN]` rows (three single-token columns); also `-H`."""
    out = []
    body = data_lines(text)
    for line in body:
        f = line.split()
        if len(f) != 3 or f == ["status", "name", "parent"]:
            continue
        out.append(Path(*f))
    if body and not out:
        raise AixParseError("lspath: no path rows in output")
    return out


def parse_lspath_F(text, fields: Sequence[str], sep: str = ":") -> List[Dict[str, str]]:
    """`lspath -F "name:parent:connection:path_id:path_status:status"` rows as dicts.
    The connection of an FC path contains a comma, never a colon."""
    return parse_lsdev_F(text, fields, sep)


def parse_lsmpio(text) -> List[MpioPath]:
    """`lsmpio [-l hdiskN]` rows. Cells are cut at the header's column offsets because
    path_status is EMPTY for non-selected paths of a fail_over disk (5 fields, not 6).
    Rows of a capture without the header must have all 6 fields."""
    starts = None
    out = []
    for line in data_lines(text):
        words = line.split()
        if words[:2] == ["name", "path_id"]:
            starts = [m.start() for m in re.finditer(r"\S+", line)]
            continue
        if len(words) == 6:
            cells = words
        elif len(words) == 5 and starts is not None and len(starts) == 6:
            bounds = starts[1:] + [len(line)]
            cells = [line[a:b].strip() for a, b in zip(starts, bounds)]
            # the last cell runs to the end of the line (it may overflow the header)
            cells[5] = line[starts[5]:].strip()
        else:
            continue
        if not re.fullmatch(r"[0-9]+", cells[1]):
            continue
        out.append(MpioPath(cells[0], to_int(cells[1], "path_id"), cells[2], cells[3],
                            cells[4], cells[5]))
    if not out and any(ln.strip() for ln in lines(text)) and starts is None:
        raise AixParseError("lsmpio: no header and no path rows in output")
    return out


def path_status_known(status: str) -> bool:
    """True for a documented lspath status word."""
    return status in _STATUSES
