"""/etc/inittab records: lsitab IDENT, lsitab -a."""

from typing import List, NamedTuple

from . import AixParseError
from ._text import is_message, lines


class InittabEntry(NamedTuple):
    ident: str        # at most 14 characters
    runlevel: str     # "" = all levels (sysinit, powerfail)
    action: str       # respawn, wait, once, boot, off, ...
    command: str      # may contain ':' and a trailing "# comment"

    def record(self) -> str:
        """The one-argument record of mkitab/chitab: `ident:runlevel:action:command`."""
        return "%s:%s:%s:%s" % self


def parse_inittab_line(line: str) -> InittabEntry:
    """One record. The command may contain colons: split on the first three only."""
    if not isinstance(line, str):
        raise AixParseError("inittab: expected a line of text")
    line = line.rstrip("\r\n")
    parts = line.split(":", 3)
    if len(parts) != 4 or not parts[0].strip() or line.startswith(":"):
        raise AixParseError("inittab: not an ident:runlevel:action:command record: %r"
                            % line)
    return InittabEntry(parts[0], parts[1], parts[2], parts[3])


def parse_lsitab_a(text) -> List[InittabEntry]:
    """`lsitab -a` (or `lsitab IDENT`): every record line. Blank lines, `:` comment lines,
    AIX messages and lines that are not records are skipped."""
    out = []
    unknown = 0
    for line in lines(text):
        if not line.strip() or line.startswith(":") or is_message(line):
            continue
        try:
            out.append(parse_inittab_line(line))
        except AixParseError:
            unknown += 1
    if unknown and not out:
        raise AixParseError("lsitab: no inittab record in output")
    return out


def lsitab(runner, ident):
    """The record of `ident` (`lsitab IDENT`), or None: no such entry, or lsitab failed."""
    res = runner.query(["lsitab", ident], check=False)
    line = res.stdout.strip() if res.ok else ""
    return parse_inittab_line(line) if line else None


def lsitab_all(runner):
    """`lsitab -a`: (the command's result, its records; None when it failed)."""
    res = runner.query(["lsitab", "-a"], check=False)
    return res, (parse_lsitab_a(res.stdout) if res.ok else None)


def chitab_argv(entry: InittabEntry):
    return ("chitab", entry.record())


def mkitab_argv(entry: InittabEntry, after=None):
    """`mkitab [-i AFTER] record`: appended, or inserted after the entry `after`."""
    return ("mkitab", "-i", after, entry.record()) if after else ("mkitab", entry.record())


def rmitab_argv(ident):
    return ("rmitab", ident)
