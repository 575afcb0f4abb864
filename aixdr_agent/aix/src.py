"""The System Resource Controller: a subsystem's definition and status (lssrc), defined,
changed and removed (mkssys, chssys, rmssys), started and stopped (startsrc, stopsrc).
The outputs are parsed in lssrc.py."""


def query_definition(runner, name):
    """`lssrc -S -s NAME`: the subsystem's definition (the command's result)."""
    return runner.query(["lssrc", "-S", "-s", name], check=False)


def query_status(runner, name):
    """`lssrc -s NAME`: the subsystem's status (the command's result)."""
    return runner.query(["lssrc", "-s", name], check=False)


def mkssys_argv(name, flags):
    return ("mkssys", "-s", name) + tuple(flags)


def chssys_argv(name, flags):
    return ("chssys", "-s", name) + tuple(flags)


def rmssys_argv(name):
    return ("rmssys", "-s", name)


def startsrc_argv(name):
    return ("startsrc", "-s", name)


def stopsrc_argv(name, force=False):
    """`stopsrc -s NAME` (the normal stop signal); `-f`: the forced one."""
    return ("stopsrc", "-f", "-s", name) if force else ("stopsrc", "-s", name)
