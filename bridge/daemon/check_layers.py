#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_layers.py DIR — fail when the modules of causeway-bridge (DIR =
bridge/daemon) stop depending one way (README "Module map"):

  main -> loop -> reload -> {isdn, sipside, scrape} -> calls -> {resources, cdr_record,
  admission, metrics, media, heap,
  sipdns, redirect} -> {route, identity, log, config_ref, reload_diff}

A module may use (include, or call a function declared in) the header of a
module in a lower layer only; the two legs never use each other; daemon.h,
the context every module is handed, is open to all and declares no
function (a function there would be open to all too). Only isdn.c includes
bridge/pri's public headers (span.h, pri_call.h, dchan.h, q931.h); only sipside.c
includes bridge/sip's sip.h (and only sipdns.c its dns.h), only scrape.c bridge/metrics's http.h and only
metrics.c its registry.h; only media.c bridge/pri's bchan.h and bridge/media's
rtp_session.h (the B-channel audio and RTP). No module includes libpri.h or a private header
of bridge/pri (*_impl.h), nor names anything of libpri's (a pri_*() call, a
PRI_* macro, q931_call, struct pri): only bridge/pri includes libpri.h.

  --self-test  check that a leg calling the other leg, an upward include,
               bridge/pri outside isdn.c and libpri anywhere (isdn.c too) are
               each reported (exit 0 if they are).
"""
import os
import re
import sys
import tempfile

LAYERS = [
    ["main"],
    ["loop"],
    ["reload"],
    ["isdn", "sipside", "scrape"],
    ["calls"],
    ["resources", "cdr_record", "admission", "metrics", "media", "heap",
     "sipdns", "redirect"],
    ["route", "identity", "log", "config_ref", "reload_diff"],
]
OPEN_TO_ALL = {"daemon"}
ONLY = {  # a header outside the daemon: the one module allowed to include it
    "span.h": "isdn", "pri_call.h": "isdn", "dchan.h": "isdn", "q931.h": "isdn",
    "sip.h": "sipside", "dns.h": "sipdns",
    "http.h": "scrape", "registry.h": "metrics",
    "bchan.h": "media", "rtp_session.h": "media",
}
# Headers no module includes: libpri's, and bridge/pri's private ones (*_impl.h).
FORBIDDEN = {"libpri.h"}
PRIVATE_SUFFIX = "_impl.h"
# libpri's names in code (comments and strings are not code).
LIBPRI_NAME = re.compile(r'\b(pri_\w+)\s*\(|\b(PRI_[A-Z0-9_]+|q931_call)\b'
                         r'|\bstruct\s+(pri)\b')
STRING = re.compile(r'"(?:\\.|[^"\\\n])*"')

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
            if base in FORBIDDEN or (base.endswith(PRIVATE_SUFFIX) and target not in own):
                problems.append(f"{name}: includes {inc}: only bridge/pri may")
            elif base in ONLY and ONLY[base] != module:
                problems.append(f"{name}: includes {inc}: only {ONLY[base]}.c may")
            elif target in own and not may_use(module, target):
                problems.append(f"{name}: includes {inc}: {module} may not use {target}")
        code = STRING.sub('""', INCLUDE.sub("", text))
        for found in sorted({"".join(m) for m in LIBPRI_NAME.findall(code)}):
            problems.append(f"{name}: names libpri's {found}: only bridge/pri may")
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
        "isdn.c": '#include "isdn.h"\n#include "span.h"\n#include "pri_call.h"\n'
                  '#include <libpri.h>\n#include "span_impl.h"\n'
                  'int f(void) { return cwb_sip_start(0); }\n'
                  'void g(struct pri *p, q931_call *q) { pri_hangup(p, q, PRI_CAUSE_X); }\n'
                  '/* pri_hangup() in a comment */ const char *h = "pri_answer(";\n',
        "sipside.c": '#include "sipside.h"\n#include <libpri.h>\n#include "dchan_impl.h"\n',
        "calls.c": '#include "calls.h"\n#include "isdn.h"\n#include "span.h"\n',
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in bad.items():
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(text)
        problems = check(tmp)
    want = ["isdn.c: calls cwb_sip_start()", "isdn.c: includes libpri.h",
            "isdn.c: includes span_impl.h", "isdn.c: names libpri's pri_hangup",
            "isdn.c: names libpri's PRI_CAUSE_X", "isdn.c: names libpri's q931_call",
            "isdn.c: names libpri's pri", "sipside.c: includes libpri.h",
            "sipside.c: includes dchan_impl.h", "calls.c: includes isdn.h",
            "calls.c: includes span.h", "daemon.h: declares cwb_everywhere()"]
    missed = [w for w in want if not any(p.startswith(w) for p in problems)]
    for w in missed:
        print(f"check_layers.py: self-test: not reported: {w}", file=sys.stderr)
    allowed = ["isdn.c: includes span.h", "isdn.c: includes pri_call.h",
               "isdn.c: names libpri's pri_answer"]
    wrong = [a for a in allowed if any(p.startswith(a) for p in problems)]
    for a in wrong:
        print(f"check_layers.py: self-test: reported: {a}", file=sys.stderr)
    return 1 if missed or wrong else 0


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
