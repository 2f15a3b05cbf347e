#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_man.py SOURCE.scd PAGE [EXE | --keys KEYS.c] — one man page of docs/man (README.md):

  - PAGE, what scdoc made of SOURCE, is a man page (.TH with the name and
    section of SOURCE's file name) that groff renders without a warning
    (groff -man -Tutf8 -ww -z: nothing on stderr);
  - with EXE: every option `EXE --help` prints (-x, --name) and, for the
    causeway CLI, every command of its usage, appears in SOURCE, so the page
    and the program cannot drift apart. To show the check can fail, it must
    also report an option taken out of a copy of SOURCE;
  - with --keys KEYS.c (bridge/config/keys.c, for causeway-bridge.conf(5)):
    every key of its tables ({"name", handler}) appears in SOURCE, with the
    same self-check.

Exit 77 (skipped) without groff."""
import os
import re
import shutil
import subprocess
import sys

OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
COMMAND = re.compile(r"^\s*causeway ([a-z][a-z0-9]+)\b", re.M)


def mentioned(text, word):
    # scdoc sources mark options up as *--name*; a bare word also counts
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text) is not None


def help_words(exe):
    out = subprocess.run([exe, "--help"], stdin=subprocess.DEVNULL, capture_output=True,
                         text=True, timeout=10)
    text = out.stdout + out.stderr
    words = sorted(set(OPTION.findall(text)))
    if os.path.basename(exe) == "causeway":
        words += sorted(set(COMMAND.findall(text)) - {"help"}) + ["help"]
    return words, out.returncode


def main():
    keys = None
    if len(sys.argv) == 5 and sys.argv[3] == "--keys":
        with open(sys.argv[4], encoding="utf-8") as f:
            keys = sorted(set(re.findall(r'\{"([a-z][a-z0-9_]*)",\s*\w', f.read())))
        del sys.argv[3:5]
    if len(sys.argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    source, page = sys.argv[1], sys.argv[2]
    exe = sys.argv[3] if len(sys.argv) == 4 else None
    failures = []
    with open(source, encoding="utf-8") as f:
        text = f.read()
    with open(page, encoding="utf-8") as f:
        roff = f.read()

    name, section = re.match(r"(.+)\.(\d)\.scd$", os.path.basename(source)).groups()
    th = re.search(r'^\.TH "([^"]+)" "(\d)"', roff, re.M)
    if not th or th.groups() != (name, section):
        failures.append("%s: no .TH \"%s\" \"%s\" line" % (page, name, section))

    if not shutil.which("groff"):
        print("groff not found: skipped")
        return 77
    r = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page], capture_output=True,
                       text=True, timeout=30)
    if r.returncode != 0 or r.stderr.strip():
        failures.append("groff -man -ww: exit %d, %s" % (r.returncode, r.stderr.strip()))

    if exe:
        words, rc = help_words(exe)
        if rc != 0:
            failures.append("%s --help: exit status %d" % (exe, rc))
        if len(words) < 2:
            failures.append("%s --help: options not found in %r" % (exe, words))
        missing = [w for w in words if not mentioned(text, w)]
        if missing:
            failures.append("%s: not in %s: %s" % (os.path.basename(exe), source,
                                                  " ".join(missing)))
        # the check itself: a page without --help's last option must be refused
        if words:
            cut = re.sub(r"(?<![\w-])" + re.escape(words[-1]) + r"(?![\w-])", "", text)
            if mentioned(cut, words[-1]):
                failures.append("self-check: %s still found after it was taken out" % words[-1])
        print("%s --help: %d words, each in %s" % (os.path.basename(exe), len(words),
                                                  os.path.basename(source)))
    if keys is not None:
        if len(keys) < 10:
            failures.append("--keys: only %r found" % keys)
        missing = [k for k in keys if not mentioned(text, k)]
        if missing:
            failures.append("config keys not in %s: %s" % (source, " ".join(missing)))
        if keys:
            cut = re.sub(r"(?<![\w-])" + re.escape(keys[-1]) + r"(?![\w-])", "", text)
            if mentioned(cut, keys[-1]):
                failures.append("self-check: %s still found after it was taken out" % keys[-1])
        print("%d config keys, each in %s" % (len(keys), os.path.basename(source)))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
