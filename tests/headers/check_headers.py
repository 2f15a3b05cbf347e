#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that every public header of causeway stands alone.

For each causeway/*.h found in the include directories:
  C:   #include <causeway/X.h> alone, twice (include guard), compiled with
       CC -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only;
  C++: the same with CXX -std=c++11 -Wall -Wextra -Wpedantic -Werror, compiled
       to an object that takes the address of every function the header
       declares; nm must then show those references unmangled, which proves
       the extern "C" guard (a C++-linkage declaration would be _Z-mangled).

Usage:
  check_headers.py --cc CC [--cc ARG...] [--cxx CXX] [--nm NM] -I DIR [-I DIR...]
(--cc may be repeated to pass a compiler command with several words, as meson's
cmd_array() gives it). Prints one line per check and "N passed, N failed" last.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

C_FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fsyntax-only"]
CXX_FLAGS = ["-std=c++11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-c"]

# "CW_EXTERN const char *cw_strerror(int err);" -> cw_strerror
DECL_RE = re.compile(r"\bCW_EXTERN\b[^;{}()]*?\b(cw_[A-Za-z0-9_]+)\s*\(")


def find_headers(include_dirs):
    """Map 'causeway/X.h' -> path, first include dir wins (like the compiler)."""
    found = {}
    for inc in include_dirs:
        sub = os.path.join(inc, "causeway")
        if not os.path.isdir(sub):
            continue
        for name in sorted(os.listdir(sub)):
            if name.endswith(".h"):
                found.setdefault("causeway/" + name, os.path.join(sub, name))
    return found


def run(cmd, cwd):
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    return proc.returncode, proc.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cc", action="append", required=True,
                    help="C compiler command word (repeat for several words)")
    ap.add_argument("--cxx", action="append", default=[],
                    help="C++ compiler command word (repeat); omit to skip C++")
    ap.add_argument("--nm", default="nm", help="nm program for the linkage check")
    ap.add_argument("-I", dest="includes", action="append", required=True)
    ap.add_argument("--min-headers", type=int, default=1,
                    help="fail if fewer public headers are found")
    args = ap.parse_args()
    # The compilers run in a temporary directory: make the paths absolute.
    args.includes = [os.path.abspath(d) for d in args.includes]

    passed = failed = 0

    def result(ok, what, output=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok   " + what)
        else:
            failed += 1
            print("FAIL " + what)
            if output:
                for line in output.rstrip().splitlines():
                    print("     " + line)

    headers = find_headers(args.includes)
    result(len(headers) >= args.min_headers,
           "found %d public headers (want at least %d) in %s"
           % (len(headers), args.min_headers, ", ".join(args.includes)))

    inc_flags = []
    for inc in args.includes:
        inc_flags += ["-I", inc]

    cxx = args.cxx
    if not cxx:
        print("note: no C++ compiler given (g++/c++ not found): C++ checks skipped")

    with tempfile.TemporaryDirectory(prefix="cw-headers-") as tmp:
        for rel, path in sorted(headers.items()):
            # C: the header alone, included twice (guard), strict C11.
            src = os.path.join(tmp, "alone.c")
            with open(src, "w") as f:
                f.write("#include <%s>\n#include <%s>\n" % (rel, rel))
                # ISO C forbids an empty translation unit (-Wpedantic).
                f.write("typedef int cw_header_check_nonempty;\n")
            rc, out = run(args.cc + C_FLAGS + inc_flags + [src], tmp)
            result(rc == 0, "C    %s compiles alone" % rel, out)

            if not cxx:
                continue

            with open(path, encoding="utf-8") as f:
                functions = sorted(set(DECL_RE.findall(f.read())))
            src = os.path.join(tmp, "alone.cc")
            obj = os.path.join(tmp, "alone.o")
            with open(src, "w") as f:
                f.write("#include <%s>\n#include <%s>\n" % (rel, rel))
                f.write("int cw_header_check_nonempty;\n")
                for i, fn in enumerate(functions):
                    # A non-static pointer object forces an undefined
                    # reference to fn into the object file.
                    f.write("extern decltype(&%s) const cw_ref_%d;\n" % (fn, i))
                    f.write("decltype(&%s) const cw_ref_%d = &%s;\n" % (fn, i, fn))
            rc, out = run(cxx + CXX_FLAGS + inc_flags + [src, "-o", obj], tmp)
            result(rc == 0, "C++  %s compiles alone" % rel, out)
            if rc != 0 or not functions:
                continue
            rc, out = run([args.nm, "--undefined-only", obj], tmp)
            undefined = set()
            for line in out.splitlines():
                parts = line.split()
                if parts:
                    undefined.add(parts[-1])
            missing = [fn for fn in functions if fn not in undefined]
            mangled = sorted(s for s in undefined if s.startswith("_Z") and "cw_" in s)
            detail = ""
            if rc != 0:
                detail = out
            elif missing:
                detail = "not referenced with C linkage: %s\nmangled: %s" % (
                    " ".join(missing), " ".join(mangled) or "-")
            result(rc == 0 and not missing,
                   "C++  %s declares its %d functions extern \"C\"" % (rel, len(functions)),
                   detail)

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
