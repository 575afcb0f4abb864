"""fakeaix: a fake AIX host for tests, the demo and benchmarks (not shipped with the agent).

The public API is imported lazily so that the per-command executables, which import
``fakeaix.main``, do not pay for it.
"""

__all__ = ["FakeHost", "Machine", "is_mutating", "is_logging"]


def __getattr__(name):
    if name in ("FakeHost", "is_mutating", "is_logging"):
        from fakeaix import host

        return getattr(host, name)
    if name == "Machine":
        from fakeaix.machine import Machine

        return Machine
    raise AttributeError(name)
