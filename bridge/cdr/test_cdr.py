#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The CDR writer's records must audit clean: test-cdr writes one record of
each kind `causeway audit` checks, then the audit must read every line, check
the expected number of decisions and find no disagreement and nothing
malformed (docs/cdr.md)."""
import json
import subprocess
import sys
import tempfile
import os

test_cdr, causeway = sys.argv[1], sys.argv[2]
failed = 0
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "cdr.jsonl")
    r = subprocess.run([test_cdr, path], env=dict(os.environ, TMPDIR=tmp))
    if r.returncode != 0:
        print("test-cdr failed")
        failed += 1
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    a = subprocess.run([causeway, "audit", "--json", path], capture_output=True, text=True)
    print(a.stdout, a.stderr, sep="\n")
    report = json.loads(a.stdout)
    want = {"calls": len(lines), "malformed": 0, "disagreements": []}
    for key, value in want.items():
        if report.get(key) != value:
            print(f"audit: {key} = {report.get(key)!r}, want {value!r}")
            failed += 1
    # 5 + 5 rejections, the BYE, and the hostile-string record (its Reason says cause 1: 404)
    if report.get("checked") != 12:
        print(f"audit: checked = {report.get('checked')!r}, want 12")
        failed += 1
    if a.returncode != 0:
        print(f"audit exit {a.returncode}, want 0")
        failed += 1
print(f"{0 if failed else 1} passed, {failed} failed")
sys.exit(1 if failed else 0)
