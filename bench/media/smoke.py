# SPDX-License-Identifier: MIT
"""bench-media-smoke: a short media.py run (1 span, 4 calls, a 3 s window).

Asserts that it ran, that every call carried the simulator's tone through the bridge and
SIPp's RTP echo back to its B-channel, and that each figure was printed; never a time or a
CPU figure (those are for media.py runs by hand, bench/media/README.md).
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIGURES = ("calls: ", "RTP packets/s through the bridge: ", "bridge CPU: ", "bridge RSS: ",
           "bridge CPU per 1000 RTP packets/s: ", "B-channel frames: ", "tone back on the B-channel: ",
           "median of 1 run(s):", "goal (960 calls", "media: every call carried the tone both ways")
CALLS = 4


def main():
    argv = [sys.executable, os.path.join(HERE, "media.py"), sys.argv[1], "--spans", "1",
            "--calls-per-span", str(CALLS), "--seconds", "3"]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=150)
    sys.stdout.write(r.stdout + r.stderr)
    problems = ["not printed: %r" % f for f in FIGURES if f not in r.stdout]
    if r.returncode != 0:
        problems.append("media.py exit status %d" % r.returncode)
    # audio crossed: the tone came back on every B-channel, and frames were received there
    m = re.search(r"tone back on the B-channel: (\d+) of (\d+) calls", r.stdout)
    if not m or int(m.group(1)) != CALLS or int(m.group(2)) != CALLS:
        problems.append("the tone did not come back on all %d B-channels" % CALLS)
    m = re.search(r"(\d+) received back", r.stdout)
    if not m or int(m.group(1)) == 0:
        problems.append("no frame received back on a B-channel")
    for p in problems:
        print("bench-media-smoke: " + p)
    print("bench-media-smoke: %s" % ("FAIL" if problems else "PASS"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
