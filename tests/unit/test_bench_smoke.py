"""The benchmarks keep working (bench/run.py): one small scale case and its profile, in
process, about 3 s of CPU. No time is asserted; CI also runs `bench/run.py --small`."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_bench_runs_and_reports(tmp_path):
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "run.py"), "--small", "--only", "45",
         "--reps", "1", "--sizes", "100:20", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    for heading in ("## 4. Scale", "## 5. Where the agent's own time goes",
                    "## Summary"):
        assert heading in text
    assert "| 100 | 20 |" in text
