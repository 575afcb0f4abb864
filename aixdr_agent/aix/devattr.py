"""Reading and changing device attributes (lsattr/chdev), for any device."""

from ..runner import CommandError
from . import AixParseError, message_ids
from .lsattr import parse_lsattr_E
from .odmget import customized, defaults, device_types, odmget_argv, parse_odmget

NO_SUCH_DEVICE = "0514-519"
NO_SUCH_ATTRIBUTE = "0514-528"


class DeviceMissing(Exception):
    """lsattr says the device is not in the customized device database."""


def read_attrs(runner, device, names=()):
    """{attribute: [values]} of `device` (every row of a multi-valued attribute such as
    alias4 or route, empty values dropped). One `lsattr -El dev [-a name ...]` call."""
    argv = ["lsattr", "-El", device]
    for name in names:
        argv += ["-a", name]
    result = runner.query(argv, check=False)
    if not result.ok:
        if NO_SUCH_DEVICE in message_ids(result.stderr):
            raise DeviceMissing(device)
        raise CommandError(result)
    values = {name: [] for name in names}
    for row in parse_lsattr_E(result.stdout):
        values.setdefault(row.attribute, [])
        if row.value != "":
            values[row.attribute].append(row.value)
    return values


def read_attrs_bulk(runner, devices, names):
    """{device: {attribute: [values]}} for every device of `devices` that exists, the same
    values `read_attrs` gives, from 1 + 2 x len(names) odmget queries whatever the number
    of devices: `odmget CuDv` (each device's predefined type), then per attribute
    `odmget -q attribute=NAME CuAt` (the customized values) and the same of PdAt (the
    defaults per type). A device whose value neither holds (an attribute its type does not
    predefine, a device odmget does not list), or every device when an odmget fails or
    prints what it never prints, is read with `lsattr -El` as before."""
    devices = list(devices)
    names = sorted(set(names))
    if not devices:
        return {}
    try:
        types, custom, deflt = _odm_tables(runner, names)
    except _OdmUnreadable:
        types, custom, deflt = {}, {}, {}
    out, ask = {}, []
    for device in devices:
        unique = types.get(device)
        values = {}
        for name in names:
            got = custom.get(name, {}).get(device)
            if got is None:
                if unique is None or unique not in deflt.get(name, {}):
                    break
                default = deflt[name][unique]
                got = [default] if default != "" else []
            values[name] = list(got)
        else:
            out[device] = values
            continue
        ask.append(device)
    for device in ask:
        try:
            out[device] = read_attrs(runner, device, names)
        except DeviceMissing:
            continue
    return out


class _OdmUnreadable(Exception):
    pass


def _odm_tables(runner, names):
    def query(cls, criteria=None):
        res = runner.query(odmget_argv(cls, criteria), check=False)
        if not res.ok:
            raise _OdmUnreadable()
        try:
            return parse_odmget(res.stdout)
        except AixParseError:
            raise _OdmUnreadable() from None

    types = device_types(query("CuDv"))
    custom = {n: customized(query("CuAt", "attribute=%s" % n)) for n in names}
    deflt = {n: defaults(query("PdAt", "attribute=%s" % n)) for n in names}
    return types, custom, deflt


def first(values, name, default=""):
    got = values.get(name) or []
    return got[0] if got else default


def chdev_argv(device, changes, persistent_only=False):
    argv = ["chdev", "-l", device]
    if persistent_only:
        argv.append("-P")
    for name, value in changes:
        argv += ["-a", "%s=%s" % (name, value)]
    return tuple(argv)
