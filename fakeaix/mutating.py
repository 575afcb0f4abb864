"""Which commands change the system (the agent's `plan` must list them), and which only
log. Shared by the host's call log (host.py) and the kill knob (main.py)."""

import os

_ALWAYS = {
    "chdev", "mkdev", "rmdev", "cfgmgr", "importvg", "exportvg", "varyonvg", "varyoffvg",
    "umount", "chown", "chmod", "mkitab", "chitab", "rmitab", "mkssys", "rmssys", "chssys",
    "startsrc", "stopsrc", "recfgct", "refresh", "bosboot", "chvg", "chlv", "mklv", "rmlv",
    "crfs", "chfs", "rmfs", "syncvg", "recreatevg", "niminit", "odmadd", "odmdelete",
    "fsck", "logredo", "rmcctrl",
}
_NAMERSLV_CHANGE = {"-a", "-d", "-c", "-C", "-X", "-e", "-b", "-B"}
_HOSTENT_CHANGE = {"-a", "-d", "-c", "-X"}
LOGGING = {"errlogger"}


def _flags(args):
    """Single-letter flags present in args (combined flags split: -Xl -> -X, -l)."""
    out = set()
    for a in args:
        if a.startswith("-") and len(a) > 1 and not a.startswith("--"):
            for ch in a[1:]:
                out.add("-" + ch)
    return out


def _bootlist_changes(args):
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-m", "-f"):
            if a == "-f":
                return True
            i += 2
            continue
        if a.startswith("-"):
            if "i" in a[1:] or "f" in a[1:]:
                return True
            i += 1
            continue
        return True  # a device operand
    return False


def is_mutating(argv):
    """True when the command changes the system (the agent's `plan` must list it)."""
    if not argv:
        return False
    prog = os.path.basename(argv[0])
    args = list(argv[1:])
    if prog in _ALWAYS:
        return True
    if prog == "mktcpip":
        return "-S" not in _flags(args)
    if prog == "namerslv":
        return bool(_flags(args) & _NAMERSLV_CHANGE)
    if prog == "hostent":
        return bool(_flags(args) & _HOSTENT_CHANGE)
    if prog == "bootlist":
        return _bootlist_changes(args)
    if prog == "mount":
        return bool(args)
    if prog == "hostname":
        return any(not a.startswith("-") for a in args)
    if prog == "uname":
        return "-S" in _flags(args)
    if prog == "route":
        ops = [a for a in args if not a.startswith("-")]
        return bool(ops) and ops[0] in ("add", "delete", "change", "flush")
    if prog == "ifconfig":
        ops = [a for a in args if not a.startswith("-")]
        return len(ops) > 1
    return False


def is_logging(argv):
    return bool(argv) and os.path.basename(argv[0]) in LOGGING
