"""The checks of `aixdr-agent check` that look at the running host rather than at the
agent's own files: the disks against the inventory, the boot list, sys0, cloud-init, the
inittab entry, the SRC subsystem, the hook scripts. A mixin of check.Checks, which supplies
self.add, self.runner, self.config, self.inventory, self.ident, self.settled, ...

Every command is a query. A check that cannot run its command raises; Checks.guard turns
that into an UNKNOWN finding.
"""

import os
import shlex
import stat

from ..aix import lslpp, lvm
from ..aix.bootlist import normal_list
from ..exitcodes import CRITICAL, OK, UNKNOWN, WARNING
from ..paths import DEFAULT_CONFIG, DEFAULT_STATE_DIR
from ..trust import UnsafeFileError, check_file_safe
from .install import IDENT, SUBSYSTEM, Installer, _placed

NOT_INSTALLED = "0504-132"          # lslpp: Fileset X not installed.


class HostChecks:
    def check_disks(self):
        """Settled: every inventory PVID is on a disk now, and every data VG is in the
        inventory (what the replica will need is what is here)."""
        if not (self.settled and self.inventory and self.config):
            return
        carried = {pv.pvid for pv in lvm.lspv(self.runner) if pv.pvid}
        vgs = self.inventory.get("volume_groups") or {}
        problems = 0
        for name, vg in sorted(vgs.items()):
            lost = [p for p in vg.get("pvids") or () if p not in carried]
            if lost and self.config.volume_groups.selects(name):
                problems += 1
                self.add(CRITICAL, "disks", "VG %s: PVID %s of the inventory on no disk here: "
                         "its import at DR would fail" % (name, " ".join(lost)),
                         "find the disk (cfgmgr; lspv), or run `aixdr-agent capture` if %s "
                         "changed on purpose" % name)
        new = [v for v in lvm.vg_names(self.runner) if v != "rootvg" and v not in vgs
               and self.config.volume_groups.selects(v)]
        if new:
            problems += 1
            self.add(WARNING, "disks", "VG %s not in the inventory: it would not be imported "
                     "at DR" % " ".join(new), "run: aixdr-agent capture")
        if not problems:
            self.add(OK, "disks", "the inventory's %d PVIDs are all on disks here"
                     % sum(len(v.get("pvids") or ()) for v in vgs.values()))

    def check_bootlist(self):
        rootvg = [pv.name for pv in lvm.lspv(self.runner) if pv.vg == "rootvg"]
        boot = normal_list(self.runner, check=True)
        if not any(d in rootvg for d in boot):
            # before a site change the boot list is still the other site's; the change's
            # bootlist step sets it
            fixed = not self.settled and self.config is not None and \
                "bootlist" in self.config.steps
            self.add(WARNING if fixed else CRITICAL, "bootlist",
                     "the normal boot list (%s) holds no rootvg disk (%s): the next boot may "
                     "not find AIX%s" % (" ".join(boot) or "empty", " ".join(rootvg) or "none",
                                         "; the site change's bootlist step sets it"
                                         if fixed else ""),
                     "bootlist -m normal %s" % " ".join(rootvg or ["hdiskN"]))
        else:
            self.add(OK, "bootlist", "normal boot list %s holds rootvg" % " ".join(boot))

    # -- sys0, cloud-init, boot entry, SRC, hooks --------------------------------------------

    def check_sys0(self):
        ident = self.ident
        if ident is None:
            return
        if ident.ghostdev not in (None, "0"):
            self.add(WARNING, "ghostdev", "sys0 ghostdev is %s: it conflicts with Simplified "
                     "Remote Restart and offline LPM; clouddev is the supported way"
                     % ident.ghostdev, "chdev -l sys0 -a ghostdev=0")
        if ident.clouddev == "1" and not self.pending:
            self.add(WARNING, "clouddev", "sys0 clouddev is 1 outside a site change: the next "
                     "reboot in a new partition clears the ODM", "chdev -l sys0 -a clouddev=0")
        if ident.ghostdev in (None, "0") and (ident.clouddev != "1" or self.pending):
            self.add(OK, "sys0", "clouddev %s, ghostdev %s" % (ident.clouddev, ident.ghostdev))

    def check_cloud_init(self):
        res = lslpp.query_installed(self.runner, "cloud-init")
        rows = [line.split(":") for line in res.stdout.splitlines() if ":" in line]
        if res.ok and any("cloud-init" in row[:2] for row in rows):
            level = next(row[2] for row in rows if "cloud-init" in row[:2])
            self.add(WARNING, "cloud-init", "cloud-init %s is installed: it reconfigures the "
                     "network at boot too, and the two would fight" % level,
                     "remove it (rpm -e cloud-init) or disable its inittab entries")
        elif NOT_INSTALLED in res.stdout + res.stderr:
            self.add(OK, "cloud-init", "cloud-init is not installed")
        else:
            self.add(UNKNOWN, "cloud-init", "could not check: %s" % res.describe_failure(),
                     "run: lslpp -L cloud-init")

    def check_inittab(self):
        entries = Installer(self.runner, quiet=True).inittab()
        mine = [e for e in entries if e.ident == IDENT]
        fix = "run: aixdr-agent install"
        if not mine:
            self.add(CRITICAL, "inittab", "no %s entry in /etc/inittab: a DR boot would not "
                     "run the agent" % IDENT, fix)
            return
        entry = mine[0]
        words = shlex.split(entry.command.split(">", 1)[0], comments=True)
        if entry.action != "wait" or "boot" not in words:
            self.add(CRITICAL if entry.action == "off" or "boot" not in words else WARNING,
                     "inittab", "the %s entry is `%s`, not a `wait` entry running `boot`"
                     % (IDENT, entry.record()), fix)
            return
        opts = dict(zip(words, words[1:]))
        for flag, ours, default in (("--config", self.config_path, DEFAULT_CONFIG),
                                    ("--state-dir", self.state_root, DEFAULT_STATE_DIR)):
            theirs = os.path.abspath(opts.get(flag, default))
            if theirs.rstrip("/") != ours.rstrip("/"):
                self.add(WARNING, "inittab", "the boot entry uses %s %s, this check %s" % (
                    flag, theirs, ours), "%s with the %s boot should use" % (fix, flag))
                return
        if len(mine) > 1 or not _placed(entries):
            self.add(WARNING, "inittab", "the %s entry is %s: it must run once, after "
                     "srcmstr and before rctcpip" % (IDENT, "duplicated" if len(mine) > 1
                                                     else "misplaced"), fix)
            return
        self.add(OK, "inittab", "boot entry present after srcmstr, before rctcpip")

    def check_src(self):
        status, pid = Installer(self.runner, quiet=True).status()
        if status == "active":
            self.add(OK, "src", "subsystem %s active (pid %s)" % (SUBSYSTEM, pid))
        elif status == "undefined":
            self.add(WARNING, "src", "no SRC subsystem %s: nobody refreshes the inventory"
                     % SUBSYSTEM, "run: aixdr-agent install")
        else:
            self.add(WARNING, "src", "subsystem %s is %s: the inventory is not refreshed"
                     % (SUBSYSTEM, status), "startsrc -s %s" % SUBSYSTEM)

    def check_hooks(self):
        config = self.config
        if not (config.scripts or config.notify):
            return
        problems = 0
        for path in [s.path for s in config.scripts]:
            why = None
            try:
                check_file_safe(path, trusted_uids=(0, os.geteuid()))
                if not os.access(path, os.X_OK):
                    why = "not executable"
            except FileNotFoundError:
                why = "does not exist"
            except (UnsafeFileError, OSError) as exc:
                why = " | ".join(str(exc).splitlines())
            if why:
                problems += 1
                self.add(CRITICAL, "hooks", "hook %s: %s: boot would refuse to act"
                         % (path, why), "chown root:system, chmod 755 it (or remove it "
                         "from `scripts`)")
        if config.notify:
            path = config.notify[0]
            try:
                mode = os.stat(path).st_mode
                why = None if os.access(path, os.X_OK) and not mode & (stat.S_IWGRP |
                                                                      stat.S_IWOTH) \
                    else "not executable, or writable by group or others"
            except OSError as exc:
                why = exc.strerror
            if why:
                problems += 1
                self.add(CRITICAL, "hooks", "notify command %s: %s: boot would refuse to act"
                         % (path, why), "fix it or remove `notify`")
        if not problems:
            self.add(OK, "hooks", "%d hook script(s)%s present, executable and safe" % (
                len(config.scripts), " and the notify command" if config.notify else ""))

