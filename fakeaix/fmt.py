"""Output helpers shared by the fake AIX commands: columnize, getopt, natural sort."""

import getopt
import re


class UsageError(Exception):
    """A command line AIX would refuse; ``text`` goes to stderr, exit ``rc``."""

    def __init__(self, text, rc=1):
        Exception.__init__(self, text)
        self.text = text
        self.rc = rc


class CmdError(Exception):
    """A command failure: message to stderr, exit code ``rc``, state untouched."""

    def __init__(self, text, rc=1, out=""):
        Exception.__init__(self, text)
        self.text = text
        self.rc = rc
        self.out = out


class NotImplementedCmd(Exception):
    """Recognised but not modelled: the call prints "fakeaix: not implemented" and exits 127,
    so tests notice instead of trusting an invented answer."""


class Hang(Exception):
    """The command blocks forever (e.g. nimclient with the master unreachable)."""


def columnize(rows, header=None):
    """COMMANDS.md rule 0.5: pad each column to its widest cell, join with one blank,
    strip trailing blanks; a header is followed by an empty line."""
    allrows = ([header] if header else []) + list(rows)
    if not allrows:
        return ""
    ncol = len(allrows[0])
    w = [max(len(r[i]) for r in allrows) for i in range(ncol)]
    out = []
    if header:
        out.append(" ".join(c.ljust(w[i]) for i, c in enumerate(header)).rstrip())
        out.append("")
    for r in rows:
        out.append(" ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip())
    return "\n".join(out) + "\n"


def user_format(fmt, fields, rows):
    """lsattr/lsdev -F: ``fmt`` names columns separated by non-alphanumerics. With a blank in
    the format the output is columnized, otherwise printed with the literal separators."""
    parts = re.split(r"([A-Za-z0-9_]+)", fmt)
    # parts: [sep0, name1, sep1, name2, ..., sepN]
    names = parts[1::2]
    seps = parts[0::2]
    for n in names:
        if n not in fields:
            raise KeyError(n)
    if " " in fmt:
        table = [[r.get(n, "") for n in names] for r in rows]
        return columnize(table)
    out = []
    for r in rows:
        line = seps[0]
        for i, n in enumerate(names):
            line += r.get(n, "") + seps[i + 1]
        out.append(line)
    return "".join(x + "\n" for x in out)


def parse_opts(prog, args, spec, usage):
    """AIX getopt: combined flags, stops at the first operand. Errors as AIX prints them."""
    try:
        return getopt.getopt(args, spec)
    except getopt.GetoptError as e:
        flag = (e.opt or "?")[-1:]
        if "requires argument" in e.msg:
            msg = "%s: Flag requires a parameter: %s\n" % (prog, flag)
        else:
            msg = "%s: Not a recognized flag: %s\n" % (prog, flag)
        raise UsageError(msg + usage) from None


_NUM = re.compile(r"(\d+)")


def natural_key(name):
    """hdisk2 < hdisk10: sort by the text prefix, then the number."""
    m = _NUM.search(name)
    if not m:
        return (name, -1, "")
    return (name[: m.start()], int(m.group(1)), name[m.end():])


def sorted_names(names):
    return sorted(names, key=natural_key)
