"""odmget: ODM stanzas (`Class:` then indented `field = value` lines)."""

from typing import Dict, List, NamedTuple

from . import AixParseError
from ._text import data_lines


class OdmStanza(NamedTuple):
    cls: str                  # "CuAt", "CuDv", "PdDv", ...
    fields: Dict[str, str]    # strings unquoted, numbers kept as their text


def _unquote(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def parse_odmget(text) -> List[OdmStanza]:
    """Stanzas in output order. The field indentation is a TAB on AIX but captures show
    blanks or two TABs, so any leading whitespace is accepted. No match: empty output."""
    out = []
    current = None
    open_field = None    # (name, raw text) of a quoted value not closed on its line
    for line in data_lines(text):
        stripped = line.strip()
        if open_field is not None:
            name, raw = open_field
            raw = raw + "\n" + line
            current.fields[name] = _unquote(raw)
            open_field = (name, raw) if not stripped.endswith('"') else None
            continue
        if not line[:1].isspace() and stripped.endswith(":") and " " not in stripped:
            current = OdmStanza(stripped[:-1], {})
            out.append(current)
            continue
        name, eq, value = stripped.partition("=")
        if not eq or not name.strip():
            raise AixParseError("odmget: unexpected line %r" % line)
        if current is None:
            raise AixParseError("odmget: field before any 'Class:' line: %r" % line)
        name, value = name.strip(), value.strip()
        current.fields[name] = _unquote(value)
        if value.startswith('"') and (len(value) == 1 or not value.endswith('"')):
            open_field = (name, value)   # a string value continued on the next line
    return out


def cuat_values(stanzas: List[OdmStanza], attribute: str) -> List[str]:
    """Every CuAt value of `attribute` (one stanza per value of a multi-valued one)."""
    return [s.fields.get("value", "") for s in stanzas
            if s.cls == "CuAt" and s.fields.get("attribute") == attribute]
