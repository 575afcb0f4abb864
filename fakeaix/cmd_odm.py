"""odmget (COMMANDS.md 1.3; IBM AIX 7.2 odmget command): CuDv, CuAt and PdAt.

Output as odmget prints it: every object a stanza after a blank line, the class name and a
colon, then TAB-indented ``descriptor = value`` lines, strings quoted, numbers bare. CuAt
holds only values that differ from the predefined default (one object per value of a
multi-valued attribute); PdAt the defaults per uniquetype (class/subclass/type, which is
CuDv's PdDvLn). Criteria: ``descriptor=value`` terms (value bare or in single quotes), also
``!=`` and ``like`` (``*`` and ``?``), joined by ``and``.
"""

import fnmatch
import re

from fakeaix import odm
from fakeaix.cmd_attr import disk_dynamic
from fakeaix.fmt import CmdError, NotImplementedCmd, UsageError, parse_opts

USAGE = "Usage: odmget [-q criteria] classname ...\n"
STATUS = {"Defined": 0, "Available": 1, "Stopped": 2}
_TERM = re.compile(r"^\s*(\w+)\s*(!=|=|\s+like\s+)\s*(?:'([^']*)'|(\S+))\s*$", re.I)


def unique_type(dev):
    t = odm.TYPES.get(dev.get("type", ""))
    cls, sub = (t[0], t[1]) if t else (dev.get("class", ""), dev.get("subclass", ""))
    return "%s/%s/%s" % (cls, sub, dev.get("type", ""))


def _stanza(cls, fields):
    lines = ["", cls + ":"]
    for name, value in fields:
        text = str(value) if isinstance(value, int) else '"%s"' % value
        lines.append("\t%s = %s" % (name, text))
    return "\n".join(lines) + "\n"


def _criteria(text, cls):
    terms = []
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.I):
        m = _TERM.match(part)
        if not m:
            # [U] the wording of an ODM criteria error; the agent never sends a bad one
            raise CmdError("odmget: Could not retrieve object for %s, ODM error number 5804\n"
                           % cls, 1)
        op = m.group(2).strip().lower()
        terms.append((m.group(1), op, m.group(3) if m.group(3) is not None else m.group(4)))
    return terms


def _matches(fields, terms):
    got = dict(fields)
    for name, op, value in terms:
        have = str(got.get(name, ""))
        if op == "=" and have != value or op == "!=" and have == value:
            return False
        if op == "like" and not fnmatch.fnmatchcase(have, value):
            return False
    return True


def _all_devices(m):
    devs = [(n, d) for n, d in m.devices.items()]
    for name in m.lvm_device_names():
        if name not in m.devices:
            dev = m.device(name)
            if dev is not None:
                devs.append((name, dev))
    return devs


def _cudv(m):
    for name, dev in _all_devices(m):
        yield [("name", name), ("status", STATUS.get(dev.get("status", "Available"), 0)),
               ("chgstatus", 2), ("ddins", ""), ("location", dev.get("location", "")),
               ("parent", dev.get("parent", "")), ("connwhere", ""),
               ("PdDvLn", unique_type(dev))]


def _rep(row):
    return "nr" if isinstance(row[4], tuple) else "sl" if row[4] else "s"


def _generic(row):
    return "DU" if row[3].startswith("True") else "D"


def _cuat(m):
    for name, dev in _all_devices(m):
        dtype = dev.get("type", "")
        index = odm.pdat_index(dtype)
        if dtype == "chrp":
            values = {a: [str(v)] for a, v in m["sys0"].items()}
        else:
            values = {}
            dyn = disk_dynamic(m, dev) if dev.get("class") == "disk" else {}
            for a, v in dyn.items():
                values[a] = [v]
            for a, v in (dev.get("attrs") or {}).items():
                values[a] = [str(x) for x in v] if isinstance(v, list) else [str(v)]
        for attr in sorted(values):
            row = index.get(attr, (attr, "", "", "False", None))
            vals = values[attr]
            if vals == [row[1]] or (not vals and row[1] == ""):
                continue        # the default: not customized, not in CuAt
            for v in vals:
                yield [("name", name), ("attribute", attr), ("value", v), ("type", "R"),
                       ("generic", _generic(row)), ("rep", _rep(row)),
                       ("nls_index", list(index).index(attr) + 1 if attr in index else 0)]


def _legal(row):
    vals = row[4]
    if vals is None:
        return ""
    if isinstance(vals, list):
        return ",".join(vals)
    return "%d-%d,%d" % vals


def _pdat():
    for dtype, t in odm.TYPES.items():
        unique = "%s/%s/%s" % (t[0], t[1], dtype)
        for n, row in enumerate(t[3], 1):
            yield [("uniquetype", unique), ("attribute", row[0]), ("deflt", row[1]),
                   ("values", _legal(row)), ("width", ""), ("type", "R"),
                   ("generic", _generic(row)),
                   ("rep", _rep(row)),
                   ("nls_index", n)]


CLASSES = {"CuDv": lambda m: _cudv(m), "CuAt": lambda m: _cuat(m), "PdAt": lambda m: _pdat()}


def odmget(ctx, args):
    opts, rest = parse_opts("odmget", args, "q:", USAGE)
    if not rest:
        raise UsageError(USAGE, 1)
    criteria = dict(opts).get("-q")
    out = []
    for cls in rest:
        objects = CLASSES.get(cls)
        if objects is None:
            raise NotImplementedCmd()
        terms = _criteria(criteria, cls) if criteria else []
        for fields in objects(ctx.m):
            if _matches(fields, terms):
                out.append(_stanza(cls, fields))
    ctx.out("".join(out))
    return 0
