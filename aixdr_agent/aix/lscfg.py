"""lscfg [-v] [-p] [-s] -l name: device line(s) and vital product data (VPD)."""

import re
from typing import Dict, List, NamedTuple

from . import AixParseError
from ._text import data_lines

# a device line: at most 3 blanks of indentation (pastes drop them), an optional
# resource marker, a name ending in a digit (hdisk2, sysplanar0, L2cache0)
_DEVICE = re.compile(r"^ {0,3}(?:[+*-] +)?([A-Za-z][A-Za-z0-9_]*[0-9])(?: +(.*))?$")
_LOCATION = re.compile(r"^[A-Z0-9][A-Z0-9.,/_-]*$")
# "Part Number.................00E0806": the label ends at the first run of 2+ dots
_VPD = re.compile(r"^\s+(\S.*?)\.{2,}(.*)$")
_COLON = re.compile(r"^\s+([^:]+?)\s*:\s*(.*)$")


class VpdField(NamedTuple):
    section: str      # "" for the device's own VPD, else e.g. "PLATFORM SPECIFIC", "CEC"
    label: str
    value: str


class LscfgDevice(NamedTuple):
    name: str
    location: str                # "" when the device line has none
    description: str
    vpd: Dict[str, str]          # dot-leader fields, first occurrence of each label
    fields: List[VpdField]       # everything, in order (sections, colon fields)


def _split_header(rest: str):
    rest = rest.strip()
    token, _, after = rest.partition(" ")
    if _LOCATION.match(token) and "-" in token and re.search(r"[0-9]", token):
        return token, after.strip()
    return "", rest


def parse_lscfg(text) -> List[LscfgDevice]:
    """Devices in output order. VPD values are stripped (AIX pads some with blanks);
    a dot leader longer than usual is taken as leader, not as part of the value.
    Continuation lines of long hex values are appended to the previous value. With -s the
    description is on its own line after the device line."""
    out: List[LscfgDevice] = []
    current = None
    section = ""
    last = None          # index into current.fields of the last VPD value
    want_description = False
    for line in data_lines(text):
        if not line.strip():
            continue
        m = _DEVICE.match(line)
        if m and ":" not in m.group(1) and not _VPD.match(line):
            location, description = _split_header(m.group(2) or "")
            current = LscfgDevice(m.group(1), location, description, {}, [])
            out.append(current)
            section, last = "", None
            want_description = not description
            continue
        if current is None:
            continue                     # "DEVICE LOCATION DESCRIPTION" header, noise
        vpd = _VPD.match(line)
        if vpd:
            label, value = vpd.group(1).strip(), vpd.group(2).strip()
            current.fields.append(VpdField(section, label, value))
            current.vpd.setdefault(label, value)
            last, want_description = len(current.fields) - 1, False
            continue
        stripped = line.strip()
        col = _COLON.match(line)
        if col and col.group(2):
            current.fields.append(VpdField(section, col.group(1), col.group(2).strip()))
            last, want_description = None, False
        elif col:
            section, last, want_description = col.group(1), None, False
        elif want_description:
            out[-1] = current = current._replace(description=stripped)
            want_description = False
        elif last is not None and " " not in stripped:
            field = current.fields[last]     # wrapped hex value
            current.fields[last] = field._replace(value=field.value + stripped)
            if current.vpd.get(field.label) == field.value:
                current.vpd[field.label] = field.value + stripped
        elif stripped.isupper():
            section, last = stripped, None       # "PLATFORM SPECIFIC"
    if not out and data_lines(text):
        raise AixParseError("lscfg: no device line in output")
    return out
