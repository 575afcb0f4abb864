"""lsvg: VG names, one VG's report, its LVs (-l), its PVs (-p) and mirror pools (-P)."""

import re
from typing import Dict, List, NamedTuple, Optional

from . import AixParseError
from ._text import data_lines, is_num, parse_labelled, to_int

_BLOCK = re.compile(r"^(\S+):$")          # "datavg:" opens a -l / -p block
_VGNAME = re.compile(r"^[A-Za-z0-9._-]+$")


class LV(NamedTuple):
    name: str
    type: str
    lps: int
    pps: int
    pvs: int
    state: str                    # open/syncd, closed/syncd, open/stale, ...
    mount_point: Optional[str]    # None for "N/A"


class PVRow(NamedTuple):
    name: str            # hdisk name, or the PVID when ODM does not know the disk (0516-304)
    state: str           # active, missing, removed
    total_pps: int
    free_pps: int
    distribution: str    # "00..00..191..320..00"


def parse_lsvg_names(text) -> List[str]:
    """`lsvg` / `lsvg -o`: one VG name per line (order is not meaningful for -o)."""
    body = data_lines(text)
    out = [line.strip() for line in body if _VGNAME.match(line.strip())]
    if body and not out:
        raise AixParseError("lsvg: no volume group name in output")
    return out


def parse_lsvg_vg(text) -> Dict[str, str]:
    """`lsvg VG` as {LABEL: value}, both columns ('VOLUME GROUP', 'VG IDENTIFIER',
    'VG STATE', 'QUORUM', 'AUTO ON', 'Concurrent', 'VG Mode', ...). Values as printed
    (`2 (Enabled)`, `16 megabyte(s)`). Output concatenated after the report (a `vg:` line
    of lsvg -p/-l) is not part of it."""
    report = parse_labelled(text, stop=lambda line: bool(_BLOCK.match(line)))
    if "VOLUME GROUP" not in report:
        raise AixParseError("lsvg VG: no VOLUME GROUP line in output")
    return report


def _blocks(text, header_word):
    """[(vg, [row lines])]: a `vg:` line, then a header starting with `header_word`."""
    blocks = []
    current = None
    for line in data_lines(text):
        m = _BLOCK.match(line)
        if m:
            current = (m.group(1), [])
            blocks.append(current)
        elif line.startswith(header_word):
            if current is None:          # header without the vg: line
                current = ("", [])
                blocks.append(current)
        elif current is not None:
            current[1].append(line)
    return blocks


def parse_lsvg_l(text) -> Dict[str, List[LV]]:
    """`lsvg -l VG...`: {vg: [LV]}. Column widths vary between levels, so rows are split
    on whitespace (LV names, types and mount points contain no blanks).

    A varied-off VG prints only 0516-010 on stderr: the result is then {}."""
    out: Dict[str, List[LV]] = {}
    for vg, rows in _blocks(text, "LV NAME"):
        lvs = out.setdefault(vg, [])
        for line in rows:
            f = line.split()
            if len(f) < 7 or not all(is_num(x) for x in f[2:5]):
                continue                 # not an LV row (unknown extra line)
            mount = " ".join(f[6:])
            lvs.append(LV(f[0], f[1], to_int(f[2], "LPs"), to_int(f[3], "PPs"),
                          to_int(f[4], "PVs"), f[5], None if mount == "N/A" else mount))
    if not out and data_lines(text):
        raise AixParseError("lsvg -l: no VG block in output")
    return out
