"""What the tests share: the end-to-end harness (an LPAR = a fake host, the agent's
configuration and its state folder), the stub runner, configuration and hook writers, and
the fault suite's helpers. Imported as `tests.harness.<module>` (the repository root is on
sys.path: `python -m pytest` puts the working folder there, tests/conftest.py puts the root)."""
