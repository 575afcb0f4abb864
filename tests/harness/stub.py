"""One stub runner for unit tests: the real Runner (query, change, hook, the journal, the
query cache, the deadline, dry_run) with its process start replaced by a table of answers.

A command the table does not answer raises UnexpectedCommand, a BaseException: the agent's
broad `except Exception` (a check's guard, a step's error handling) cannot turn it into a
finding or a problem and let the test pass; it ends the test where the command was run."""

from aixdr_agent.runner import CommandResult, Runner


class UnexpectedCommand(BaseException):
    """The code under test ran a command the test did not give an answer for."""


def _answer(value):
    """An answer: stdout text, or (rc, stdout, stderr), or an exception to raise."""
    if isinstance(value, str):
        return 0, value, ""
    if isinstance(value, BaseException) or (isinstance(value, type)
                                            and issubclass(value, BaseException)):
        raise value
    rc, out, err = value
    return rc, out, err


class StubRunner(Runner):
    """answers: {argv: answer}. A key is a tuple of words or a string split on blanks
    ("lsvg -o") and answers that command exactly; a key ending in "*" ("lsattr -El *")
    answers every command that starts with the words before it (the longest such prefix
    wins, an exact key before any prefix). An answer is the
    stdout text (exit 0), (rc, stdout, stderr), an exception (raised, as a failed start), or
    a callable(argv) returning one of those. `default`, when given, answers any command no
    prefix matches (a callable(argv), or one answer for all). `changes`: the answer every
    change (and hook) gets when no prefix matches it; None (the default) lets a change fail
    the test like any command it was not given."""

    def __init__(self, answers=None, default=None, changes=None, dry_run=False, **kw):
        super().__init__(**kw)
        self.dry_run = dry_run
        self.answers = {}
        for key, value in (answers or {}).items():
            self.answers[tuple(key.split()) if isinstance(key, str) else tuple(key)] = value
        self.default = default
        self.changes = changes
        self.calls = []          # every argv asked, as tuples, in order (cached ones too)

    def lookup(self, argv):
        argv = tuple(str(a) for a in argv)
        if argv in self.answers:
            return self.answers[argv]
        for n in range(len(argv), -1, -1):
            key = argv[:n] + ("*",)
            if key in self.answers:
                return self.answers[key]
        return None

    def _run(self, argv, mutating, timeout, check, extra_env, input_text=None, on_start=None,
             whole=True):
        self.calls.append(tuple(str(a) for a in argv))
        return super()._run(argv, mutating, timeout, check, extra_env, input_text, on_start,
                            whole)

    def _execute(self, argv, mutating, limit, extra_env, input_text=None, whole=True):
        value = self.lookup(argv)
        if value is None:
            value = self.changes if mutating else None
        if value is None:
            value = self.default
        if value is None:
            raise UnexpectedCommand("%s not given to the stub runner: %s"
                                    % ("change" if mutating else "query", " ".join(argv)))
        if callable(value) and not isinstance(value, type):
            value = value(tuple(argv))
        rc, out, err = _answer(value)
        return CommandResult(argv, rc, out, err, mutating=mutating)
