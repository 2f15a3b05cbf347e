# SPDX-License-Identifier: MIT
"""bench-load-smoke: a short load.py run (2 spans, both directions, a low rate, ~5 s).

Asserts that every call completed and that each figure was printed; never a time
(speed is for load.py runs by hand, bench/load/README.md).
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIGURES = ("SIPp UAC: ", "simulators placed ", "CDR: ", "calls/s from ", "bridge CPU: ",
           "CPU over the ",
           "bridge RSS: ", "INVITE->SETUP: p50 ", "INVITE->SETUP in the bridge: p50 ",
           "SETUP->INVITE: p50 ", "INVITE->200 (SIPp): ",
           "UDP (machine-wide): ", "median of 1 run(s):", "load: every call completed")


def main():
    argv = [sys.executable, os.path.join(HERE, "load.py"), sys.argv[1], "--spans", "2",
            "--rate", "5", "--seconds", "5", "--direction", "both", "--hold-ms", "300"]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=150)
    sys.stdout.write(r.stdout + r.stderr)
    missing = [f for f in FIGURES if f not in r.stdout]
    failed = r.returncode != 0 or missing
    if missing:
        print("bench-load-smoke: not printed: %s" % ", ".join(repr(f) for f in missing))
    if r.returncode != 0:
        print("bench-load-smoke: load.py exit status %d" % r.returncode)
    print("bench-load-smoke: %s" % ("FAIL" if failed else "PASS"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
