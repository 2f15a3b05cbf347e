#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The build must fail on a broken table: run cw-tablegen on copies of tables/
with one defect each and check it exits non-zero naming FILE:LINE and the fault.

usage: check_tablegen.py CW_TABLEGEN TABLES_DIR WORK_DIR
"""
import os
import re
import shutil
import subprocess
import sys

gen, tables, work = sys.argv[1:4]
passed = failed = 0


def run(files):
    out = os.path.join(work, "out.c")
    args = [gen, "--output", out, "--q850-classes", files["classes"], "--q850", files["q850"],
            "--sip", files["sip"], "--profile", files["profile"]]
    return subprocess.run(args, capture_output=True, text=True)


def case(name, target, edit, want):
    """Copy the tables, apply edit(text) to one file, expect an error matching want."""
    d = os.path.join(work, name)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(tables, d)
    files = {"classes": os.path.join(d, "q850-classes.txt"), "q850": os.path.join(d, "q850-causes.txt"),
             "sip": os.path.join(d, "sip-status.txt"), "profile": os.path.join(d, "profiles", "rfc3398.map")}
    if target:
        with open(files[target], encoding="utf-8") as f:
            text = f.read()
        with open(files[target], "w", encoding="utf-8") as f:
            f.write(edit(text))
    expect(name, run(files), want)


def expect(name, r, want):
    """want None: r succeeded; else r failed with stderr matching want."""
    global passed, failed
    ok = (r.returncode == 0) if want is None else (r.returncode != 0 and re.search(want, r.stderr))
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAILED {name}: exit {r.returncode}, stderr {r.stderr!r}, want {want!r}")


case("pristine", None, None, None)
case("duplicate-row", "profile", lambda t: t + "cause 17 - 600 respond RFC 3398 §7.2.4.1\n",
     r"rfc3398\.map:\d+:\d+: duplicate row \"cause 17\" \(first at line \d+\)")
case("missing-default", "profile", lambda t: re.sub(r"(?m)^cause default .*\n", "", t),
     r"rfc3398\.map: profile rfc3398 lacks the row \"cause default")
case("missing-bye", "profile", lambda t: re.sub(r"(?m)^status BYE .*\n", "", t),
     r"lacks the row \"status BYE")
case("cause-out-of-range", "profile", lambda t: t.replace("cause 17  -", "cause 128 -"),
     r"rfc3398\.map:\d+:7: cause 128 out of range \(1-127\)")
case("status-out-of-range", "profile", lambda t: t.replace("status 486 -   17", "status 486 -   200"),
     r"rfc3398\.map:\d+:\d+: cause 200 out of range")
case("unregistered-status", "profile", lambda t: t.replace("cause 17  -           486", "cause 17  -           499"),
     r"status 499 is not an IANA-registered final response")
case("missing-clause", "profile", lambda t: t.replace("cause 1   -           404 respond        RFC 3398 §7.2.4.1", "cause 1 - 404 respond"),
     r"rfc3398\.map:\d+:\d+: missing clause")
case("missing-cause-record", "q850", lambda t: re.sub(r"(?ms)^cause 64\n.*?(?=^cause 65\n)", "", t),
     r"missing record cause 64")
case("duplicate-cause-record", "q850", lambda t: t + "\ncause 17\nname x\nsource x\nmeaning x\ncheck x\n",
     r"q850-causes\.txt:\d+: duplicate record cause 17")
case("missing-field", "q850", lambda t: re.sub(r"(?m)^(cause 17\n)name .*\n", r"\1", t, count=1),
     r"q850-causes\.txt:\d+: record cause 17 lacks the field \"name\"")
case("missing-status", "sip", lambda t: re.sub(r"(?ms)^status 486\n.*?(?=^status 487\n)", "", t),
     r"74 status records; the IANA registry has 75 codes")
case("bad-disposition", "sip", lambda t: t.replace("disposition retry-later", "disposition maybe", 1),
     r"sip-status\.txt:\d+: unknown disposition \"maybe\"")
case("bad-class-range", "classes", lambda t: re.sub(r"range +32-47", "range 32-48", t),
     r"q850-classes\.txt:\d+: class 1 must span 32-47")



def redirect_case(name, edit, want):
    """tables/redirect-reasons.txt (cw-tablegen --redirect-reasons) with one defect."""
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "redirect-reasons.txt")
    with open(os.path.join(tables, "redirect-reasons.txt"), encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(edit(text) if edit else text)
    expect(name, subprocess.run([gen, "--output", os.path.join(d, "out.c"), "--redirect-reasons",
                                 path], capture_output=True, text=True), want)


redirect_case("redirect-pristine", None, None)
redirect_case("redirect-duplicate", lambda t: t + "\ncause 302\nreason 15\nsource x\n",
              r"redirect-reasons\.txt:\d+: duplicate record cause 302 \(first at line \d+\)")
redirect_case("redirect-no-back-record",
              lambda t: re.sub(r"(?ms)^diversion away\n.*?(?=^cause 302\n)", "", t).replace(
                  "token       no-answer", "token       away"),
              r"redirect-reasons\.txt:\d+: diversion away has no record of its own")
redirect_case("redirect-reason-range", lambda t: t.replace("isdn 15\n", "isdn 16\n", 1),
              r"redirect-reasons\.txt:\d+: \"16\" is not a number in 0-15")
redirect_case("redirect-bad-token", lambda t: t.replace("token       user-busy", "token       User_Busy"),
              r"\"User_Busy\" is not a Diversion reason token")
redirect_case("redirect-unknown-isdn", lambda t: t.replace("reason      9\nsource      RFC 5806 §4 \"out",
                                                            "reason      8\nsource      RFC 5806 §4 \"out"),
              r"reason 8 has no isdn record")
redirect_case("redirect-missing-default", lambda t: re.sub(r"(?ms)^diversion unknown\n.*?(?=^diversion user-busy\n)", "", t),
              r"isdn 0, diversion unknown and cause 404 \(the defaults\) are required")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
