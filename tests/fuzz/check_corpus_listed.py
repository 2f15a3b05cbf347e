#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that a corpus folder and the meson list of its replay tests agree.

usage: check_corpus_listed.py DIR FILE...
Every FILE must be in DIR and every file in DIR must be a FILE, so that an
input added to a corpus also replays as a test (meson cannot list a folder).
Exit 0 when they agree, 1 otherwise.
"""
import os
import sys


def main():
    folder, listed = sys.argv[1], [os.path.basename(f) for f in sys.argv[2:]]
    present = sorted(f for f in os.listdir(folder)
                     if os.path.isfile(os.path.join(folder, f)))
    unlisted = sorted(set(present) - set(listed))
    missing = sorted(set(listed) - set(present))
    for f in unlisted:
        print("FAIL: %s/%s has no replay test: add it to the list in meson.build" % (folder, f))
    for f in missing:
        print("FAIL: %s is listed in meson.build but not in %s" % (f, folder))
    if unlisted or missing or not present:
        return 1
    print("%d corpus files, each replayed by a test" % len(present))
    return 0


if __name__ == "__main__":
    sys.exit(main())
