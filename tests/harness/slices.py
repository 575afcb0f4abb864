"""A matrix's representative slice for the default run, the rest marked slow."""

import pytest


def sampled(values, fast=1):
    """`values` of a parametrize as params: the first `fast` in the default run, the others
    marked slow (run by `pytest -m slow`). A tuple stands for several argument names."""
    return [pytest.param(*(v if isinstance(v, tuple) else (v,)),
                         marks=[] if i < fast else [pytest.mark.slow])
            for i, v in enumerate(values)]
