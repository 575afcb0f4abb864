"""The agent's operations: boot, run, plan, detect. Each returns a document (a dict) and
an exit code; cli.py renders them. Nothing here prints or exits.

Exit codes (docs/CONTRACT.md): 0 nothing to do or all steps ok/changed, 1 a step failed,
2 configuration or usage error, 3 refused for safety, 4 another instance holds the lock.
"""

import os
import time

from . import __version__
from . import decision as sitemod
from . import record as rec
from .aix import AixParseError
from .aix.lsattr import changes_device
from .exitcodes import EXIT_FAILED, EXIT_OK
from .log import errlog
from .progress import Progress, interval
from .record import CHANGED, FAILED, OK, iso
from .runner import CommandError, DeadlineExceeded, DryRunRunner, Runner, always_reserve
from .state import LockHeld, StateError, new_run_id
from .steps import ORDER, selected, with_requirements


class Refused(Exception):
    """The agent will not act: it is not safe to (exit 3)."""


class IdentityUnreadable(Refused):
    """A command that reads the identity failed: the site cannot be told (exit 3)."""


class UsageError(Exception):
    """Bad arguments or configuration (exit 2)."""


class Agent:
    def __init__(self, config, state_dir, environ=None, log=None):
        self.config = config
        self.state_dir = state_dir
        self.environ = environ
        self.log = log or (lambda msg, **kw: None)
        self.progress = Progress(self.log)

    # -- plumbing ------------------------------------------------------------------

    def runner(self, dry_run=False, deadline=None, reserve=0.0):
        cls = DryRunRunner if dry_run else Runner
        # a command that runs long says so on the console every 30 s (boot and run)
        beat = None if dry_run else (interval(self.environ), self.progress.waiting)
        return cls(timeout=self.config.timeouts.command, deadline=deadline,
                   environ=self.environ, cache=True, heartbeat=beat, reserve=reserve)

    def load_state(self):
        try:
            return self.state_dir.load_state()
        except StateError as exc:
            raise Refused("%s. The agent will not guess which site is applied: restore the "
                          "file, or move it away and apply the site by hand (aixdr-agent "
                          "run --yes); without a state.json, boot adopts the current site "
                          "and changes nothing" % exc) from None

    def load_inventory(self):
        """The inventory, None when absent or unreadable."""
        return self.read_inventory()[0]

    def read_inventory(self):
        """(inventory or None, why inventory.json could not be read or None): importvg
        fails on an unreadable one instead of skipping as if the LPAR had no data VGs."""
        try:
            return self.state_dir.load_inventory(), None
        except StateError as exc:
            self.log("warning: %s: ignoring the inventory" % exc)
            return None, str(exc)

    def _infer_odm_reset(self, runner, inventory, errlog_runner=None):
        """sitemod.infer_odm_reset, None (unknown) when `lspv` fails, hangs or prints
        what cannot be parsed: a boot must not die on one odd answer before it has
        decided anything. The site match still decides a site change."""
        try:
            return sitemod.infer_odm_reset(runner, inventory)
        except (CommandError, AixParseError) as exc:
            text = "cannot tell whether the ODM was reset: %s" % exc
            self.log("warning: " + text)
            if errlog_runner is not None:
                errlog(errlog_runner, text)
            return None

    def identify(self, runner):
        """This LPAR's identity; Refused (exit 3, nothing changed) when a command that
        reads it fails, hangs past its timeout or prints nothing usable: guessing a site
        would put one site's addresses on the other."""
        try:
            return sitemod.read_identity(runner)
        except CommandError as exc:
            cause, command = str(exc), " ".join(exc.result.argv)
        except AixParseError as exc:
            cause, command = "unexpected output: %s" % exc, _last_command(runner)
        except DeadlineExceeded:
            cause, command = "the boot deadline passed", _last_command(runner)
        command = command or "lsattr -El sys0"
        hint = " (an ODM lock, 0514-516, clears when the process holding it ends)" \
            if command.startswith("lsattr") else ""
        raise IdentityUnreadable(
            "cannot read this LPAR's identity, nothing changed: %s. Run `%s` by hand to see "
            "why%s, then run aixdr-agent boot again"
            % (" ".join(cause.split()).rstrip("."), command, hint)) from None

    def site_for(self, runner, requested=None):
        ident = self.identify(runner)
        match = sitemod.match_site(self.config, ident)
        if requested:
            if requested not in self.config.sites:
                raise UsageError("no site %r in the configuration (sites: %s)"
                                 % (requested, ", ".join(self.config.sites)))
            return ident, match, requested
        return ident, match, match.site

    # -- detect ----------------------------------------------------------------------

    def detect(self):
        runner = self.runner(dry_run=True)
        state = self.load_state()
        ident, match, _ = self.site_for(runner)
        inventory = self.load_inventory()
        odm_reset = None
        if inventory:
            odm_reset = self._infer_odm_reset(runner, inventory)
        decision = sitemod.decide(self.config, ident, state, match, odm_reset)
        profile = problems = None
        if match.site:
            from .profile import profile_dict  # lazy: an idle boot resolves no profile

            resolved = self.resolve(ident, inventory)[match.site]
            profile, problems = profile_dict(resolved.site), resolved.problems
        return {
            "schema": "aixdr-agent/detect/v1",
            "profile": profile,
            "profile_problems": problems,
            "identity": ident.record(),
            "site": match.site,
            "site_reason": match.reason,
            "applied_site": (state or {}).get("applied_site"),
            "pending_site": (rec.pending_target(state) or {}).get("site"),
            "unfinished": list(rec.unfinished(state, self.config.steps)),
            "odm_reset": odm_reset,
            "identity_changed": sitemod.identity_changed(state, ident),
            "decision": decision.action,
            "decision_reason": decision.reason,
            "steps": list(decision.steps),
            "commands": [c.record() for c in runner.journal],
        }

    # -- boot ------------------------------------------------------------------------

    def boot(self):
        deadline = time.monotonic() + self.config.timeouts.boot
        runner = self.runner(deadline=deadline,
                             reserve=always_reserve(self.config.timeouts.boot))
        with self.state_dir.lock():
            try:
                state = self.load_state()
            except Refused as exc:
                errlog(runner, "refused, nothing changed: %s" % exc)
                raise
            try:
                ident, match, site = self.site_for(runner)
            except IdentityUnreadable as exc:
                errlog(self.runner(), str(exc))
                raise
            if site is None:
                errlog(runner, "unknown site, nothing changed: " + match.reason)
                raise Refused("unknown site, nothing changed: %s. Add this frame's systemid "
                              "to the right site in the configuration" % match.reason)
            odm_reset = None
            if state and sitemod.identity_changed(state, ident):
                odm_reset = self._infer_odm_reset(runner, self.load_inventory(), runner)
            decision = sitemod.decide(self.config, ident, state, match, odm_reset)
            if decision.action == sitemod.ADOPT:
                self.log("site %s: %s" % (site, decision.reason))
                self._save_state(state, ident, applied_site=site, applied_identity=ident,
                                 frame_site=site)
                self._adopt_inventory(runner, ident, site)
                return {"decision": decision._asdict(), "run": None}, EXIT_OK
            if decision.action == sitemod.NOTHING:
                self.log("site %s: %s" % (site, decision.reason))
                self._save_state(state, ident, only_if_changed=True, frame_site=site)
                return {"decision": decision._asdict(), "run": None}, EXIT_OK
            names = self.config.steps
            what = decision.reason
            if decision.action == sitemod.RESUME:
                names = with_requirements(decision.steps, self.config.steps)
                what = "resuming the change to site %s" % site
            fresh = decision.action == sitemod.SITE_CHANGE
            self.progress.start(what, names)
            record = self._apply(runner, state, ident, site, decision.previous_site, names,
                                 trigger="boot", decision=decision, fresh=fresh,
                                 frame_site=site)
            if record["result"] == FAILED:
                failed = [s["name"] for s in record["steps"] if s["status"] == "failed"]
                errlog(self.runner(), "%s -> %s failed at %s; see aixdr-agent status (run %s)"
                       % (decision.previous_site, site, ", ".join(failed) or "deadline",
                          record["id"]))
            # the configured notify command gets the run summary on its stdin
            from .notify import notify  # lazy: an idle boot notifies nobody

            notify(self.runner(deadline=deadline), self.config, record, self.log,
                   errlog_failures=False)
            return {"decision": decision._asdict(), "run": record}, _exit_for(record)

    def _adopt_inventory(self, runner, ident, site):
        """The first boot records what the LPAR looks like here (read-only commands), so a
        replica booted elsewhere knows its VGs and this site's network even before the
        daemon's first refresh. A failure only costs the inventory."""
        from .capture import capture  # lazy: only capture and a first run read the inventory

        try:
            doc = capture(runner, self.config, site, ident, self.load_inventory())
            self.state_dir.save_inventory(doc)
        except Exception as exc:  # noqa: BLE001 - the boot itself must go on
            text = ("inventory not captured at site %s: %s; run aixdr-agent capture once "
                    "that is fixed (the daemon retries hourly)" % (site, exc))
            self.log("warning: " + text)
            errlog(self.runner(), text)

    def render(self, requested_site=None):
        """This LPAR's resolved profile of a site (config render)."""
        runner = self.runner(dry_run=True)
        ident, match, site = self.site_for(runner, requested_site)
        if site is None:
            raise Refused("unknown site: %s; give --site" % match.reason)
        from .profile import profile_dict  # lazy: an idle boot resolves no profile

        resolved = self.resolve(ident, self.load_inventory())[site]
        return {"schema": "aixdr-agent/profile/v1", "site": site,
                "profile": profile_dict(resolved.site), "sources": resolved.sources,
                "problems": resolved.problems}

    # -- capture ---------------------------------------------------------------------

    def capture(self, write=True):
        """The inventory of the running system; written when the site is known (and it
        is not mid-way through a site change: a half-applied LPAR is no reference)."""
        from .capture import capture  # lazy: only capture and a first run read the inventory

        runner = self.runner()
        state = self.load_state()
        ident = self.identify(runner)
        site = sitemod.match_site(self.config, ident).site
        pending = sitemod.pending_target(state)
        settled = site if site and not pending and (state or {}).get("applied_site") in (
            None, site) else None
        doc = capture(runner, self.config, settled, ident, self.load_inventory())
        written = False
        if write and settled:
            with self.state_dir.lock():
                self.state_dir.save_inventory(doc)
            written = True
        doc["schema"] = "aixdr-agent/inventory/v1"
        return doc, written, site, settled

    # -- run / plan --------------------------------------------------------------------

    def targets(self, state, site, only=None, resume=False):
        """The step names `run` would run, and the previous site."""
        target = rec.pending_target(state)
        previous = (state or {}).get("applied_site")
        if target is not None and target["site"] != site:
            previous = target["site"]
        names = tuple(self.config.steps)
        if resume:
            mine = target is not None and target["site"] == site
            names = with_requirements(rec.unfinished_steps(target, names),
                                      names) if mine else ()
        if only:
            unknown = [n for n in only if n not in ORDER]
            if unknown:
                raise UsageError("unknown step(s): %s (steps: %s)"
                                 % (", ".join(unknown), ", ".join(ORDER)))
            pool = names if resume else ORDER
            names = tuple(n for n in ORDER if n in only and n in pool)
        return names, previous

    def plan(self, requested_site=None, only=None, resume=False, force=None):
        """`force` None: a preview for any site; True/False: the plan `run` shows before
        asking, refused like `run` would be."""
        runner = self.runner(dry_run=True)
        state = self.load_state()
        ident, match, site = self.site_for(runner, requested_site)
        if site is None:
            raise Refused("unknown site: %s; give --site to plan for a named site"
                          % match.reason)
        if force is not None:
            self._manual_site(match, site, force)
        names, previous = self.targets(state, site, only, resume)
        ctx = self._context(runner, ident, site, previous, state)
        from .engine import run_steps  # lazy: an idle boot runs no step

        results = run_steps(ctx, selected(names), dry_run=True)
        from .profile import profile_dict  # lazy: an idle boot resolves no profile

        return {
            "schema": "aixdr-agent/plan/v1",
            "site": site,
            "previous_site": previous,
            "identity": ident.record(),
            "profile": profile_dict(ctx.profile),
            "profile_problems": ctx.profile_problems,
            "steps": [_plan_step(r) for r in results],
            "commands": [list(c.argv) for r in results for c in r.commands if c.mutating],
        }

    def _manual_site(self, match, site, force):
        """A manual run applies `site` to a frame of another site only with --force: that
        is how DR addresses end up on production. Returns what the AIX error log must
        record about this run (None: nothing unusual)."""
        if match.site is None:
            return ("site %s applied by hand on a frame no site claims (%s)"
                    % (site, match.reason))
        if match.site == site:
            return None
        if not force:
            raise Refused("this frame belongs to site %s (%s), not %s: nothing changed. "
                          "Applying %s here would put its addresses on a %s machine; give "
                          "--force if that is really meant" % (match.site, match.reason, site,
                                                               site, match.site))
        return "site %s forced by hand on a frame of site %s (%s)" % (site, match.site,
                                                                      match.reason)

    def run(self, requested_site=None, only=None, resume=False, force=False):
        runner = self.runner()
        with self.state_dir.lock():
            state = self.load_state()
            ident, match, site = self.site_for(runner, requested_site)
            if site is None:
                raise Refused("unknown site: %s; give --site to apply a named site"
                              % match.reason)
            unusual = self._manual_site(match, site, force)
            names, previous = self.targets(state, site, only, resume)
            if unusual:
                self.log("warning: " + unusual)
                errlog(runner, unusual)
            pending = rec.pending_target(state)
            fresh = not (pending and pending["site"] == site)
            # Applying again the site that is already fully applied: it stays applied
            # unless a step now fails.
            done = self.config.steps if fresh and site == (state or {}).get("applied_site") \
                else ()
            self.progress.start("applying site %s by hand (previous: %s)"
                                % (site, previous or "none"), names)
            record = self._apply(runner, state, ident, site, previous, names,
                                 trigger="manual", decision=None, fresh=fresh, done=done,
                                 frame_site=match.site)
            if unusual:
                record["notes"].append(unusual)
                self.state_dir.save_run(record)
            return {"run": record}, _exit_for(record)

    # -- shared -----------------------------------------------------------------------

    def resolve(self, ident, inventory):
        """Every site's resolved profile (profile.Resolved) for this LPAR."""
        from .profile import resolve  # lazy: an idle boot resolves no profile

        name = ident.lpar_name if ident is not None else None
        resolved = {s: resolve(self.config, s, inventory, name) for s in self.config.sites}
        return resolved

    def _context(self, runner, ident, site, previous, state, run_id=None):
        inventory, inventory_problem = self.read_inventory()
        resolved = self.resolve(ident, inventory)
        from .engine import Context  # lazy: an idle boot runs no step

        return Context(self.config, site, {n: r.site for n, r in resolved.items()}, runner,
                       identity=ident, inventory=inventory, previous_site=previous,
                       run_id=run_id, state_dir=self.state_dir,
                       applied_identity=(state or {}).get("applied_identity"),
                       profile_problems=resolved[site].problems,
                       inventory_problem=inventory_problem)

    def _apply(self, runner, state, ident, site, previous, names, trigger, decision, fresh,
               done=(), frame_site=None):
        started = time.time()
        state = dict(state or {})
        # numbered, not named by the clock: a DR LPAR's clock may be behind production's
        state["run_seq"] = self.state_dir.next_run_seq(state)
        run_id = new_run_id(state["run_seq"], started)
        self._close_interrupted_run(state)
        target = rec.begin_run(state, run_id, site, previous, self.config.steps, done, fresh,
                               iso(started), frame_site)
        ctx = self._context(runner, ident, site, previous, state, run_id)
        record = {
            "schema": "aixdr-agent/run/v1", "id": run_id, "trigger": trigger,
            "site": site, "previous_site": previous, "version": __version__,
            "decision": decision._asdict() if decision else None,
            "start": iso(started), "end": None, "duration": None, "result": "running",
            "identity": ident.record(), "hostname": os.uname()[1], "steps": [],
            "notes": ctx.notes,
        }
        self.state_dir.save_run(record)
        self._save_state(state, ident)

        def on_step(results):
            latest = results[-1]
            rec.mark_step(target, latest.name, latest.status, latest.done)
            # the earlier steps are finished: only the latest one is new to record
            record["steps"] = record["steps"][:len(results) - 1] + [latest.record()]
            self.state_dir.save_run(record)
            self._save_state(state, ident)
            self.progress.step(latest)

        from .engine import overall, run_steps  # lazy: an idle boot runs no step

        results = run_steps(ctx, selected(names), on_step=on_step)
        ended = time.time()
        record.update(end=iso(ended), duration=round(ended - started, 3),
                      result=overall(results) if results else OK)
        ident = self._identity_after(runner, ident)
        keep = rec.end_run(state, target, self.config.steps, record, ident.record())
        self.state_dir.save_run(record)
        self._save_state(state, ident)
        self.state_dir.prune_runs(protect=keep)    # never the run just written either
        return record

    def _identity_after(self, runner, ident):
        """The identity as the run left it: a step that changed sys0 (clouddev) makes
        `status` show the new value, not the one read before the run. Only then asked
        again; on any trouble the identity read before stands."""
        if not any(c.mutating and changes_device(c.argv, "sys0")
                   for c in runner.journal):
            return ident
        try:
            return sitemod.read_identity(runner)._replace(boot_time=ident.boot_time)
        except (CommandError, AixParseError, DeadlineExceeded) as exc:
            self.log("warning: identity not read again after the run: %s" % exc)
            return ident

    def _close_interrupted_run(self, state):
        """A run record still `running` was cut short (power cut, kill -9): say so."""
        run_id = ((state.get("target") or {}).get("run_id")
                  or (state.get("last_run") or {}).get("id"))
        if not run_id:
            return
        try:
            record = self.state_dir.load_run(run_id)
        except StateError as exc:
            self.log("warning: %s" % exc)
            return
        if record and record.get("result") == "running":
            record["result"] = "interrupted"
            record.setdefault("notes", []).append(
                "interrupted: the agent stopped during this run (power cut or kill); the "
                "next run resumed what it had not finished")
            self.state_dir.save_run(record)

    def _save_state(self, state, ident, applied_site=None, applied_identity=None,
                    only_if_changed=False, frame_site=None):
        state = state if state is not None else {}
        new = dict(state)
        new["identity"] = ident.record()
        if new["identity"] != state.get("identity") or not state.get("identity_time"):
            new["identity_time"] = iso(time.time())     # when these values were read
        new["boot_time"] = ident.boot_time
        if frame_site is not None:
            new["frame_site"] = frame_site
        if applied_site is not None:
            new["applied_site"] = applied_site
        if applied_identity is not None:
            new["applied_identity"] = applied_identity.record()
        if only_if_changed and all(new.get(k) == state.get(k) for k in new):
            return
        new["updated"] = iso(time.time())
        state.clear()
        state.update(new)
        self.state_dir.save_state(state)


def _plan_step(res):
    # the first planned action of each argv gives its reason (one lookup per command: a
    # scan of the actions for each was quadratic, 17 s of a 10,000-disk plan)
    reasons = {}
    for action in res.planned:
        reasons.setdefault(tuple(action.argv), action.reason)
    return {
        "name": res.name,
        "status": res.status,
        "message": res.message,
        "commands": [{"argv": list(c.argv), "reason": reasons.get(tuple(c.argv), "")}
                     for c in res.commands if c.mutating],
    }


def _last_command(runner):
    journal = getattr(runner, "journal", None)
    return " ".join(journal[-1].argv) if journal else None


def _exit_for(record):
    return EXIT_FAILED if record["result"] == FAILED else EXIT_OK


__all__ = ["Agent", "Refused", "UsageError", "LockHeld", "CHANGED"]
