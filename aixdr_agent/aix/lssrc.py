"""lssrc: subsystem status (-a, -g, -s) and subsystem definitions (-S)."""

from typing import Dict, List, NamedTuple, Optional

from . import AixParseError
from ._text import data_lines, is_num

_TWO_WORD_STATUS = "warned to stop"


class Subsystem(NamedTuple):
    name: str
    group: Optional[str]    # None when the Group cell is empty
    pid: Optional[int]      # None when not running (empty PID cell)
    status: str             # active, inoperative, stopping, "warned to stop", starting


def parse_lssrc(text) -> List[Subsystem]:
    """Rows of `lssrc -a|-g G|-s S`. Rows start with one blank; the Group and PID cells
    may be EMPTY, so a row has 2 to 4 whitespace fields: name, [group], [pid], status.
    A lone middle field is the PID when it is a number (group names are not numbers)."""
    out = []
    body = data_lines(text)
    for line in body:
        f = line.split()
        if not f or f[0] == "Subsystem":
            continue
        if line.endswith(" " + _TWO_WORD_STATUS):
            status = _TWO_WORD_STATUS
            f = f[:-3]
        else:
            status = f.pop()
        if not f or len(f) > 3:
            continue                     # unknown line
        name, middle = f[0], f[1:]
        group = pid = None
        if len(middle) == 2:
            if not is_num(middle[1]):
                continue
            group, pid = middle[0], int(middle[1])
        elif len(middle) == 1:
            if is_num(middle[0]):
                pid = int(middle[0])
            else:
                group = middle[0]
        out.append(Subsystem(name, group, pid, status))
    if body and not out and not any(line.startswith("Subsystem") for line in body):
        raise AixParseError("lssrc: no subsystem rows in output")
    return out


def _fields(line):
    # every field is FOLLOWED by ':' (srcprint.c), so the last split part is empty
    parts = line.split(":")
    if parts and parts[-1] == "":
        parts.pop()
    return parts


def parse_lssrc_S(text) -> List[Dict[str, str]]:
    """`lssrc -S [-s name]`: `#subsysname:synonym:cmdargs:...:` header, then one colon
    record per subsystem -> [{field: value}]. If a record has more fields than the
    header, the extra colons are taken to belong to cmdargs (the free-text field)."""
    names = None
    out = []
    for line in data_lines(text):
        if line.startswith("#"):
            names = _fields(line[1:])
            continue
        if names is None:
            raise AixParseError("lssrc -S: record before the #subsysname header")
        values = _fields(line)
        extra = len(values) - len(names)
        if extra > 0 and "cmdargs" in names:
            at = names.index("cmdargs")
            values[at:at + extra + 1] = [":".join(values[at:at + extra + 1])]
        if len(values) != len(names):
            raise AixParseError("lssrc -S: %d fields for %d names" % (len(values), len(names)))
        out.append(dict(zip(names, values)))
    return out
