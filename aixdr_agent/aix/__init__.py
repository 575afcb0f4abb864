"""AIX knowledge: one module per command family. Each builds argv and parses output.

Parsers are pure functions of the command's text; they raise AixParseError (and nothing
else) when the text is not what the command prints.
"""

import re

# NNNN-NNN or NNNN-NNNN: `0516-1616 chvg: ...`, `0516-1396` are messages too
_MSGID = re.compile(r"\b(\d{4}-\d{3,4})\b")


class AixParseError(ValueError):
    """The output of an AIX command could not be understood."""


def message_ids(text):
    """The AIX message ids (``0516-306``, ``0516-1616``) in a command's output, in order."""
    return _MSGID.findall(text or "")
