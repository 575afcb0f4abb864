"""Progress on the console while `boot` or `run` changes the system.

At boot the agent's output goes to /dev/console (the inittab entry redirects it), and the
boot waits for it: an operator watching the console must see what is happening now, not
twenty seconds of silence and then everything at once. So: one line saying what will happen,
one line per step as the step ends, and while one command runs long, a line every
`interval` seconds (30 by default) naming it. Each console line is kept short; the whole
text goes to agent.log, and the details (every command, its output) are in the run record.
"""

import os

WIDTH = 100                     # characters of a console line, "aixdr-agent: " included
PREFIX = len("aixdr-agent: ")
INTERVAL = 30.0
# Seconds between "still running" lines; tests set it lower. Not an option an operator needs.
INTERVAL_ENV = "AIXDR_PROGRESS_INTERVAL"


def interval(environ=None):
    environ = os.environ if environ is None else environ
    try:
        value = float(environ.get(INTERVAL_ENV) or INTERVAL)
    except ValueError:
        return INTERVAL
    return value if value > 0 else INTERVAL


def short(text, width=WIDTH - PREFIX):
    """One line of at most `width` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 3].rstrip() + "..."


def plural(n, word):
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


class Progress:
    """Writes the progress lines through the agent's log (console, agent.log, syslog)."""

    def __init__(self, log):
        self.log = log
        self.total = 0
        self.count = 0

    def say(self, text):
        self.log(text, console=short(text))

    def start(self, what, names):
        """The first line: what will happen and how many steps."""
        names = list(names)
        self.total, self.count = len(names), 0
        text = "%s: %s (%s)" % (what, plural(len(names), "step"), " ".join(names))
        if len(text) > WIDTH - PREFIX and len(names) > 2:
            # the whole list goes to agent.log; the console gets where it starts and ends
            self.log(text, console=short("%s: %s (%s ... %s)" % (
                what, plural(len(names), "step"), names[0], names[-1])))
        else:
            self.say(text)

    def step(self, result):
        """A step has ended: its line."""
        self.count += 1
        head = "[%d/%d] %-9s %-7s %5.1fs" % (self.count, max(self.total, self.count),
                                             result.name, result.status, result.duration)
        message = " ".join(str(result.message).split())
        self.log("%s %s" % (head, message),
                 console=head + " " + short(message, WIDTH - PREFIX - len(head) - 1))

    def waiting(self, argv, seconds):
        """A command has run `seconds` so far (the runner's heartbeat)."""
        cmd = " ".join(argv[:3]) + (" ..." if len(argv) > 3 else "")
        self.say("still running: %s for %d s" % (cmd, seconds))

    def end(self, record):
        """After the run: its notes and result, and where the details are."""
        for note in record.get("notes") or ():
            self.say("note: %s" % note)
        # the failed steps said so on their own lines; this one must keep the run id whole
        self.say("result %s in %.1fs; details: aixdr-agent report %s" % (
            record["result"], record.get("duration") or 0, record["id"]))
