#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_layers.py DIR — fail when the modules of causeway-bridge (DIR =
bridge/daemon) stop depending one way (README "Module map"):

  main -> loop -> {isdn, sipside} -> calls -> {resources, cdr_record, admission} ->
  {route, identity, sdp, log}

A module may use (include, or call a function declared in) the header of a
module in a lower layer only; the two legs never use each other; daemon.h,
the context every module is handed, is open to all and declares no
function (a function there would be open to all too). Only isdn.c includes
libpri (libpri.h, or bridge/pri's span.h, dchan.h, q931.h); only sipside.c
includes bridge/sip's sip.h.

  --self-test  check that a leg calling the other leg, an upward include and
               libpri outside isdn.c are each reported (exit 0 if they are).
"""
import os
import re
import sys
import tempfile

LAYERS = [
    ["main"],
    ["loop"],
    ["isdn", "sipside"],
    ["calls"],
    ["resources", "cdr_record", "admission"],
    ["route", "identity", "sdp", "log"],
]
OPEN_TO_ALL = {"daemon"}
ONLY = {  # a header outside the daemon: the one module allowed to include it
    "libpri.h": "isdn", "span.h": "isdn", "dchan.h": "isdn", "q931.h": "isdn",
    "sip.h": "sipside",
}

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
DECL = re.compile(r'^(?!typedef\b)[A-Za-z_][\w \t\*]*?\b(cwb_\w+)\s*\(', re.M)
IDENT = re.compile(r'\bcwb_\w+\b')
COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)


def rank(module):
    for i, layer in enumerate(LAYERS):
        if module in layer:
            return i
    return None


def may_use(user, used):
    if used == user or used in OPEN_TO_ALL:
        return True
    ru, rd = rank(user), rank(used)
    return ru is not None and rd is not None and rd > ru


def sources(directory):
    for name in sorted(os.listdir(directory)):
        if not name.endswith((".c", ".h")) or name.startswith(("test_", "fuzz_")):
            continue
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            yield name, os.path.splitext(name)[0], COMMENT.sub(" ", f.read())


def check(directory):
    files = list(sources(directory))
    own = {module for _, module, _ in files}
    declared = {}  # function -> module of the header declaring it
    problems_ctx = []
    for name, module, text in files:
        if name.endswith(".h"):
            for fn in DECL.findall(text):
                declared[fn] = module
                if module in OPEN_TO_ALL:
                    problems_ctx.append(f"{name}: declares {fn}(): the context declares "
                                        "no function")
    problems = problems_ctx
    for name, module, text in files:
        if rank(module) is None and module not in OPEN_TO_ALL:
            problems.append(f"{name}: module '{module}' is in no layer of check_layers.py")
            continue
        for inc in INCLUDE.findall(text):
            base = os.path.basename(inc)
            target = os.path.splitext(base)[0]
            if base in ONLY and ONLY[base] != module:
                problems.append(f"{name}: includes {inc}: only {ONLY[base]}.c may")
            elif target in own and not may_use(module, target):
                problems.append(f"{name}: includes {inc}: {module} may not use {target}")
        if name.endswith(".c"):
            for ident in sorted(set(IDENT.findall(text))):
                target = declared.get(ident)
                if target and not may_use(module, target):
                    problems.append(f"{name}: calls {ident}() of {target}: "
                                    f"{module} may not use {target}")
    return problems


def self_test():
    bad = {
        "daemon.h": "struct cwb;\nvoid cwb_everywhere(struct cwb *d);\n",
        "isdn.h": "int cwb_isdn_start(struct cwb *d);\n",
        "sipside.h": "int cwb_sip_start(struct cwb *d);\n",
        "calls.h": "void cwb_calls_reap(struct cwb *d);\n",
        "isdn.c": '#include "isdn.h"\n#include "span.h"\nint f(void) { return cwb_sip_start(0); }\n',
        "sipside.c": '#include "sipside.h"\n#include <libpri.h>\n',
        "calls.c": '#include "calls.h"\n#include "isdn.h"\n',
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in bad.items():
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(text)
        problems = check(tmp)
    want = ["isdn.c: calls cwb_sip_start()", "sipside.c: includes libpri.h",
            "calls.c: includes isdn.h", "daemon.h: declares cwb_everywhere()"]
    missed = [w for w in want if not any(p.startswith(w) for p in problems)]
    for w in missed:
        print(f"check_layers.py: self-test: not reported: {w}", file=sys.stderr)
    if any("isdn.c: includes span.h" in p for p in problems):
        print("check_layers.py: self-test: span.h in isdn.c reported", file=sys.stderr)
        return 1
    return 1 if missed else 0


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) != 2:
        print("usage: check_layers.py DIR | --self-test", file=sys.stderr)
        return 2
    problems = check(argv[1])
    for p in problems:
        print(f"check_layers.py: {p}", file=sys.stderr)
    if not problems:
        print("check_layers.py: bridge/daemon depends one way")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
