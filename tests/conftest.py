"""Fixtures for the whole suite; what tests share is the package tests.harness."""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.harness.lpar import Lpar  # noqa: E402 - once the root is on sys.path


@pytest.fixture()
def lpar_factory(tmp_path):
    """make(machine, config_text=None, name="lpar") -> an Lpar in a folder of its own."""
    def make(machine, config_text=None, name="lpar"):
        path = tmp_path / name
        path.mkdir()
        return Lpar(path, machine, config_text)
    return make
