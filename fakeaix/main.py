"""Entry point of every generated executable: lock, load, act, save, log.

``main(home, argv)`` dispatches on the basename of argv[0]. Only the module of that command is
imported, so a call costs one interpreter start plus one JSON load.
"""

import importlib
import os
import signal
import sys
import time

from fakeaix import store
from fakeaix.fmt import CmdError, Hang, NotImplementedCmd, UsageError
from fakeaix.machine import Machine
from fakeaix.mutating import is_mutating

# command name -> module (under fakeaix) holding a function of the same name
COMMANDS = {
    "lsattr": "cmd_attr", "chdev": "cmd_attr",
    "uname": "cmd_sys", "oslevel": "cmd_sys", "hostname": "cmd_sys", "lparstat": "cmd_sys",
    "bootinfo": "cmd_sys", "lslpp": "cmd_sys", "errlogger": "cmd_sys", "errpt": "cmd_sys",
    "recfgct": "cmd_sys", "nimclient": "cmd_sys", "bootlist": "cmd_boot",
    "mktcpip": "cmd_tcpip", "hostent": "cmd_tcpip", "namerslv": "cmd_tcpip",
    "netstat": "cmd_net", "ifconfig": "cmd_net", "route": "cmd_net",
    "lsitab": "cmd_itab", "mkitab": "cmd_itab", "chitab": "cmd_itab", "rmitab": "cmd_itab",
    "mkssys": "cmd_src", "rmssys": "cmd_src", "chssys": "cmd_src", "startsrc": "cmd_src",
    "stopsrc": "cmd_src", "lssrc": "cmd_src",
    "lspv": "cmd_lvm", "lsvg": "cmd_lvm", "lslv": "cmd_lvm", "varyonvg": "cmd_lvm",
    "varyoffvg": "cmd_lvm", "exportvg": "cmd_lvm", "importvg": "cmd_import",
    "lsdev": "cmd_dev", "lspath": "cmd_dev", "cfgmgr": "cmd_dev", "mkdev": "cmd_dev",
    "rmdev": "cmd_dev",
    "lsfs": "cmd_fs", "mount": "cmd_fs", "umount": "cmd_fs", "ls": "cmd_fs",
    "chown": "cmd_fs", "chmod": "cmd_fs", "odmget": "cmd_odm",
    "fsck": "cmd_fsck", "logredo": "cmd_fsck",
    "lsrpdomain": "cmd_rsct", "rmcctrl": "cmd_rsct", "cat": "cmd_rsct",
}
# AIX commands the fake knows of but does not model: they exist in bin/ and answer
# "fakeaix: not implemented" (exit 127) instead of "command not found".
NOT_MODELLED = ("odmadd", "odmdelete", "prtconf", "lscfg", "lsmpio", "lsps",
                "refresh", "bosboot", "alog", "chvg", "chlv", "mklv", "rmlv", "crfs", "chfs",
                "rmfs", "syncvg", "recreatevg", "lqueryvg", "ipl_varyon", "niminit", "lsnim",
                "no", "tunrestore", "lsrsrc")


class Ctx:
    """What a command handler sees: the machine, its output buffers, the change flag."""

    def __init__(self, m, prog, home, now):
        self.m = m
        self.prog = prog
        # argv[0] as invoked (mkitab & co. print it): the kernel hands a script interpreter
        # the resolved path, so the fake only knows the basename, i.e. a PATH lookup
        self.argv0 = prog
        self.home = home
        self.now = now
        self.stdout = []
        self.stderr = []
        self.changed = False

    def out(self, text):
        self.stdout.append(text)

    def err(self, text):
        self.stderr.append(text)

    def change(self):
        self.changed = True


def _match(pattern, argv):
    toks = pattern.split()
    if len(toks) > len(argv):
        return False
    import fnmatch

    return all(fnmatch.fnmatchcase(a, t) for t, a in zip(toks, argv))


def _latency(table, argv):
    best, best_len = table.get("*", 0), -1
    for key, secs in table.items():
        if key == "*":
            continue
        n = len(key.split())
        if n > best_len and _match(key, argv):
            best, best_len = secs, n
    return float(best or 0)


def _fail_rule(rules, argv):
    for rule in rules:
        times = rule.get("times")
        if times is not None and times <= 0:
            continue
        if _match(rule.get("match", ""), argv):
            return rule
    return None


def _kill_point(beh, argv):
    """The ``kill_agent`` knob: None, "count" (this call counted, the knob must be saved),
    or "before"/"after" when this is the call at which the caller is to be killed."""
    knob = beh.get("kill_agent")
    if not knob or knob.get("fired"):
        return None
    if knob.get("count", "mutating") == "mutating":
        if not is_mutating(argv):
            return None
    knob["seen"] = int(knob.get("seen", 0)) + 1
    if knob["seen"] < int(knob["at"]):
        return "count"
    knob["fired"] = True
    return knob.get("when", "before")


def kill_caller():
    """SIGKILL to the process that ran this command (the agent): a power cut as the agent
    sees it. Never init, whose children the orphaned are."""
    parent = os.getppid()
    if parent > 1:
        os.kill(parent, signal.SIGKILL)


def sleep_forever():
    while True:
        time.sleep(3600)


def _write(stream, text):
    if not text:
        return
    try:
        stream.write(text)
        stream.flush()
    except (BrokenPipeError, OSError):  # reader went away: AIX would get SIGPIPE
        pass


def _emit(home, argv, rc, out, err, start, extra=None):
    _write(sys.stdout, out)
    _write(sys.stderr, err)
    rec = {"argv": argv, "rc": rc, "stdout": out, "stderr": err, "start": start,
           "duration": round(time.time() - start, 6)}
    if extra:
        rec.update(extra)
    store.append_call(home, rec)


def run_handler(ctx, prog, args):
    modname = COMMANDS.get(prog)
    if modname is None:
        raise NotImplementedCmd()
    try:
        mod = importlib.import_module("fakeaix." + modname)
    except ModuleNotFoundError as e:
        if e.name != "fakeaix." + modname:
            raise
        raise NotImplementedCmd() from None
    return getattr(mod, prog)(ctx, args)


class Outcome:
    """What one call did: exit code (None = hangs), output, extra log keys, state changed."""

    def __init__(self, rc, out="", err="", extra=None, changed=False):
        self.rc, self.out, self.err, self.extra, self.changed = rc, out, err, extra, changed


def act(m, prog, argv, home, start):
    """Run the command on the loaded machine, with the behaviour's fail rules applied."""
    beh = m.data.get("behaviour") or {}
    rule = _fail_rule(beh.get("fail") or [], argv)
    counted = rule is not None and rule.get("times") is not None
    if counted:
        rule["times"] -= 1  # persisted with the machine
    if rule is not None and rule.get("when", "before") == "before":
        return Outcome(int(rule.get("rc", 1)), rule.get("stdout", ""), rule.get("stderr", ""),
                       {"injected": True}, counted)
    ctx = Ctx(m, prog, home, start)
    try:
        rc = run_handler(ctx, prog, argv[1:])
    except NotImplementedCmd:
        return Outcome(127, "", "fakeaix: not implemented: %s\n" % " ".join(argv),
                       changed=counted)
    except Hang:
        return Outcome(None, "".join(ctx.stdout), "".join(ctx.stderr), {"hang": True},
                       ctx.changed or counted)
    except (UsageError, CmdError) as e:  # refused: nothing it did is kept
        ctx.changed = False
        ctx.stdout = [getattr(e, "out", "")]
        ctx.stderr.append(e.text)
        rc = e.rc
    res = Outcome(rc, "".join(ctx.stdout), "".join(ctx.stderr), None, ctx.changed or counted)
    if rule is not None:  # "after": the command acted, then reports the injected failure
        res.rc = int(rule.get("rc", 1))
        res.out += rule.get("stdout", "")
        res.err += rule.get("stderr", "")
        res.extra = {"injected": True}
    return res


def main(home, argv):
    start = time.time()
    prog = os.path.basename(argv[0])
    rec_argv = [prog] + list(argv[1:])
    kill = None
    with store.Locked(home) as lock:
        data = store.load(home)
        beh = data.get("behaviour") or {}
        if any(_match(p, rec_argv) for p in beh.get("hang", [])):
            res = Outcome(None, extra={"hang": True})
        else:
            delay = _latency(beh.get("latency") or {}, rec_argv)
            if delay > 0:  # a slow command does not block the others
                lock.release()
                time.sleep(delay)
                lock.__enter__()
                data = store.load(home)
            kill = _kill_point(data.get("behaviour") or {}, rec_argv)
            if kill == "before":  # killed before acting: only the knob's count is saved
                res = Outcome(None, extra={"killed_agent": "before"})
            else:
                res = act(Machine(data), prog, rec_argv, home, start)
                if kill == "after":
                    res.extra = dict(res.extra or {}, killed_agent="after")
            if delay > 0:  # what the benchmark sums: the latency this call slept
                res.extra = dict(res.extra or {}, latency=delay)
            if res.changed:
                store.save(home, data)
            elif kill:  # only the knob's count: what a refused command touched is dropped
                knob = data["behaviour"]["kill_agent"]
                data = store.load(home)
                data["behaviour"]["kill_agent"] = knob
                store.save(home, data)
    _emit(home, rec_argv, res.rc, res.out, res.err, start, res.extra)
    if kill in ("before", "after"):
        kill_caller()
        return 137
    if res.rc is None:
        sleep_forever()  # the lock is released: other commands go on
    return res.rc
