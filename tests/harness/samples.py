"""Reading the shared real-AIX samples in place (never copied into the repository)."""

import glob
import os

import pytest

from tests.harness.lpar import ROOT

# The real-AIX output samples live beside the project, never copied into it.
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
SAMPLES = os.path.join(SHARED, "aix", "samples")


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
