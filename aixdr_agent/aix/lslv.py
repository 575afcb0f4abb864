"""lslv LV: the logical volume report, parsed by label."""

from typing import Dict

from . import AixParseError
from ._text import parse_labelled


def parse_lslv(text) -> Dict[str, str]:
    """`lslv LV` / `lslv -L LV` as {LABEL: value} ('LOGICAL VOLUME', 'VOLUME GROUP',
    'LV IDENTIFIER', 'PERMISSION', 'LV STATE', 'TYPE', 'MOUNT POINT', 'LABEL', ...).

    The report has two columns, but long values push the right-hand label so that only
    ONE blank is left (`...7629.4 PERMISSION:`, `N/A LABEL:`): labels are found by their
    text, not by column. Labels may contain blanks and `?` (`Serialize IO ?`)."""
    report = parse_labelled(text)
    if "LOGICAL VOLUME" not in report:
        raise AixParseError("lslv: no LOGICAL VOLUME line in output")
    return report
