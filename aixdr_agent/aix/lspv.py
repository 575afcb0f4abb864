"""lspv: the disk list (`lspv`, `lspv -u`) and one disk's report (`lspv hdiskN`)."""

from __future__ import annotations  # no typing import: an idle boot loads this module

import re
from collections import namedtuple

from . import AixParseError
from ._text import data_lines

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_UDID = re.compile(r"^[0-9A-Za-z]{20,}$")
_DISK = re.compile(r"^[A-Za-z][A-Za-z0-9_]*[0-9]$")      # hdisk0, hdiskpower3, vpath1


class PV(namedtuple("PV", "name pvid vg state udid uuid", defaults=(None, None))):
    """A disk of `lspv`. pvid: None for "none" (the disk has no PVID). vg: None for "None"
    (no VG known to ODM, e.g. after an ODM reset). state: "active", "concurrent", "locked",
    or None when not varied on. udid, uuid: with `lspv -u` only, else None."""

    __slots__ = ()


def parse_lspv(text) -> list[PV]:
    """`lspv` / `lspv -u` rows. Fields are whitespace-separated (3 to 6 of them).

    The VIOS padmin header `NAME PVID VG STATUS` is skipped, and so are lines that
    cannot be a disk row. The PVID is kept as printed (16 hex digits on AIX). Empty output
    is an empty list; output with no disk row at all is a parse error."""
    out = []
    seen_any = False
    for line in data_lines(text):
        seen_any = True
        f = line.split()
        if len(f) < 3 or len(f) > 6 or not _DISK.match(f[0]):
            continue                     # VIOS header "NAME PVID VG STATUS", noise
        name, pvid, vg = f[0], f[1], f[2]
        state = udid = uuid = None
        for extra in f[3:]:
            if _UUID.match(extra) and uuid is None:
                uuid = extra
            elif _UDID.match(extra) and udid is None:
                udid = extra
            elif state is None and udid is None and uuid is None:
                state = extra
        out.append(PV(name, None if pvid == "none" else pvid, None if vg == "None" else vg,
                      state, udid, uuid))
    if seen_any and not out:
        raise AixParseError("lspv: no disk rows in output")
    return out


def list_pvs(runner) -> list[PV]:
    """Every disk with its PVID, VG and state (`lspv`)."""
    return parse_lspv(runner.query(["lspv"]).stdout)
