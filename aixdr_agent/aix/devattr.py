"""Reading and changing device attributes (lsattr/chdev), for any device."""

from . import message_ids
from .lsattr import parse_lsattr_E

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
        from ..runner import CommandError

        raise CommandError(result)
    values = {name: [] for name in names}
    for row in parse_lsattr_E(result.stdout):
        values.setdefault(row.attribute, [])
        if row.value != "":
            values[row.attribute].append(row.value)
    return values


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
