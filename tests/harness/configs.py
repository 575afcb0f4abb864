"""Configuration texts the tests share: the smallest valid one, and the corpus of
tests/data/configs (good/ and bad/ files, each bad one saying what it expects)."""

import os
import re

from tests.harness.lpar import DATA

CONFIGS = os.path.join(DATA, "configs")
# A bad corpus file's line `# expect: LINE KEY`: a problem the parser must report.
EXPECT = re.compile(r"^# expect: (\d+) (\S+)$", re.M)

MINIMAL = """\
version: 1
sites:
  prod:
    systemids: ["IBM,0284AB12C"]
  dr:
    systemids: ["IBM,0211D11C1"]
"""
