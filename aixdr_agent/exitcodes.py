"""Every exit code the agent gives, in one place.

boot, run, plan, detect, capture, config, status, history, report, fleet-report, install,
daemon: 0 done (nothing to do, or every step ok or changed), 1 a step failed (or, for
status, the last run failed or did not finish), 2 the configuration or the command line is
wrong (nothing changed), 3 refused (unknown site, unsafe file or folder, another site's
frame without --force; nothing changed), 4 another aixdr-agent holds the lock.

check speaks the monitoring-plugin convention instead: 0 OK, 1 WARNING, 2 CRITICAL,
3 UNKNOWN.
"""

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_USAGE = EXIT_CONFIG    # a wrong command line is reported like a wrong configuration
EXIT_REFUSED = 3
EXIT_LOCKED = 4
EXIT_UNREADABLE = 2        # status: state.json cannot be read (boot would refuse it)
EXIT_INTERRUPTED = 130      # Ctrl-C, as a shell reports SIGINT

# check (monitoring plugins: Nagios, Icinga, Zabbix's, Tivoli's)
OK, WARNING, CRITICAL, UNKNOWN = "OK", "WARNING", "CRITICAL", "UNKNOWN"
PLUGIN_EXIT = {OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3}
