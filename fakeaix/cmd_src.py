"""The System Resource Controller: mkssys, chssys, rmssys, startsrc, stopsrc, lssrc (§9)."""

from fakeaix.fmt import CmdError, UsageError, parse_opts

MKSSYS_USAGE = (
    "Usage: mkssys -s Subsystem -p Path -u UserID [-a Arguments] [-e StandardError]\n"
    "\t[-i StandardInput] [-o StandardOutput] [-t Synonym] [-O | -R] [-d | -D] [-q | -Q]\n"
    "\t[-K | -I MessageQueueKey -m MessageMType | -S -n StopNormal -f StopForce]\n"
    "\t[-E Nice] [-G Group] [-w Wait]\n")
CHSSYS_USAGE = MKSSYS_USAGE.replace("mkssys", "chssys")
SSYS_SPEC = "s:p:u:a:e:i:o:t:ORdDqQKI:m:f:n:SE:G:w:"
NOT_ACTIVE = "0513-001 The System Resource Controller daemon is not active.\n"
SRC_HEAD = "%-18s%-17s%-13s%s\n" % ("Subsystem", "Group", "PID", "Status")
S_HEAD = ("#subsysname:synonym:cmdargs:path:uid:auditid:standin:standout:standerr:action:"
          "multi:contact:svrkey:svrmtype:priority:signorm:sigforce:display:waittime:grpname:\n")


def _src(ctx):
    src = ctx.m["src"]
    if not src.get("active", True):
        raise CmdError(NOT_ACTIVE)
    return src["subsystems"]


def _not_on_file(name):
    return "0513-085 The %s Subsystem is not on file.\n" % name


def _apply_flags(rec, opts, usage):
    for o, v in opts:
        key = {"-p": "path", "-a": "args", "-e": "stderr", "-i": "stdin", "-o": "stdout",
               "-t": "synonym", "-G": "group", "-I": "svrkey", "-m": "svrmtype"}.get(o)
        if key:
            rec[key] = v
        elif o == "-u":
            if not v.isdigit():
                raise UsageError(usage)
            rec["uid"] = int(v)
        elif o in ("-O", "-R"):
            rec["action"] = o
        elif o in ("-d", "-D"):
            rec["display"] = o
        elif o in ("-q", "-Q"):
            rec["multi"] = o
        elif o in ("-K", "-S"):
            rec["contact"] = o
        elif o == "-n":
            rec["signorm"] = int(v)
        elif o == "-f":
            rec["sigforce"] = int(v)
        elif o == "-E":
            rec["priority"] = int(v)
        elif o == "-w":
            rec["waittime"] = int(v)
    if "-I" in dict(opts):
        rec["contact"] = "-I"
    if rec.get("contact") == "-S" and not (rec.get("signorm") and rec.get("sigforce")):
        raise UsageError(usage)


def mkssys(ctx, args):
    subs = _src(ctx)
    opts, rest = parse_opts("mkssys", args, SSYS_SPEC, MKSSYS_USAGE)
    flags = dict(opts)
    if rest or not {"-s", "-p", "-u"} <= set(flags):
        raise UsageError(MKSSYS_USAGE)
    name = flags["-s"]
    if len(name) > 29:
        raise UsageError(MKSSYS_USAGE)
    syn = flags.get("-t")
    for n, rec in subs.items():
        if name in (n, rec.get("synonym")) or (syn and syn in (n, rec.get("synonym"))):
            raise CmdError("0513-070 Subsystem or synonym_name is already on file.\n")
    rec = {"group": "", "path": "", "uid": 0, "args": "", "synonym": "",
           "stdin": "/dev/console", "stdout": "/dev/console", "stderr": "/dev/console",
           "action": "-O", "multi": "-Q", "contact": "-K", "signorm": 0, "sigforce": 0,
           "priority": 20, "display": "-d", "waittime": 20, "svrkey": 0, "svrmtype": 0,
           "autostart": False, "status": "inoperative", "pid": None}
    _apply_flags(rec, [(o, v) for o, v in opts if o != "-s"], MKSSYS_USAGE)
    subs[name] = rec
    ctx.change()
    ctx.out("0513-071 The %s Subsystem has been added.\n" % name)
    return 0


def chssys(ctx, args):
    subs = _src(ctx)
    opts, rest = parse_opts("chssys", args, SSYS_SPEC, CHSSYS_USAGE)
    flags = dict(opts)
    if rest or "-s" not in flags:
        raise UsageError(CHSSYS_USAGE)
    name = flags["-s"]
    if name not in subs:
        raise CmdError(_not_on_file(name))
    rec = dict(subs[name])
    _apply_flags(rec, [(o, v) for o, v in opts if o != "-s"], CHSSYS_USAGE)
    subs[name] = rec
    ctx.change()
    ctx.out("0513-077 Subsystem has been changed.\n")
    return 0


def rmssys(ctx, args):
    subs = _src(ctx)
    usage = "Usage: rmssys -s Subsystem\n"
    opts, rest = parse_opts("rmssys", args, "s:", usage)
    if rest or not opts:
        raise UsageError(usage)
    name = opts[0][1]
    if name not in subs:
        raise CmdError(_not_on_file(name))
    del subs[name]
    ctx.change()
    ctx.out("0513-083 Subsystem has been Deleted.\n")
    return 0


def _members(subs, flags):
    """(names, error) for -s Name / -g Group / -a."""
    if "-s" in flags:
        name = flags["-s"]
        for n, rec in subs.items():
            if name in (n, rec.get("synonym")):
                return [n], None
        return [], _not_on_file(name)
    if "-g" in flags:
        group = flags["-g"]
        names = [n for n, r in subs.items() if r.get("group") == group]
        if not names:
            return [], "0513-086 The %s Group is not on file.\n" % group
        return names, None
    return list(subs), None


def startsrc(ctx, args):
    subs = _src(ctx)
    usage = ("Usage: startsrc [-a Arguments] [-e Environment] [-h Host] "
             "{-s Subsystem | -g Group}\n")
    opts, rest = parse_opts("startsrc", args, "s:g:a:e:h:", usage)
    flags = dict(opts)
    if rest or ("-s" in flags) == ("-g" in flags):
        raise UsageError(usage)
    names, err = _members(subs, flags)
    if err:
        raise CmdError(err)
    rc = 0
    for n in names:
        rec = subs[n]
        if rec.get("status") == "active" and rec.get("multi", "-Q") == "-Q":
            ctx.err("0513-029 The %s Subsystem is already active.\n"
                    "Multiple instances are not supported.\n" % n)
            rc = 1
            continue
        pid = ctx.m.next_pid()
        rec.update({"status": "active", "pid": pid})
        ctx.change()
        ctx.out("0513-059 The %s Subsystem has been started. Subsystem PID is %d.\n" % (n, pid))
    return rc


def stopsrc(ctx, args):
    subs = _src(ctx)
    usage = "Usage: stopsrc [-h Host] [-f | -c] {-a | -g Group | -s Subsystem | -p PID}\n"
    opts, rest = parse_opts("stopsrc", args, "s:g:afch:p:", usage)
    flags = dict(opts)
    if rest or sum(k in flags for k in ("-s", "-g", "-a")) != 1:
        raise UsageError(usage)
    names, err = _members(subs, flags)
    if err:
        raise CmdError(err)
    active = [n for n in names if subs[n].get("status") == "active"]
    if not active:
        label = flags.get("-s") or flags.get("-g") or "all"
        raise CmdError("0513-004 The Subsystem or Group, %s, is currently inoperative.\n"
                       % label)
    for n in active:
        subs[n].update({"status": "inoperative", "pid": None})
        ctx.out("0513-044 The %s Subsystem was requested to stop.\n" % n)
    ctx.change()
    return 0


def _status_row(name, rec):
    pid = str(rec["pid"]) if rec.get("pid") else ""
    return " %-16s %-16s %-12s %s\n" % (name, rec.get("group", ""), pid,
                                       rec.get("status", "inoperative"))


def _def_row(name, r):
    return ":".join(str(x) for x in (
        name, r.get("synonym", ""), r.get("args", ""), r.get("path", ""), r.get("uid", 0), 0,
        r.get("stdin", ""), r.get("stdout", ""), r.get("stderr", ""), r.get("action", "-O"),
        r.get("multi", "-Q"), r.get("contact", "-K"), r.get("svrkey", 0),
        r.get("svrmtype", 0), r.get("priority", 20), r.get("signorm", 0),
        r.get("sigforce", 0), r.get("display", "-d"), r.get("waittime", 20),
        r.get("group", ""))) + ":\n"


def lssrc(ctx, args):
    subs = _src(ctx)
    usage = ("Usage: lssrc [-h Host] -a\n       lssrc [-h Host] -g Group\n"
             "       lssrc [-h Host] [-l] -s Subsystem\n       lssrc -S [-s Subsystem]\n")
    opts, rest = parse_opts("lssrc", args, "as:g:lSh:p:", usage)
    flags = dict(opts)
    if rest:
        raise UsageError(usage)
    if "-S" in flags:
        names, err = _members(subs, flags)
        if err:
            raise CmdError(err)
        ctx.out(S_HEAD + "".join(_def_row(n, subs[n]) for n in names))
        return 0
    if sum(k in flags for k in ("-s", "-g", "-a")) != 1:
        raise UsageError(usage)
    names, err = _members(subs, flags)
    if err:
        raise CmdError(err)
    if "-s" not in flags:
        names = [n for n in names if subs[n].get("display", "-d") == "-d"
                 or subs[n].get("status") == "active"]
    ctx.out(SRC_HEAD + "".join(_status_row(n, subs[n]) for n in names))
    return 0
