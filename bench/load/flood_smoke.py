# SPDX-License-Identifier: MIT
"""bench-flood-smoke: a short flood.py run (1200 INVITEs from one source, then idle).

Asserts only that it ran (every figure printed, the bridge exited 0) and that the bridge's
RSS came down below half its growth once the flood's transactions expired, or that it grew
by less than a trim needs (CWB_HEAP_TRIM_BYTES, bridge/daemon/heap.h: then nothing is due to
be given back); never a time.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIGURES = ("flood: 1200 INVITEs", "SIPp: ", "CDR: ", "bridge RSS: baseline ",
           "bridge RSS at the end ")
TRIM_KIB = 8 << 10  # CWB_HEAP_TRIM_BYTES: free memory a trim waits for


def growth_kib(out):
    """Peak minus baseline RSS as flood.py printed them, or None."""
    m = re.search(r"bridge RSS: baseline (\d+) KiB, peak (\d+) KiB", out)
    return int(m.group(2)) - int(m.group(1)) if m else None


def main():
    argv = [sys.executable, os.path.join(HERE, "flood.py"), sys.argv[1], "--rate", "300",
            "--seconds", "4", "--after", "90", "--until-down"]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=170)
    sys.stdout.write(r.stdout + r.stderr)
    missing = [f for f in FIGURES if f not in r.stdout]
    came_down = "flood: RSS came down" in r.stdout
    grew = growth_kib(r.stdout)
    if not came_down and grew is not None and grew < TRIM_KIB:
        # the flood's lingering transactions are small records (bridge/sip README
        # "Lingering transactions"): too little growth for a trim to be due
        print("bench-flood-smoke: RSS grew by %d KiB, below the %d KiB a trim needs" % (
            grew, TRIM_KIB))
        came_down = True
    if missing:
        print("bench-flood-smoke: not printed: %s" % ", ".join(repr(f) for f in missing))
    if r.returncode != 0:
        print("bench-flood-smoke: flood.py exit status %d" % r.returncode)
    if not came_down:
        print("bench-flood-smoke: the bridge's RSS did not come down after the flood")
    failed = r.returncode != 0 or missing or not came_down
    print("bench-flood-smoke: %s" % ("FAIL" if failed else "PASS"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
