"""prtconf / lsconf: the system summary (slow on real systems; prefer uname/lsattr)."""

import re
from typing import Dict, List, NamedTuple, Optional

from . import AixParseError
from ._text import data_lines
from .lsvg import PVRow, parse_lsvg_p

_SECTIONS = {
    "Network Information": "network",
    "Paging Space Information": "paging",
    "Volume Groups Information": "vgs",
    "INSTALLED RESOURCE LIST": "resources",
}
_RESOURCE = re.compile(r"^([+*-])\s+([A-Za-z][\w.]*)(?=\s|$)")
_LOCATION = re.compile(r"^[A-Za-z0-9][\w.,:/-]*$")


class Resource(NamedTuple):
    marker: str            # "+" diagnostics supported, "*" not, "-" removed
    name: str
    location: str          # "" when the cell is empty
    description: str


class Prtconf(NamedTuple):
    system: Dict[str, str]              # "System Model", "Machine Serial Number", ...
    network: Dict[str, str]             # "Host Name", "IP Address", ... ("" when empty)
    paging: Dict[str, str]              # "Total Paging Space", "Percent Used"
    active_vgs: Dict[str, List[PVRow]]
    inactive_vgs: List[str]
    resources: List[Resource]


def _label_value(line: str) -> Optional[tuple]:
    label, colon, value = line.strip().partition(":")
    if not colon or not label.strip():
        return None
    return label.strip(), value.strip()


def _resources(rows) -> List[Resource]:
    """Resource lines are columnized: marker, name, location (may be empty), description.
    A location cell starts at the smallest third-field offset; when every row starts its
    third field there, a location must look like one (it has a digit)."""
    parsed = []
    for line in rows:
        m = _RESOURCE.match(line)
        rest_at = m.end()
        third = re.search(r"\S", line[rest_at:])
        start = rest_at + third.start() if third else len(line)
        parsed.append((m.group(1), m.group(2), line, start))
    if not parsed:
        return []
    starts = sorted({p[3] for p in parsed})
    out = []
    for marker, name, line, start in parsed:
        tail = line[start:]
        token, _, rest = tail.partition(" ")
        has_loc = (start == starts[0] and (len(starts) > 1 or re.search(r"[0-9]", token))
                   and bool(_LOCATION.match(token)))
        if has_loc:
            out.append(Resource(marker, name, token, rest.strip()))
        else:
            out.append(Resource(marker, name, "", tail.strip()))
    return out


def parse_prtconf(text) -> Prtconf:
    """Sections by their headings; the single-blank separator lines, `=====` rules, the
    stray interface-name line printed before "Network Information" on some levels and
    unknown lines are skipped. Empty values are kept as "" (`Sub Netmask: `)."""
    system: Dict[str, str] = {}
    network: Dict[str, str] = {}
    paging: Dict[str, str] = {}
    inactive: List[str] = []
    vg_lines: List[str] = []
    resource_rows: List[str] = []
    section = "system"
    vg_part = "active"
    for line in data_lines(text):
        stripped = line.strip()
        if not stripped or stripped.startswith("====="):
            continue
        if stripped in _SECTIONS:
            section = _SECTIONS[stripped]
            continue
        if section == "vgs":
            if stripped in ("Active VGs", "Inactive VGs"):
                vg_part = stripped.split()[0].lower()
            elif vg_part == "inactive":
                inactive.append(stripped)
            else:
                vg_lines.append(line)
            continue
        if section == "resources":
            if _RESOURCE.match(line):
                resource_rows.append(line)
            elif stripped.startswith("Model "):
                pair = _label_value(line)
                if pair:
                    system.setdefault(*pair)
            continue
        pair = _label_value(line)
        if pair is None:
            continue
        target = {"system": system, "network": network, "paging": paging}[section]
        target.setdefault(*pair)
    if not system and not network:
        raise AixParseError("prtconf: no 'Label: value' lines in output")
    try:
        active = parse_lsvg_p("\n".join(vg_lines)) if vg_lines else {}
    except AixParseError:
        active = {}
    return Prtconf(system, network, paging, active, inactive, _resources(resource_rows))
