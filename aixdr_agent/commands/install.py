"""`aixdr-agent install` / `uninstall`: the boot entry in /etc/inittab and the SRC subsystem.

This is what the packages' configuration scripts call. Each part is observed first
(`lsitab -a`, `lssrc -S -s aixdr`), only what differs is changed, and the result is read
back, so running it twice changes nothing the second time. The configuration and the
state are never touched (not even the state folder is created here: the packages own it).

What it manages (docs/CONTRACT.md, "Boot integration"):
  * `aixdr:2:wait:/usr/bin/aixdr-agent boot >/dev/console 2>&1`, inserted with
    `mkitab -i srcmstr`: after the disks and filesystems, before `rctcpip`;
  * `aixdrd:2:once:/usr/bin/startsrc -s aixdr ...`, appended: starts the daemon once the
    boot is through (an SRC subsystem has no autostart of its own). An admin who set it
    to `off` keeps it off;
  * the SRC subsystem `aixdr` running `aixdr-agent daemon`, signal communication
    (stop signals 15 normal, 9 forced), restarted on abnormal exit, as root.
"""

import os
import re
import sys
import time

from ..aix import AixParseError, message_ids, src
from ..aix.inittab import InittabEntry, chitab_argv, lsitab_all, mkitab_argv, rmitab_argv
from ..aix.lssrc import parse_lssrc, parse_lssrc_S
from ..exitcodes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from ..paths import DEFAULT_CONFIG, DEFAULT_STATE_DIR, config_path, state_root
from ..runner import Runner

AGENT = "/usr/bin/aixdr-agent"       # a fixed path; both packages ship a launcher there
IDENT = "aixdr"
AFTER = "srcmstr"
BEFORE = "rctcpip"
STARTER = "aixdrd"
SUBSYSTEM = "aixdr"
SIG_NORMAL, SIG_FORCE = 15, 9
STOP_WAIT = 15.0                     # seconds for the daemon to stop before a forced stop

NOT_ON_FILE = "0513-085"
SRC_INACTIVE = "0513-001"
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9_.,+@%/=-]*$")   # no blanks, quotes or shell syntax



class Failed(Exception):
    """One part could not be put right; the message says what to do."""


def agent_options(config_path, state_root):
    """The global options the entry and the subsystem pass to the agent: none with the
    default paths (the documented entry exactly), else the paths install was given, so that
    boot and the daemon read the same files as the admin who ran install."""
    opts = []
    for flag, path, default in (("--config", config_path, DEFAULT_CONFIG),
                                ("--state-dir", state_root, DEFAULT_STATE_DIR)):
        path = os.path.abspath(path)
        if path.rstrip("/") == default.rstrip("/"):
            continue
        if not _SAFE_PATH.match(path):
            raise ValueError("%s %r: the inittab command goes through sh -c and the SRC "
                             "splits its arguments at blanks; use a path without blanks "
                             "or shell characters" % (flag, path))
        opts += [flag, path]
    return opts


def boot_entry(options=()):
    command = " ".join([AGENT] + list(options) + ["boot"])
    return InittabEntry(IDENT, "2", "wait", command + " >/dev/console 2>&1")


def starter_entry():
    return InittabEntry(STARTER, "2", "once",
                        "/usr/bin/startsrc -s %s >/dev/console 2>&1" % SUBSYSTEM)


def subsystem_definition(options, state_root):
    """The `lssrc -S` fields install sets, as lssrc prints them."""
    root = os.path.abspath(state_root)
    return {
        "path": AGENT,
        "cmdargs": " ".join(list(options) + ["daemon"]),
        "uid": "0",
        "standin": "/dev/null",              # the SRC default is /dev/console: never read it
        "standout": os.path.join(root, "daemon.out"),
        "standerr": os.path.join(root, "daemon.err"),
        "action": "-R",
        "multi": "-Q",
        "contact": "-S",
        "signorm": str(SIG_NORMAL),
        "sigforce": str(SIG_FORCE),
    }


def ssys_flags(d):
    """mkssys/chssys flags for a definition (chssys takes the same ones)."""
    return ["-p", d["path"], "-u", d["uid"], "-a", d["cmdargs"], "-i", d["standin"],
            "-o", d["standout"], "-e", d["standerr"], d["action"], d["multi"],
            d["contact"], "-n", d["signorm"], "-f", d["sigforce"]]


def install_command(args):
    try:
        opts = agent_options(config_path(args), state_root(args))
    except ValueError as exc:
        sys.stderr.write("aixdr-agent: %s\n" % exc)
        return EXIT_USAGE
    inst = Installer(Runner(timeout=120), quiet=getattr(args, "quiet", False))
    if args.command == "install":
        return inst.install(boot_entry(opts), subsystem_definition(opts, state_root(args)))
    return inst.uninstall()


class Installer:
    def __init__(self, runner, quiet=False, out=None, err=None, sleep=time.sleep,
                 clock=time.monotonic):
        self.runner = runner
        self.quiet = quiet
        self._out = out or sys.stdout
        self._err = err or sys.stderr
        self._sleep = sleep
        self._clock = clock
        self.failures = []

    # -- output ------------------------------------------------------------------------

    def say(self, text):
        if not self.quiet:
            self._out.write(text + "\n")
            self._out.flush()

    def fail(self, text):
        self.failures.append(text)
        self._err.write("aixdr-agent: %s\n" % text)

    def _part(self, func, *args):
        try:
            return func(*args)
        except (Failed, AixParseError) as exc:
            self.fail(str(exc))
            return None

    def _change(self, argv, what):
        res = self.runner.change(argv, check=False)
        if not res.ok:
            raise Failed("%s failed: %s" % (what, res.describe_failure()))
        return res

    # -- the two commands --------------------------------------------------------------

    def install(self, entry, definition):
        if not os.path.exists(AGENT):
            self._err.write("aixdr-agent: warning: %s does not exist; the inittab entry "
                            "and the SRC subsystem run it (install the package)\n" % AGENT)
        self._part(self.ensure_boot_entry, entry)
        starter = self._part(self.ensure_starter, starter_entry())
        defined = self._part(self.ensure_subsystem, definition)
        if defined and starter is not None and starter.action != "off":
            self._part(self.start)
        return self._result("installed")

    def uninstall(self):
        self._part(self.remove_subsystem)
        self._part(self.remove_entries, (IDENT, STARTER))
        return self._result("uninstalled (configuration and state left as they are)")

    def _result(self, done):
        if self.failures:
            self._err.write("aixdr-agent: %d problem(s); fix them and run the command "
                            "again (it is idempotent)\n" % len(self.failures))
            return EXIT_FAILED
        self.say(done)
        return EXIT_OK

    # -- /etc/inittab --------------------------------------------------------------------

    def inittab(self):
        res, entries = lsitab_all(self.runner)
        if entries is None:
            raise Failed("cannot read /etc/inittab: %s" % res.describe_failure())
        return entries

    def ensure_boot_entry(self, want):
        entries = self.inittab()
        mine = [e for e in entries if e.ident == IDENT]
        if AFTER not in [e.ident for e in entries]:
            raise Failed("/etc/inittab has no %s entry to place %s after; nothing changed"
                         % (AFTER, IDENT))
        if len(mine) == 1 and _placed(entries):
            if mine[0] == want:
                self.say("inittab: %s ok" % IDENT)
                return want
            self._change(chitab_argv(want), "chitab")
            self.say("inittab: %s updated (was: %s)" % (IDENT, mine[0].record()))
        else:
            # A missing, duplicated or misplaced entry (after rctcpip it would run once the
            # daemons and applications are already up on the wrong addresses): remove
            # every copy, then insert one after srcmstr.
            for _ in mine:
                self._change(rmitab_argv(IDENT), "rmitab")
            self._change(mkitab_argv(want, after=AFTER), "mkitab")
            self.say("inittab: %s %s after %s" % (IDENT, "moved" if mine else "added", AFTER))
        after = self.inittab()
        mine = [e for e in after if e.ident == IDENT]
        if mine != [want] or not _placed(after):
            raise Failed("inittab: %s is not as written after the change; check "
                         "`lsitab %s`" % (IDENT, IDENT))
        return want

    def ensure_starter(self, want):
        entries = self.inittab()
        found = next((e for e in entries if e.ident == want.ident), None)
        if found is not None and found.action == "off":
            want = InittabEntry(want.ident, want.runlevel, "off", want.command)
        if found == want:
            self.say("inittab: %s ok%s" % (want.ident, " (off: the daemon is not started "
                                                       "at boot)" if want.action == "off"
                                           else ""))
            return want
        if found is None:
            self._change(mkitab_argv(want), "mkitab")
            self.say("inittab: %s added (starts the daemon at boot)" % want.ident)
        else:
            self._change(chitab_argv(want), "chitab")
            self.say("inittab: %s updated (was: %s)" % (want.ident, found.record()))
        return want

    def remove_entries(self, idents):
        entries = self.inittab()
        for ident in idents:
            count = sum(1 for e in entries if e.ident == ident)
            for _ in range(count):
                self._change(rmitab_argv(ident), "rmitab")
            self.say("inittab: %s %s" % (ident, "removed" if count else "not present"))
        left = [e.ident for e in self.inittab() if e.ident in idents]
        if left:
            raise Failed("inittab: %s still present after rmitab" % ", ".join(left))

    # -- the SRC -----------------------------------------------------------------------

    def definition(self):
        """The subsystem's `lssrc -S` fields, or None when it is not on file."""
        res = src.query_definition(self.runner, SUBSYSTEM)
        if not res.ok:
            ids = message_ids(res.stdout + res.stderr)
            if NOT_ON_FILE in ids:
                return None
            raise Failed("cannot read the SRC definition of %s: %s%s" % (
                SUBSYSTEM, res.describe_failure(),
                " (srcmstr is not running)" if SRC_INACTIVE in ids else ""))
        rows = [r for r in parse_lssrc_S(res.stdout) if r.get("subsysname") == SUBSYSTEM]
        return rows[0] if rows else None

    def ensure_subsystem(self, want):
        have = self.definition()
        if have is None:
            self._change(src.mkssys_argv(SUBSYSTEM, ssys_flags(want)), "mkssys")
            self.say("SRC: subsystem %s added (%s %s)" % (SUBSYSTEM, want["path"],
                                                         want["cmdargs"]))
        else:
            diff = sorted(k for k in want if have.get(k) != want[k])
            if not diff:
                self.say("SRC: subsystem %s ok" % SUBSYSTEM)
                return True
            self._change(src.chssys_argv(SUBSYSTEM, ssys_flags(want)), "chssys")
            self.say("SRC: subsystem %s changed (%s)" % (SUBSYSTEM, ", ".join(
                "%s %s -> %s" % (k, have.get(k) or "''", want[k]) for k in diff)))
        have = self.definition()
        if have is None or any(have.get(k) != v for k, v in want.items()):
            raise Failed("SRC: the definition of %s is not as written; check "
                         "`lssrc -S -s %s`" % (SUBSYSTEM, SUBSYSTEM))
        return True

    def status(self):
        """(status, pid) of the subsystem; ("undefined", None) when not on file."""
        res = src.query_status(self.runner, SUBSYSTEM)
        if not res.ok:
            ids = message_ids(res.stdout + res.stderr)
            if NOT_ON_FILE in ids:
                return "undefined", None
            if SRC_INACTIVE in ids:
                return "no-src", None
            raise Failed("lssrc failed: %s" % res.describe_failure())
        for sub in parse_lssrc(res.stdout):
            if sub.name == SUBSYSTEM:
                return sub.status, sub.pid
        return "inoperative", None

    def wait_until_stopped(self, seconds):
        end = self._clock() + seconds
        while True:
            state, pid = self.status()
            if state not in ("active", "stopping", "warned to stop", "starting"):
                return True
            if self._clock() >= end:
                return False
            self._sleep(0.5)

    def start(self):
        state, pid = self.status()
        if state in ("stopping", "warned to stop"):
            self.wait_until_stopped(STOP_WAIT)
            state, pid = self.status()
        if state == "active":
            self.say("SRC: %s running (pid %s)" % (SUBSYSTEM, pid))
            return
        if state == "no-src":
            self.say("SRC: srcmstr is not running; %s starts at the next boot" % SUBSYSTEM)
            return
        res = self.runner.change(src.startsrc_argv(SUBSYSTEM), check=False)
        if res.ok:
            self.say("SRC: %s started" % SUBSYSTEM)
            return
        if SRC_INACTIVE in message_ids(res.stdout + res.stderr):
            self.say("SRC: srcmstr is not running; %s starts at the next boot" % SUBSYSTEM)
            return
        raise Failed("startsrc failed: %s" % res.describe_failure())

    def remove_subsystem(self):
        state, _ = self.status()
        if state == "undefined":
            self.say("SRC: subsystem %s not defined" % SUBSYSTEM)
            return
        if state == "no-src":
            raise Failed("srcmstr is not running: cannot stop or remove subsystem %s"
                         % SUBSYSTEM)
        if state != "inoperative":
            self._change(src.stopsrc_argv(SUBSYSTEM), "stopsrc")
            if not self.wait_until_stopped(STOP_WAIT):
                # the daemon ignores SIGTERM for longer than it should: the forced signal
                self._change(src.stopsrc_argv(SUBSYSTEM, force=True), "stopsrc -f")
                if not self.wait_until_stopped(5.0):
                    raise Failed("%s does not stop; nothing removed from the SRC"
                                 % SUBSYSTEM)
            self.say("SRC: %s stopped" % SUBSYSTEM)
        self._change(src.rmssys_argv(SUBSYSTEM), "rmssys")
        if self.definition() is not None:
            raise Failed("SRC: %s still defined after rmssys" % SUBSYSTEM)
        self.say("SRC: subsystem %s removed" % SUBSYSTEM)


def _placed(entries):
    """The entry is after srcmstr and, where rctcpip exists, before it."""
    idents = [e.ident for e in entries]
    if IDENT not in idents or AFTER not in idents:
        return False
    at = idents.index(IDENT)
    if at < idents.index(AFTER):
        return False
    return BEFORE not in idents or at < idents.index(BEFORE)
