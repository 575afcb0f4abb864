import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# The real-AIX output samples live beside the project, never copied into it.
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
SAMPLES = os.path.join(SHARED, "aix", "samples")
