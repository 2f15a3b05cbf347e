#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_errors.py ROOT — fail when a bridge part speaks libcauseway's error
codes (README.md "Errors"): every *.c and *.h under ROOT/bridge and ROOT/sim
that names a CW_E* code (CW_EINVAL, CW_ESYNTAX...) is reported as FILE:LINE.

Allowed are only the boundaries with libcauseway:
  - the conversion, cwcom_from_cw() (bridge/common/error.c), its
    declaration (error.h) and its test (test_error.c);
  - a line that calls a libcauseway function (cw_name(...)), where the
    library's own result is tested: `if (cw_profile_get(n, &p) == CW_ENOENT)`.

CW_EXTERN (libcauseway's visibility macro) is no error code.

  --self-test  check that a CW_E* return, one in a comment and one in a
               header are each reported with FILE:LINE, and that a boundary
               line and the conversion's files are not (exit 0 if so).
"""
import os
import re
import sys
import tempfile

CODE = re.compile(r"\bCW_E[A-Z]+\b")
NOT_CODES = {"CW_EXTERN"}
LIBRARY_CALL = re.compile(r"\bcw_[a-z0-9_]+\s*\(")
BOUNDARY_FILES = {
    "bridge/common/error.c",
    "bridge/common/error.h",
    "bridge/common/test_error.c",
}
TREES = ("bridge", "sim")


def sources(root):
    for tree in TREES:
        top = os.path.join(root, tree)
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith((".c", ".h")):
                    path = os.path.join(dirpath, name)
                    yield path, os.path.relpath(path, root).replace(os.sep, "/")


def check(root):
    problems = []
    for path, rel in sources(root):
        if rel in BOUNDARY_FILES:
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                codes = [c for c in CODE.findall(line) if c not in NOT_CODES]
                if codes and not LIBRARY_CALL.search(line):
                    problems.append(f"{rel}:{lineno}: {', '.join(codes)} is libcauseway's "
                                    "code: return a negative errno value or a CWCOM_E* code "
                                    "(cwcom_from_cw() at a cw_* call)")
    return problems


def self_test():
    files = {
        "bridge/x/planted.c": "int f(void)\n{\n\treturn CW_EINVAL;\n}\n",
        "bridge/x/comment.c": "/* Returns 0 or CW_ESYNTAX. */\nint g(void);\n",
        "bridge/x/planted.h": "#define X_FAIL CW_ELIMIT\n",
        "sim/planted.c": "int s = CW_ENOMEM;\n",
        "bridge/x/boundary.c": "int h(void)\n{\n\treturn cw_profile_get(\"x\", 0) == CW_ENOENT;\n}\n"
                               "CW_EXTERN int k(void);\n",
        "bridge/common/error.c": "case CW_EINVAL: return -EINVAL;\n",
        "bridge/x/notes.md": "CW_EINVAL in a document\n",
    }
    want = {"bridge/x/planted.c:3", "bridge/x/comment.c:1", "bridge/x/planted.h:1",
            "sim/planted.c:1"}
    with tempfile.TemporaryDirectory() as tmp:
        for rel, text in files.items():
            path = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        problems = check(tmp)
    got = {p.split(": ", 1)[0] for p in problems}
    ok = got == want
    for where in sorted(want - got):
        print(f"check_errors.py --self-test: {where} not reported", file=sys.stderr)
    for where in sorted(got - want):
        print(f"check_errors.py --self-test: {where} reported but allowed", file=sys.stderr)
    if ok:
        print(f"check_errors.py --self-test: {len(want)} planted uses reported, boundaries allowed")
    return 0 if ok else 1


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) != 2:
        print("usage: check_errors.py ROOT | --self-test", file=sys.stderr)
        return 2
    problems = check(argv[1])
    for p in problems:
        print(f"check_errors.py: {p}", file=sys.stderr)
    if not problems:
        print("check_errors.py: no CW_E* code in bridge/ or sim/ outside the libcauseway boundary")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
