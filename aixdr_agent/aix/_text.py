"""Text handling shared by the parsers of this package (private).

Every parser goes through `lines()` so that CRLF, a missing final newline, trailing blanks
and stderr captured together with stdout are handled the same way everywhere.
"""

from __future__ import annotations  # no typing import: an idle boot loads this module

import re
from collections.abc import Iterable

from . import AixParseError

# A message line: "lsattr: 0514-528 The ...", "0516-010 : Volume group ...",
# "0513-085 The x Subsystem ...", "/usr/sbin/mkitab: 0481-205 ...". The id comes first,
# or after ONE program-name token and a colon. Tokens such as oslevel's 7300-03-00-2446 do
# not match (two digits after the dash). Ids have three or four digits after the dash
# (0516-306, 0516-1616).
_MESSAGE = re.compile(r"^\s*(?:[\w./-]+\s*:\s*)?\d{4}-\d{3,4}(?!\d)")
# chdev/mkdev/rmdev method failures put the id on the NEXT, TAB-indented line.
_FRAME = re.compile(r"^(?:Method error \(|Usage:)")
_NUM = re.compile(r"[0-9]+")


def lines(text) -> list[str]:
    """The lines of a command output, line ends normalised and trailing blanks removed.

    None counts as empty output. Anything that is not a string is a parse error (the
    parsers promise to raise nothing but AixParseError)."""
    if text is None:
        return []
    if not isinstance(text, str):
        raise AixParseError("expected command output as text, got %s" % type(text).__name__)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = [line.rstrip() for line in text.split("\n")]
    while out and out[-1] == "":
        out.pop()
    return out


def is_message(line: str) -> bool:
    """True for an AIX message line (stderr mixed into stdout)."""
    return bool(_MESSAGE.match(line) or _FRAME.match(line))


def data_lines(text, keep_blank: bool = False) -> list[str]:
    """`lines(text)` without AIX messages and their TAB-indented continuation lines.

    Multi-line messages continue on lines starting with a TAB (0514-519, 0516-304,
    "Method error (...):"); such lines are dropped while they follow a message. Lines
    indented with blanks are kept: they are data in lscfg/mount/lssrc output."""
    out = []
    in_message = False
    for line in lines(text):
        if is_message(line):
            in_message = True
            continue
        if in_message and line[:1] == "\t" and line.strip():
            continue
        in_message = False
        if line.strip() or keep_blank:
            out.append(line)
    return out


def is_num(token: str) -> bool:
    """True for ASCII digits only (str.isdigit() also accepts '²', which int() rejects)."""
    return bool(_NUM.fullmatch(token or ""))


def to_int(token: str, what: str) -> int:
    """int(token) that fails with AixParseError (ASCII digits only, optional sign)."""
    if not re.fullmatch(r"[+-]?[0-9]+", token or ""):
        raise AixParseError("%s: expected an integer, got %r" % (what, token))
    return int(token)


def opt_int(token: str) -> int | None:
    """int(token) or None when the token is not a plain integer."""
    return int(token) if is_num(token) else None


# --- "LABEL: value   LABEL: value" reports (lsvg VG, lspv PV, lslv LV) -----------------

# A label: words separated by ONE blank, no colon inside, ended by ':' and a blank/EOL.
_LABEL = re.compile(r"[A-Za-z](?:[^:\s]| (?! ))*:(?=\s|$)")
# After a value and ONE blank only upper-case labels are accepted: AIX glues them when the
# value overflows its column ("...7629.4 PERMISSION:", "N/A LABEL:").
_GLUED = re.compile(r"[A-Z](?:[A-Z0-9?/()_-]| (?! ))*:(?=\s|$)")
_TOKEN = re.compile(r"\S+")


def split_labelled(line: str, nocolon: Iterable[str] = ()) -> list[tuple[str, str]]:
    """[(label, value)] of one report line; text before the first label is dropped.

    A label starts the line, or follows a run of two or more blanks, or (upper-case
    labels only) a single blank. The first word after a label belongs to its value
    ("MOUNT POINT:  N/A LABEL:" is MOUNT POINT = N/A, LABEL = ...) unless that word is a
    whole label by itself. `nocolon` lists labels that AIX prints without their colon
    (lspv's "VG IDENTIFIER")."""
    found = []  # (start, end, label)
    prev_end = None
    skip_to = -1
    value_first = False
    for tok in _TOKEN.finditer(line):
        start = tok.start()
        if start < skip_to:
            prev_end = tok.end()
            continue
        if value_first:
            value_first = False
            m = _LABEL.match(line, start)
            if m and m.end() == tok.end():
                found.append((start, m.end(), m.group()[:-1]))
                value_first = True
            prev_end = tok.end()
            continue
        gap = start if prev_end is None else start - prev_end
        hit = None
        for label in nocolon:
            end = start + len(label)
            if line.startswith(label, start) and (end == len(line) or line[end] == " "):
                if line[end:end + 1] != ":":
                    hit = (start, end, label)
                    break
        if hit is None and (prev_end is None or gap >= 2):
            m = _LABEL.match(line, start)
            if m:
                hit = (start, m.end(), m.group()[:-1])
        if hit is None and prev_end is not None and gap >= 1:
            m = _GLUED.match(line, start)
            if m:
                hit = (start, m.end(), m.group()[:-1])
        if hit is not None:
            found.append(hit)
            skip_to = hit[1]
            value_first = True
        prev_end = tok.end()
    pairs = []
    for i, (_start, end, label) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(line)
        pairs.append((label, line[end:stop].strip()))
    return pairs


def parse_labelled(text, nocolon: Iterable[str] = (), stop=None) -> dict[str, str]:
    """{label: value} over every line (first occurrence of a label wins).

    `stop(line)` ends the report early (e.g. a "vgname:" line of a following lsvg -p)."""
    result: dict[str, str] = {}
    for line in data_lines(text):
        if stop is not None and stop(line):
            break
        for label, value in split_labelled(line, nocolon):
            result.setdefault(label, value)
    return result
