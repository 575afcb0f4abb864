"""After a boot-time run: the configured `notify` command with the run summary on its
stdin (a mailer, a ticket or chat hook), and an AIX error-log entry (errlogger) when the
run failed, so `errpt` and whatever watches it see the failure.

The notify command runs through the runner like any change (argv only, LC_ALL=C, a
timeout, within the boot deadline) with AIXDR_SITE, AIXDR_PREVIOUS_SITE, AIXDR_RUN_ID and
AIXDR_RESULT in its environment. Nothing here may stop or fail a boot: every problem is
logged and swallowed.
"""

from .log import errlog
from .render import quote_argv
from .runner import DeadlineExceeded

NOTIFY_TIMEOUT = 60          # seconds: inittab `wait` holds the boot while it runs
FAILED_RESULTS = ("failed", "interrupted")


def failure_message(run):
    failed = [s["name"] for s in run.get("steps") or () if s.get("status") == "failed"]
    return ("run %s towards site %s %s%s; see: aixdr-agent report %s" % (
        run.get("id"), run.get("site"), run.get("result"),
        " (steps %s)" % ", ".join(failed) if failed else "", run.get("id")))


def notify(runner, config, run_record, log, errlog_failures=True):
    """Tell the operator about a finished run. Returns True when every part worked.
    errlog_failures=False: the caller has put the failure in the error log already."""
    if not run_record:
        return True
    ok = True
    try:
        if errlog_failures and run_record.get("result") in FAILED_RESULTS:
            if not errlog(runner, failure_message(run_record)):
                log("warning: errlogger failed; the failure is in agent.log only")
                ok = False
        if config.notify:
            ok = _run_notify(runner, list(config.notify), run_record, log) and ok
    except DeadlineExceeded:
        log("warning: the boot deadline has passed: nobody was notified")
        return False
    except Exception as exc:  # noqa: BLE001 - a notification must never break a boot
        log("warning: notification failed: %s: %s" % (type(exc).__name__, exc))
        return False
    return ok


def _run_notify(runner, argv, run, log):
    from .commands.report import summary_text  # lazy: only when a notify command runs

    env = {"AIXDR_SITE": run.get("site") or "", "AIXDR_PREVIOUS_SITE":
           run.get("previous_site") or "", "AIXDR_RUN_ID": run.get("id") or "",
           "AIXDR_RESULT": run.get("result") or ""}
    res = runner.change(argv, timeout=NOTIFY_TIMEOUT, extra_env=env,
                        input_text=summary_text(run))
    if res.dry_run:
        return True
    if res.ok:
        log("notified: %s" % quote_argv(argv))
        return True
    log("warning: notify command failed: %s" % res.describe_failure())
    return False
