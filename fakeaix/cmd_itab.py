"""lsitab, mkitab, chitab, rmitab on /etc/inittab (COMMANDS.md 7)."""

from fakeaix.fmt import CmdError

INITTAB = "/etc/inittab"
USAGE = {
    "mkitab": 'Usage:\tmkitab "[-i ident] ident:runlevel:keyword:command"\n',
    "chitab": 'Usage:\tchitab "ident:runlevel:keyword:command"\n',
    "rmitab": 'Usage:\trmitab "ident"\n',
    "lsitab": 'Usage:\tlsitab ["ident"|-a]\n',
}
RUNLEVEL_CHARS = set("0123456789abcSsMm")


def _lines(ctx, prog):
    lines = ctx.m.file_lines(INITTAB)
    if lines is None:
        raise CmdError("%s: 0481-208 Cannot open /etc/inittab.\n" % prog)
    return lines


def _ident(line):
    if line.startswith(":"):
        return None
    return line.split(":", 1)[0]


def _find(lines, ident):
    for i, line in enumerate(lines):
        if _ident(line) == ident:
            return i
    return -1


def _validate(prog, record):
    usage = USAGE[prog]
    fields = record.split(":", 3)
    if len(fields) < 4:
        raise CmdError("%s: 0481-204 The ident field is not correct.\n%s" % (prog, usage))
    ident, runlevel, action, command = fields
    if not ident or len(ident) > 14:
        raise CmdError("%s: 0481-204 The ident field is not correct.\n%s" % (prog, usage))
    if len(runlevel) > 20 or not set(runlevel) <= RUNLEVEL_CHARS:
        raise CmdError("%s: 0481-210 The runlevel field is too long or its format is not "
                       "correct.\n%s" % (prog, usage))
    if len(action) > 20:
        raise CmdError("%s: 0481-206 The keyword field is too long.\n%s" % (prog, usage))
    if len(command) > 1024:
        raise CmdError("%s: 0481-201 Command field is too long.\n%s" % (prog, usage))
    return ident


def lsitab(ctx, args):
    prog = ctx.argv0
    if len(args) != 1:
        raise CmdError(USAGE["lsitab"])
    lines = _lines(ctx, prog)
    if args[0] == "-a":
        ctx.out("".join(x + "\n" for x in lines if not x.startswith(":")))
        return 0
    i = _find(lines, args[0])
    if i < 0:
        return 1
    ctx.out(lines[i] + "\n")
    return 0


def mkitab(ctx, args):
    prog = ctx.argv0
    after = None
    if len(args) == 3 and args[0] == "-i":
        after, record = args[1], args[2]
    elif len(args) == 1 and not args[0].startswith("-"):
        record = args[0]
    else:
        raise CmdError(USAGE["mkitab"])
    ident = _validate("mkitab", record)
    lines = _lines(ctx, prog)
    if _find(lines, ident) >= 0:
        raise CmdError("%s: 0481-205 The ident entry already exists in /etc/inittab.\n" % prog)
    if after is not None:
        i = _find(lines, after)
        if i < 0:
            raise CmdError("%s: 0481-207 The ident field specified does not exist.\n" % prog)
        lines.insert(i + 1, record)
    else:
        lines.append(record)
    ctx.m.set_file_lines(INITTAB, lines)
    ctx.change()
    return 0


def chitab(ctx, args):
    prog = ctx.argv0
    if len(args) != 1:
        raise CmdError(USAGE["chitab"])
    ident = _validate("chitab", args[0])
    lines = _lines(ctx, prog)
    i = _find(lines, ident)
    if i < 0:
        raise CmdError("%s: 0481-207 The ident field specified does not exist.\n" % prog)
    lines[i] = args[0]
    ctx.m.set_file_lines(INITTAB, lines)
    ctx.change()
    return 0


def rmitab(ctx, args):
    prog = ctx.argv0
    if len(args) != 1 or not args[0] or len(args[0]) > 14:
        raise CmdError(USAGE["rmitab"])
    lines = _lines(ctx, prog)
    i = _find(lines, args[0])
    if i < 0:
        raise CmdError("%s: 0481-207 The ident field specified does not exist.\n" % prog)
    del lines[i]
    ctx.m.set_file_lines(INITTAB, lines)
    ctx.change()
    return 0
