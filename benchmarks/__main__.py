"""`make bench`: run every benchmarks/bench_*.py in its own process, in name order."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
modules = sorted(p.stem for p in here.glob("bench_*.py"))
if len(sys.argv) > 1:
    modules = [m for m in modules if any(arg in m for arg in sys.argv[1:])]
if not modules:
    sys.exit("no benchmark matched")
failed = 0
for module in modules:
    print(f"\n== {module}", flush=True)
    failed |= subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}"], cwd=here.parent
    ).returncode
sys.exit(1 if failed else 0)
