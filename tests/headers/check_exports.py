#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that libcauseway.so exports only cw_-prefixed symbols.

Usage: check_exports.py [--nm NM] LIBRARY.so [HEADER_DIR]

Runs `nm -D --defined-only` on the shared library. Every defined dynamic
symbol must start with "cw_", except:
  - version nodes of a symbol map (type A, e.g. CAUSEWAY_0.1);
  - symbols the linker or a sanitizer/coverage runtime adds by itself
    (_init, _fini, _edata, _end, __bss_start, __asan*, __ubsan*, __sancov*,
    __odr_asan*...), which are listed as "tolerated".
With HEADER_DIR (include/causeway), each exported cw_ function must also be
declared with CW_EXTERN in a public header, and each CW_EXTERN declaration
must be exported. Prints "N passed, N failed" last.
"""

import argparse
import os
import re
import subprocess
import sys

LINKER_SYMBOLS = {"_init", "_fini", "_edata", "_end", "__bss_start"}
TOOL_PREFIXES = ("__asan", "__odr_asan", "__ubsan", "__sancov", "__llvm", "__lsan",
                 "__msan", "__tsan", "__gcov", "___asan")
DECL_RE = re.compile(r"\bCW_EXTERN\b[^;{}()]*?\b(cw_[A-Za-z0-9_]+)\s*\(")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nm", default="nm")
    ap.add_argument("library")
    ap.add_argument("header_dir", nargs="?")
    args = ap.parse_args()

    passed = failed = 0

    def result(ok, what, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok   " + what)
        else:
            failed += 1
            print("FAIL " + what)
            for line in detail.rstrip().splitlines():
                print("     " + line)

    proc = subprocess.run([args.nm, "-D", "--defined-only", args.library],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    result(proc.returncode == 0, "nm -D --defined-only %s" % args.library, proc.stdout)
    if proc.returncode != 0:
        print("%d passed, %d failed" % (passed, failed))
        return 1

    exported, tolerated, foreign = [], [], []
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        kind, name = parts[-2], parts[-1]
        name = name.split("@")[0]  # strip a symbol version: cw_x@@CAUSEWAY_0.1
        if kind == "A":
            continue  # version node of a symbol map
        if name.startswith("cw_"):
            exported.append(name)
        elif name in LINKER_SYMBOLS or name.startswith(TOOL_PREFIXES):
            tolerated.append(name)
        else:
            foreign.append("%s %s" % (kind, name))

    exported = sorted(set(exported))
    result(len(exported) > 0, "exports %d cw_ symbols" % len(exported))
    result(not foreign, "exports nothing without the cw_ prefix",
           "exported: " + "\n".join(sorted(foreign)))
    if tolerated:
        print("note: tolerated linker/sanitizer symbols: %s" % " ".join(sorted(set(tolerated))))
    result("cw_version" in exported, "exports cw_version")

    if args.header_dir:
        declared = set()
        for name in sorted(os.listdir(args.header_dir)):
            if name.endswith((".h", ".h.in")):
                with open(os.path.join(args.header_dir, name), encoding="utf-8") as f:
                    declared.update(DECL_RE.findall(f.read()))
        undeclared = sorted(set(exported) - declared)
        unexported = sorted(declared - set(exported))
        result(not undeclared, "every exported symbol is declared CW_EXTERN in a public header",
               "exported but not declared: " + " ".join(undeclared))
        result(not unexported, "every CW_EXTERN declaration (%d) is exported" % len(declared),
               "declared but not exported: " + " ".join(unexported))

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
