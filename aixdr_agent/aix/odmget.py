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


# --- device attributes of many devices in a few queries --------------------------------
#
# `odmget [-q Criteria] ObjectClass ...` prints the selected objects as odmadd stanzas; the
# criteria are `descriptor=value` terms joined by `and` (IBM AIX 7.2 odmget command,
# https://www.ibm.com/support/knowledgecenter/ssw_aix_72/o_commands/odmget.html, whose
# examples query CuDv by name and PdDv by uniquetype). Real captures
# (samples/odmget: CuDv, CuAt, PdDv stanzas) show the layout the parser above reads.
# CuAt holds only the customized values (those changed from the default: one object per
# device and attribute, one per value of a multi-valued one); the default is PdAt's `deflt`
# for the device's predefined type, its CuDv `PdDvLn` (class/subclass/type, PdAt's
# `uniquetype`). `lsattr -E` shows exactly that: the customized value, else the default.

def odmget_argv(object_class, criteria=None):
    argv = ["odmget"]
    if criteria:
        argv += ["-q", criteria]
    argv.append(object_class)
    return argv


def device_types(stanzas: List[OdmStanza]) -> Dict[str, str]:
    """{device name: uniquetype} from CuDv stanzas (`odmget CuDv`)."""
    return {s.fields["name"]: s.fields.get("PdDvLn", "") for s in stanzas
            if s.cls == "CuDv" and s.fields.get("name")}


def customized(stanzas: List[OdmStanza]) -> Dict[str, List[str]]:
    """{device name: [values]} of CuAt stanzas (of one attribute), in output order, empty
    values dropped as lsattr's readers drop them."""
    out: Dict[str, List[str]] = {}
    for s in stanzas:
        if s.cls == "CuAt" and s.fields.get("name"):
            values = out.setdefault(s.fields["name"], [])
            if s.fields.get("value", "") != "":
                values.append(s.fields["value"])
    return out


def defaults(stanzas: List[OdmStanza]) -> Dict[str, str]:
    """{uniquetype: default value} of PdAt stanzas (of one attribute)."""
    return {s.fields["uniquetype"]: s.fields.get("deflt", "") for s in stanzas
            if s.cls == "PdAt" and s.fields.get("uniquetype")}
