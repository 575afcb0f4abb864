"""`aixdr-agent check [--site S] [--json] [-t SECONDS]`: is this LPAR ready for a DR test?

A monitoring plugin: the first line is `AIXDR <STATE> - ...` (with perfdata), one line
per finding follows, worst first, each with what to do; the exit code is 0 OK, 1 WARNING,
2 CRITICAL, 3 UNKNOWN, the worst finding winning (CRITICAL > WARNING > UNKNOWN > OK), so
NRPE, Nagios, Icinga or any monitor runs it as it is. `--json` prints the same as an
`aixdr-agent/check/v1` document. As the monitoring-plugin guidelines ask, a bad option and
a check that runs past its time limit (`-t`, default 50 s: under NRPE's 60) are UNKNOWN (3),
not CRITICAL: the plugin could not tell.

Read-only: only queries run (lsattr, uname, hostname, lspv, lsvg, bootlist -o, lsitab,
lssrc, lslpp), the state lock is not needed. Afterwards the findings are stored in
state.json["readiness"] for `status`, best effort: only when state.json exists, is
writable and no other aixdr-agent holds the lock (which is then held for one read and one
atomic write, milliseconds); never a reason to fail.
"""

import os
import sys
import time
from typing import NamedTuple

from .. import __version__, paths
from ..aix import AixParseError, tcpip
from ..aix.devattr import DeviceMissing, first, read_attrs
from ..aix.lsdev import interfaces
from ..config import ConfigError, load_config
from ..decision import match_site, read_identity
from ..exitcodes import CRITICAL, OK, PLUGIN_EXIT, UNKNOWN, WARNING
from ..paths import disabled_reason
from ..profile import resolve
from ..record import iso, pending_target, unfinished_steps
from ..render import emit_json
from ..runner import CommandError, DeadlineExceeded, Runner
from ..state import LockHeld, StateDir, StateError
from ..steps._net import addresses
from ..trust import UnsafeFileError, prepare_state_dir
from .check_host import HostChecks
from .install import Failed
from .report import fmt_duration, parse_iso

RANK = {OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3}
SCHEMA = "aixdr-agent/check/v1"
INVENTORY_WARN_AGE = 86400          # the daemon refreshes it hourly
INVENTORY_CRIT_AGE = 7 * 86400
COMMAND_TIMEOUT = 30
TIMEOUT = 50.0                      # -t: the whole check, every command included


class Finding(NamedTuple):
    severity: str
    check: str
    message: str
    action: str = ""

    def record(self):
        return dict(self._asdict())


def worst(findings):
    return max((f.severity for f in findings), key=RANK.get, default=OK)


class Checks(HostChecks):
    """One readiness check run. `run()` returns the check/v1 document."""

    def __init__(self, config_path, state_root, site=None, environ=None, now=None,
                 runner=None, timeout=None, inventory_warn=INVENTORY_WARN_AGE,
                 inventory_crit=INVENTORY_CRIT_AGE):
        self.config_path = os.path.abspath(config_path)
        self.state_root = os.path.abspath(state_root)
        self.sd = StateDir(self.state_root)
        self.requested = site
        self.timeout = timeout
        deadline = time.monotonic() + timeout if timeout else None
        self.runner = runner or Runner(timeout=COMMAND_TIMEOUT, environ=environ,
                                       deadline=deadline)
        self.inventory_warn = inventory_warn
        self.inventory_crit = inventory_crit
        self.timed_out = []      # the checks not done (or cut short) when -t ran out
        self.now = time.time() if now is None else now
        self.findings = []
        self.config = self.state = self.inventory = self.ident = None
        self.site = None
        self.settled = False
        self.pending = None
        self.inventory_age = None

    def add(self, severity, check, message, action=""):
        self.findings.append(Finding(severity, check, message, action))

    def deadline_passed(self):
        remaining = getattr(self.runner, "remaining", None)
        left = remaining() if remaining is not None else None
        return left is not None and left <= 0

    def guard(self, name, func):
        if self.timed_out or self.deadline_passed():
            self.timed_out.append(name)
            self.add(UNKNOWN, name, "not checked: the %g s time limit (-t) had passed"
                     % self.timeout, "find the slow command in agent.log or raise -t")
            return
        try:
            func()
        except DeadlineExceeded:
            self.timed_out.append(name)
            self.add(UNKNOWN, name, "not checked: the %g s time limit (-t) had passed"
                     % self.timeout, "find the slow command in agent.log or raise -t")
        except CommandError as exc:
            if exc.result.timed_out and self.deadline_passed():
                self.timed_out.append(name)
            self.add(UNKNOWN, name, "could not check: %s" % exc,
                     "run the command by hand and look at its output")
        except (AixParseError, Failed, StateError, OSError) as exc:
            self.add(UNKNOWN, name, "could not check: %s" % exc,
                     "run the command by hand and look at its output")
        except Exception as exc:  # noqa: BLE001 - a monitor must get UNKNOWN, not a traceback
            self.add(UNKNOWN, name, "internal error: %s: %s" % (type(exc).__name__, exc),
                     "report it with agent.log")

    def run(self):
        self.guard("config", self.check_config)
        self.guard("state", self.check_state)
        self.guard("site", self.check_site)
        self.guard("last-run", self.check_last_run)
        if self.config is not None:
            self.guard("profiles", self.check_profiles)
            self.guard("interfaces", self.check_interfaces)
            self.guard("inventory", self.check_inventory)
            self.guard("hooks", self.check_hooks)
        self.guard("disks", self.check_disks)
        self.guard("bootlist", self.check_bootlist)
        self.guard("sys0", self.check_sys0)
        self.guard("cloud-init", self.check_cloud_init)
        self.guard("inittab", self.check_inittab)
        self.guard("src", self.check_src)
        return self.document()

    # -- configuration, state, site ------------------------------------------------------

    def check_config(self):
        if not os.path.exists(self.config_path):
            self.add(CRITICAL, "config", "%s does not exist: boot changes nothing (exit 2)"
                     % self.config_path,
                     "install the configuration (start from /etc/aixdr/agent.yaml.example)")
            return
        try:
            # the hooks and the notify command are checked one by one in check_hooks
            self.config = load_config(self.config_path, check_files=False,
                                      trusted_uids=(0, os.geteuid()))
        except (ConfigError, UnsafeFileError) as exc:
            self.add(CRITICAL, "config", "boot would refuse to act: %s"
                     % " | ".join(str(exc).splitlines()),
                     "fix it, then run: aixdr-agent config check")
            return
        if self.requested and self.requested not in self.config.sites:
            self.add(UNKNOWN, "config", "no site %r in %s (sites: %s)" % (
                self.requested, self.config_path, ", ".join(self.config.sites)),
                "give --site one of the configured sites")
            self.requested = None
        reason = disabled_reason(self.config, self.config_path)
        if reason:
            self.add(WARNING, "config", "the agent is disabled (%s): a DR boot changes "
                     "nothing" % reason, "enable it before the DR test")
        else:
            self.add(OK, "config", "%s is valid: %d sites (%s), steps %s" % (
                self.config_path, len(self.config.sites), ", ".join(self.config.sites),
                ", ".join(self.config.steps)))

    def check_state(self):
        if os.path.lexists(self.state_root):
            try:
                prepare_state_dir(self.state_root, trusted_uids=(0, os.geteuid()))
            except (UnsafeFileError, OSError) as exc:
                self.add(CRITICAL, "state", "the state folder is not safe: boot would "
                         "refuse to act: %s" % " ".join(str(exc).split()),
                         "fix what the message says (the commands are in it)")
                return
        try:
            self.state = self.sd.load_state()
        except StateError as exc:
            self.add(CRITICAL, "state", "%s: boot would refuse to act" % exc,
                     "restore it, or move it away and apply this site by hand (aixdr-agent "
                     "run --yes): without a state.json boot adopts the current site and "
                     "changes nothing")
            return
        if self.state is None:
            self.add(CRITICAL, "state", "no %s: the agent has not run here; a replica booted "
                     "elsewhere would adopt that site and change nothing" % self.sd.state_path,
                     "run `aixdr-agent boot` once (it adopts this site, changes nothing)")
            return
        self.pending = pending_target(self.state)
        self.add(OK, "state", "%s: applied site %s, updated %s" % (
            self.sd.state_path, self.state.get("applied_site") or "none",
            self.state.get("updated") or "-"))

    def check_site(self):
        self.ident = read_identity(self.runner)
        ident = self.ident
        if self.config is None:
            return
        match = match_site(self.config, ident)
        self.site = match.site
        if self.site is None:
            self.add(CRITICAL, "site", "%s: boot would refuse (exit 3)" % match.reason,
                     "add systemid %s to the right site in %s"
                     % (ident.systemid, self.config_path))
            return
        applied = (self.state or {}).get("applied_site")
        where = "site %s (%s, LPAR %s %s)" % (self.site, match.reason, ident.lpar_number,
                                             ident.lpar_name)
        if self.pending:
            return      # said by check_last_run
        if applied and applied != self.site:
            self.add(WARNING, "site", "%s, but %s is applied: the next boot changes the site "
                     "%s -> %s" % (where, applied, applied, self.site),
                     "reboot or run `aixdr-agent run` to apply %s" % self.site)
            return
        self.settled = applied == self.site
        self.add(OK, "site", "settled at %s" % where if self.settled else where)

    def check_last_run(self):
        if not self.state:
            return
        if self.pending:
            todo = unfinished_steps(self.pending, self.config.steps if self.config else None)

            last = self.state.get("last_run") or {}
            try:
                run = (self.sd.load_run(last["id"]) if last.get("id") else None) or {}
            except StateError:
                run = {}          # the record's own problem is check_state's finding
            # Say why, not only what: the failed step's own message names the VG and PVIDs.
            why = ["%s failed: %s" % (s["name"], s.get("message") or "?")
                   for s in run.get("steps") or () if s.get("status") == "failed"]
            self.add(CRITICAL, "last-run", "the change to site %s did not finish; still to "
                     "do: %s%s" % (self.pending["site"], ", ".join(todo) or "-",
                                   "".join(" (%s)" % w for w in why)),
                     "aixdr-agent report; then fix and run: aixdr-agent run --resume --yes")
            return
        last = self.state.get("last_run") or {}
        if not last.get("id"):
            self.add(OK, "last-run", "no run yet (nothing has had to change)")
            return
        run = self.sd.load_run(last["id"]) or last
        result = run.get("result")
        what = "run %s (%s -> %s, %s)" % (run.get("id"), run.get("previous_site") or "none",
                                         run.get("site"), run.get("end") or "unfinished")
        if result == "running" and self._lock_held():
            self.add(OK, "last-run", "%s is running now" % what)
        elif result in ("failed", "interrupted", "running"):
            failed = [s["name"] for s in run.get("steps") or () if s.get("status") == "failed"]
            self.add(CRITICAL, "last-run", "%s %s%s" % (
                what, "was interrupted" if result != "failed" else "failed",
                ": %s" % ", ".join(failed) if failed else ""),
                "aixdr-agent report %s; fix, then: aixdr-agent run --resume --yes" % run["id"])
        else:
            self.add(OK, "last-run", "%s: %s" % (what, result))

    def _lock_held(self):
        try:
            self.sd.lock().acquire().release()
        except LockHeld:
            return True
        except OSError:
            pass
        return False

    # -- the sites' profiles, the inventory -------------------------------------------------

    def check_profiles(self):
        self.inventory = self._load_inventory()
        names = [self.requested] if self.requested else list(self.config.sites)
        lpar = self.ident.lpar_name if self.ident else None
        bad = False
        for name in names:
            resolved = resolve(self.config, name, self.inventory, lpar)
            for step, messages in sorted(resolved.problems.items()):
                if step in self.config.steps:
                    bad = True
                    self.add(CRITICAL, "profiles", "site %s: step %s would fail: %s"
                             % (name, step, "; ".join(messages)),
                             "fix `sites.%s` in the configuration; see: aixdr-agent config "
                             "render --site %s" % (name, name))
            prof = resolved.site
            missing = [k for k, v in (("hostname", prof.hostname),
                                      ("interfaces", prof.interfaces)) if not v]
            if name != self.site and "mktcpip" in self.config.steps and missing:
                bad = True
                self.add(WARNING, "profiles", "site %s sets no %s: at %s the LPAR keeps the "
                         "previous site's" % (name, " or ".join(missing), name),
                         "add them to `sites.%s` (or `derive_from`)" % name)
        if not bad:
            self.add(OK, "profiles", "site profile%s %s complete for the steps %s" % (
                "s" if len(names) > 1 else "", ", ".join(names),
                ", ".join(self.config.steps)))

    def check_interfaces(self):
        """Every interface configured here (up with an address) is one that each other
        site's profile accounts for: one it does not name keeps this address there, or
        is taken off the network when this address is in another profile."""
        if self.site is None or self.inventory is False:
            return
        lpar = self.ident.lpar_name if self.ident else None
        profiles = {name: resolve(self.config, name, self.inventory, lpar).site
                    for name in self.config.sites}
        others = {n: p for n, p in profiles.items() if n != self.site and
                  p.interfaces is not None}
        if not others or "mktcpip" not in self.config.steps:
            return
        configured = []
        for dev in interfaces(self.runner):
            if dev.status != "Available" or not dev.name.startswith(("en", "et")):
                continue
            try:
                attrs = read_attrs(self.runner, dev.name, ["netaddr", "state"])
            except DeviceMissing:
                continue
            if first(attrs, "netaddr") and first(attrs, "state") == "up":
                configured.append((dev.name, first(attrs, "netaddr")))
        problems = 0
        for name, address in configured:
            for site, profile in sorted(others.items()):
                if name in {i.name for i in profile.interfaces}:
                    continue
                claimed = any(address in addresses(p) for n, p in profiles.items()
                              if n != site)
                problems += 1
                self.add(WARNING, "interfaces", "%s is up with %s, which the profile of site "
                         "%s does not name: at %s it is %s" % (
                             name, address, site, site,
                             "taken off the network (detached)" if claimed else
                             "left up with %s" % address),
                         "name %s with its %s address in `sites.%s.interfaces`"
                         % (name, site, site))
        if not problems:
            self.add(OK, "interfaces", "every configured interface (%s) is in the profile of "
                     "%s" % (" ".join(n for n, _ in configured) or "none",
                             ", ".join(sorted(others))))

    def _load_inventory(self):
        try:
            return self.sd.load_inventory()
        except StateError as exc:
            self.add(CRITICAL, "inventory", str(exc), "run: aixdr-agent capture")
            return False

    def check_inventory(self):
        inv = self.inventory
        if inv is False:
            return
        needs = "importvg" in self.config.steps or "devices" in self.config.steps
        if not inv:
            self.add(CRITICAL if needs else WARNING, "inventory",
                     "no %s: at DR the agent would not know the data VGs to import"
                     % self.sd.inventory_path,
                     "run `aixdr-agent capture` and keep the daemon running (startsrc -s aixdr)")
            return
        captured = parse_iso(inv.get("captured"))
        age = self.inventory_age = max(0.0, self.now - captured) if captured else None
        problems = 0
        if age is None or age > self.inventory_warn:
            problems += 1
            self.add(CRITICAL if age is None or age > self.inventory_crit else WARNING,
                     "inventory", "captured %s (%s ago): the daemon refreshes it hourly" % (
                         inv.get("captured"), fmt_duration(age)),
                     "check `lssrc -s aixdr` and agent.log; run: aixdr-agent capture")
        for name, vg in sorted((inv.get("volume_groups") or {}).items()):
            if not vg.get("pvids"):
                problems += 1
                self.add(CRITICAL, "inventory", "data VG %s has no PVID in the inventory: it "
                         "cannot be imported at DR" % name,
                         "vary it on here, then run: aixdr-agent capture")
        if not problems:
            self.add(OK, "inventory", "captured %s ago at %s: %d data VG(s) %s" % (
                fmt_duration(age), inv.get("site"), len(inv.get("volume_groups") or {}),
                " ".join(sorted(inv.get("volume_groups") or {}))))

    # -- the document ----------------------------------------------------------------------

    def document(self):
        findings = sorted(self.findings, key=lambda f: -RANK[f.severity])
        status = worst(findings)
        summary = summary_line(findings, self.inventory_age, self.inventory_warn,
                               self.inventory_crit)
        if self.timed_out:
            # the plugin could not tell: UNKNOWN, whatever the checks done so far found
            status = UNKNOWN
            summary = "AIXDR UNKNOWN - timed out after %g s (-t): not checked: %s | %s" % (
                self.timeout, ", ".join(dict.fromkeys(self.timed_out)),
                summary.split(" | ", 1)[1])
        try:
            res = None if self.timed_out else tcpip.hostname(self.runner)
        except DeadlineExceeded:
            res = None
        return {
            "schema": SCHEMA,
            "version": __version__,
            "time": iso(self.now),
            "hostname": res.stdout.strip() if res is not None and res.ok else os.uname()[1],
            "status": status,
            "exit_code": PLUGIN_EXIT[status],
            "summary": summary,
            "site": self.site,
            "applied_site": (self.state or {}).get("applied_site"),
            "pending_site": (self.pending or {}).get("site"),
            "unfinished": list(unfinished_steps(
                self.pending, self.config.steps if self.config else None)),
            "settled": self.settled,
            "identity": self.ident.record() if self.ident else None,
            "inventory_age": self.inventory_age,
            "config": self.config_path,
            "state_dir": self.state_root,
            "findings": [f.record() for f in findings],
        }


def summary_line(findings, inventory_age=None, inventory_warn=INVENTORY_WARN_AGE,
                 inventory_crit=INVENTORY_CRIT_AGE):
    status = worst(findings)
    counts = {s: sum(1 for f in findings if f.severity == s) for s in RANK}
    if status == OK:
        text = "%d checks OK" % len(findings)
    else:
        parts = ["%d %s" % (counts[s], s.lower() if counts[s] == 1 else s.lower() + "s")
                 for s in (CRITICAL, WARNING, UNKNOWN) if counts[s]]
        names = list(dict.fromkeys(f.check for f in findings if f.severity != OK))
        text = "%s: %s" % (", ".join(parts), ", ".join(names))
    perf = "critical=%d warning=%d unknown=%d" % (counts[CRITICAL], counts[WARNING],
                                                  counts[UNKNOWN])
    if inventory_age is not None:
        perf += " inventory_age=%ds;%d;%d" % (inventory_age, inventory_warn, inventory_crit)
    return "AIXDR %s - %s | %s" % (status, text, perf)


def check_text(doc):
    lines = [doc["summary"]]
    for f in doc["findings"]:
        lines.append("%-8s %-10s %s%s" % (f["severity"], f["check"], f["message"],
                                          " -- do: %s" % f["action"] if f["action"] and
                                          f["severity"] != OK else ""))
    return "\n".join(lines)


def store_readiness(state_root, doc):
    """state.json["readiness"]: the findings that are not OK, after one summary entry.
    Best effort; returns True when written."""
    sd = StateDir(state_root)
    # the summary keeps the identity check saw: `status` shows the newest one it knows
    entries = [{"severity": doc["status"], "check": "summary", "time": doc["time"],
                "message": "check at %s: %s" % (doc["time"], doc["summary"].split(" | ")[0]),
                "identity": doc.get("identity")}]
    entries += [dict(f, time=doc["time"]) for f in doc["findings"] if f["severity"] != OK]
    try:
        if not os.access(sd.state_path, os.W_OK):
            return False
        prepare_state_dir(state_root, trusted_uids=(0, os.geteuid()))
        with sd.lock():
            state = sd.load_state()
            if state is None:
                return False
            state["readiness"] = entries
            sd.save_state(state)
        return True
    except (LockHeld, StateError, UnsafeFileError, OSError):
        return False


def check_command(args):

    config_path, state_root = paths.config_path(args), paths.state_root(args)
    timeout = getattr(args, "timeout", None) or TIMEOUT
    warn = getattr(args, "inventory_warn", None)
    crit = getattr(args, "inventory_crit", None)
    warn = INVENTORY_WARN_AGE if warn is None else warn * 86400
    crit = INVENTORY_CRIT_AGE if crit is None else crit * 86400
    if warn > crit:
        return usage_unknown("--inventory-warn (%g days) is more than --inventory-crit "
                             "(%g days)" % (warn / 86400, crit / 86400),
                             getattr(args, "json", False))
    doc = Checks(config_path, state_root, site=getattr(args, "site", None), timeout=timeout,
                 inventory_warn=warn, inventory_crit=crit).run()
    store_readiness(state_root, doc)
    if getattr(args, "json", False):
        emit_json(doc)
    else:
        sys.stdout.write(check_text(doc) + "\n")
    return doc["exit_code"]


def usage_unknown(message, as_json=False):
    """A bad option: UNKNOWN (3), the first line a monitor shows saying why."""

    summary = "AIXDR UNKNOWN - usage: %s (see aixdr-agent check --help)" % message
    if as_json:
        emit_json({"schema": SCHEMA, "version": __version__, "status": UNKNOWN,
                   "exit_code": PLUGIN_EXIT[UNKNOWN], "summary": summary, "findings": [
                       Finding(UNKNOWN, "usage", message, "aixdr-agent check --help").record()]})
    else:
        sys.stdout.write(summary + "\n")
    return PLUGIN_EXIT[UNKNOWN]
