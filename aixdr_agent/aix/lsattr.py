"""lsattr: device attributes (`-E`/`-D` columnized, `-O` colon form, `-F value`)."""

from __future__ import annotations  # no typing import: an idle boot loads this module

import re
from collections import namedtuple
from collections.abc import Sequence

from . import AixParseError
from ._text import data_lines

USER_SETTABLE = ("True", "False", "True+")  # True+: changeable while the device is in use
_HEADER = ("attribute", "value", "description", "user_settable")
_HEADER_D = ("attribute", "deflt", "description", "user_settable")


class AttrRow(namedtuple("AttrRow", "attribute value description user_settable")):
    """One attribute of `lsattr -E`/`-D`: its value is "" when AIX prints an empty cell;
    user_settable is "True", "False" or "True+"."""

    __slots__ = ()


def _rows_of(text):
    """(line without its last column, last column) of every attribute row and of the
    -H header; message lines and unknown lines (not ending in True/False) are dropped."""
    rows = []
    header = None
    for line in data_lines(text):
        if line[:1].isspace():
            continue
        parts = line.rsplit(None, 1)
        if len(parts) != 2:
            continue
        rest, last = parts
        words = line.split()
        if tuple(words) in (_HEADER, _HEADER_D):
            header = (words[0], last)
            rows.append((rest.rstrip(), last, True))
        elif last in USER_SETTABLE:
            rows.append((rest.rstrip(), last, False))
    return rows, header


def _description_start(rests, value_start):
    """Smallest offset where every row has a blank before and a non-blank at the offset.

    AIX pads every column to its widest cell and joins columns with ONE blank, so the
    description column starts at the same offset on every row (COMMANDS.md rule 0.5)."""
    longest = max(len(r) for r in rests)
    for start in range(value_start + 1, longest):
        if all(len(r) > start and r[start - 1] == " " and r[start] != " " for r in rests):
            return start
    return None


def parse_lsattr_E(text) -> list[AttrRow]:
    """Rows of the default `lsattr -E[l]` / `-D` listing (also with `-H`), in output order.

    Values may be empty (blank cell) or contain blanks (fwversion `IBM,FW950.10
    (VL950_092)`): columns are cut at offsets, never split on whitespace. With a single
    row a value containing a blank cannot be told from the description; query one
    attribute with `-F value` or `-O` when that matters."""
    rows, _header = _rows_of(text)
    if not rows:
        if any(not ln[:1].isspace() for ln in data_lines(text)):
            raise AixParseError("lsattr: no attribute rows in output")
        return []
    rests = [r for r, _last, _h in rows]
    # attribute names contain no blank: the value column starts after the longest one
    value_start = max(len(r.split(None, 1)[0]) for r in rests) + 1
    desc_start = _description_start(rests, value_start)
    if (desc_start is not None and desc_start > value_start + 1
            and all(len(r) <= value_start or r[value_start] == " " for r in rests)):
        # Nothing at the value offset although values exist: the name column is wider
        # than the visible names (excerpt or `| grep` of a longer listing). The values
        # then start at the leftmost second field.
        seconds = [len(r) - len(r.split(None, 1)[1]) for r in rests
                   if len(r.split(None, 1)) == 2]
        value_start = min(seconds) if seconds else value_start
        desc_start = _description_start(rests, value_start)
    if desc_start is None:
        raise AixParseError("lsattr: cannot find the description column")
    out = []
    for rest, last, is_header in rows:
        if is_header:
            continue
        out.append(AttrRow(
            rest[:value_start].strip(),
            rest[value_start:desc_start].strip(),
            rest[desc_start:].strip(),
            last,
        ))
    return out


def attrs_first(rows: Sequence[AttrRow]) -> dict[str, str]:
    """{attribute: value of its first row} (empty values kept as "")."""
    out: dict[str, str] = {}
    for row in rows:
        out.setdefault(row.attribute, row.value)
    return out


_RANGE = re.compile(r"^(\S+)\.\.\.(\S+)\s+\(\+(\S+)\)$")


class AttrRange(namedtuple("AttrRange", "low high increment")):
    """`lsattr -R` of a range: `1...256 (+1)`."""

    __slots__ = ()


def read_first(runner, device) -> dict[str, str]:
    """{attribute: first value} of every attribute of `device` (`lsattr -El DEVICE`, one
    call; a failure raises)."""
    return attrs_first(parse_lsattr_E(runner.query(["lsattr", "-El", device]).stdout))


def changes_device(argv, device) -> bool:
    """Whether `argv` is a `chdev -l DEVICE ...`."""
    return tuple(argv[:3]) == ("chdev", "-l", device)
