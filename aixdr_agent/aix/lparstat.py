"""lparstat -i: `Label<padding>: value` lines."""

from typing import Dict

from . import AixParseError
from ._text import data_lines


def parse_lparstat_i(text) -> Dict[str, str]:
    """{label: value}, split at the first ':' (labels contain none), both sides stripped.

    Labels are normally padded to 43 columns, but captures exist with one label a column
    short and with doubled blanks INSIDE labels ("Node  Name"): runs of blanks in a label
    are collapsed to one. Values are kept as printed (`16384 MB`, `30.00%`, `-`; a
    non-C locale prints `4,00`)."""
    out: Dict[str, str] = {}
    for line in data_lines(text):
        label, colon, value = line.partition(":")
        label = " ".join(label.split())
        if not colon or not label:
            continue
        out.setdefault(label, value.strip())
    if not out:
        raise AixParseError("lparstat -i: no 'label : value' lines in output")
    return out
