"""lsdev: devices in the default columnized format and in the `-F format` form."""

from typing import List, NamedTuple

from . import AixParseError
from ._text import data_lines

_HEADER = ["name", "status", "location", "description"]


class Device(NamedTuple):
    name: str
    status: str         # Available, Defined, Stopped
    location: str       # "" when the cell is empty (virtual devices)
    description: str


def parse_lsdev(text) -> List[Device]:
    """`lsdev -C[c class]` default listing (also with `-H`).

    Columns are padded to their widest cell (status: `Defined  `) and joined with ONE
    blank; the location cell may be empty (blanks only), so the location column is found
    by offset: status column start + widest status + 1. The name column may be wider than
    the visible names (padded over the unfiltered list, e.g. after `| grep`)."""
    rows = []
    for line in data_lines(text):
        f = line.split()
        if len(f) < 3 or line[:1].isspace():
            continue                     # unknown line (a device row has >= 3 fields)
        status_at = line.index(f[1], len(f[0]))
        rows.append((line, f, status_at))
    if not rows:
        if data_lines(text):
            raise AixParseError("lsdev: no device rows in output")
        return []
    width = max(len(f[1]) for _line, f, _at in rows)
    out = []
    for line, f, status_at in rows:
        if f == _HEADER:
            continue
        loc_at = status_at + width + 1
        tail = line[loc_at:] if len(line) > loc_at else ""
        location, description = "", tail    # empty location cell by default
        if tail[:1] not in ("", " ") and line[loc_at - 1:loc_at] == " ":
            token, _, rest = tail.partition(" ")
            # location codes (00-08, C2-T1-01, U78..-P1) always carry a digit; a
            # word without one is a description shifted left in a trimmed capture
            if any(c in "0123456789" for c in token):
                location, description = token, rest
        description = description.strip()
        if not description:              # misaligned capture: fall back to fields
            location, description = ("", " ".join(f[2:])) if len(f) == 3 else (
                f[2], " ".join(f[3:]))
        out.append(Device(f[0], f[1], location, description))
    return out


def devices(runner) -> List[Device]:
    """Every device in the customized database (`lsdev -C`)."""
    return parse_lsdev(runner.query(["lsdev", "-C"]).stdout)


def interfaces(runner) -> List[Device]:
    """The network interfaces (`lsdev -Cc if`)."""
    return parse_lsdev(runner.query(["lsdev", "-Cc", "if"]).stdout)


def is_instance(name, prefix):
    """hdisk12 is an instance of the class prefix hdisk; hdiskpower1 is not."""
    return name.startswith(prefix) and name[len(prefix):].isdigit()


def cfgmgr_argv():
    """cfgmgr: configure the devices found (new disks after a LUN change)."""
    return ("cfgmgr",)


def rmdev_argv(name):
    """`rmdev -dl NAME`: the device's definition deleted from the ODM."""
    return ("rmdev", "-dl", name)
