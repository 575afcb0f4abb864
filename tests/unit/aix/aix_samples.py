"""Reading the shared real-AIX samples in place (never copied into the repository)."""

import glob
import os
import sys

import pytest

_TESTS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _samples_dir():
    # `from conftest import SAMPLES` returns whichever conftest module was imported last
    # once the whole suite runs (tests/e2e and tests/unit/fakeaix have their own), so
    # take SAMPLES from tests/conftest.py only, else apply the same rule it uses.
    top = sys.modules.get("conftest")
    if top is not None and os.path.dirname(os.path.abspath(top.__file__)) == _TESTS:
        return top.SAMPLES
    return os.path.join(os.path.dirname(os.path.dirname(_TESTS)), "shared", "aix", "samples")


SAMPLES = _samples_dir()


def sample_names(slug):
    """Sorted file names of one sample folder ([] when the folder is absent)."""
    folder = os.path.join(SAMPLES, slug)
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(folder, "*.txt")))


def sample(slug, name):
    """The text of one sample; the test is skipped when the samples are not there."""
    path = os.path.join(SAMPLES, slug, name)
    if not os.path.isfile(path):
        pytest.skip("sample %s/%s not available" % (slug, name))
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        return fh.read()


def samples(slug):
    """[(name, text)] of every sample of a slug; skips the test when there are none."""
    names = sample_names(slug)
    if not names:
        pytest.skip("no samples for %s under %s" % (slug, SAMPLES))
    return [(name, sample(slug, name)) for name in names]
