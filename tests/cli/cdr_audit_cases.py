# SPDX-License-Identifier: MIT
"""Cases for `causeway audit` (bin/README.md, docs/cdr.md), used by run_cli_tests.py.

The fixtures in cdr/ are written by hand: each call's expected mapping comes
from RFC 3398 (§7.2.4.1 cause -> status, §8.2.6.1 status -> cause, §7.2.3
Reason), the percentiles from the nearest-rank definition, never from
running the program.

  clean.jsonl        9 calls that all agree with rfc3398 (exit 0)
  disagree.jsonl     line 2: cause 21 location=U answered 403 (RFC 3398: 603);
                     line 4: 486 received, cause 18 sent (RFC 3398: 17)
  malformed.jsonl    lines 2 3 4 6 8 9 malformed, 7 blank, 1 and 5 good
  percentiles.jsonl  ms_to_final 50 15 40 20 35 (+ one null): nearest rank
                     p50 35, p90 50, p99 50, max 50
  empty.jsonl        no calls
"""
import json
import os
import re

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cdr")

AUDIT_KEYS = {"file", "profile", "calls", "answered", "other_profile", "malformed",
              "status_classes", "statuses", "causes_received", "causes_sent",
              "time_to_final", "routes", "checked", "disagreements", "malformed_lines"}
DISAGREE_KEYS = {"line", "call_id_sip", "cref_isdn", "span", "direction", "check", "input",
                 "seen", "expected", "rule", "recorded_rule"}

EMPTY_REPORT = (
    "profile: rfc3398\n"
    "calls: 0\n"
    "answered: 0\n"
    "other profile: 0\n"
    "malformed: 0\n"
    "status class: 1xx 0, 2xx 0, 3xx 0, 4xx 0, 5xx 0, 6xx 0, none 0\n"
    "cause received class: normal event 0, resource unavailable 0, service or option not "
    "available 0, service or option not implemented 0, invalid message 0, protocol error 0, "
    "interworking 0, none 0\n"
    "cause sent class: normal event 0, resource unavailable 0, service or option not "
    "available 0, service or option not implemented 0, invalid message 0, protocol error 0, "
    "interworking 0, none 0\n"
    "time to final response: none\n"
    "checked: 0\n"
    "disagreeing: 0\n")


def R(pattern):
    return re.compile(pattern, re.M)


def lines_all(*wanted):
    """Every wanted line appears, exactly, in stdout."""
    def check(out):
        have = out.split("\n")
        for w in wanted:
            if w not in have:
                return "no line %r" % w
        return None
    return check


def json_report(**want):
    def check(out):
        if out.count("\n") != 1 or not out.endswith("\n"):
            return "not one line"
        doc = json.loads(out)
        if set(doc) != AUDIT_KEYS:
            return "keys %s" % sorted(doc)
        for d in doc["disagreements"]:
            if set(d) != DISAGREE_KEYS:
                return "disagreement keys %s" % sorted(d)
        for k, v in want.items():
            got = doc[k]
            if callable(v):
                if not v(got):
                    return "key %s: unexpected %r" % (k, got)
            elif got != v:
                return "key %s is %r, want %r" % (k, got, v)
        return None
    return check


def long_line_files(tmp):
    """A valid call padded to exactly 64 KiB, and the same one byte longer."""
    with open(os.path.join(HERE, "clean.jsonl"), encoding="utf-8") as f:
        call = json.loads(f.readline())
    paths = []
    for extra in (0, 1):
        call["pad"] = ""
        size = len(json.dumps(call, ensure_ascii=False, separators=(",", ":")).encode())
        call["pad"] = "x" * (65536 - size + extra)
        path = os.path.join(tmp, "long%d.jsonl" % extra)
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(call, ensure_ascii=False, separators=(",", ":")) + "\n")
        paths.append(path)
    return paths


def cases(tmp):
    clean = os.path.join(HERE, "clean.jsonl")
    disagree = os.path.join(HERE, "disagree.jsonl")
    malformed = os.path.join(HERE, "malformed.jsonl")
    pct = os.path.join(HERE, "percentiles.jsonl")
    empty = os.path.join(HERE, "empty.jsonl")
    site = os.path.join(tmp, "audit-site.map")
    with open(site, "w") as f:
        f.write("# our PBX's 486 means no answer\nstatus 486 - 18 release\n")
    long_ok, long_bad = long_line_files(tmp)
    crlf = os.path.join(tmp, "crlf.jsonl")
    with open(clean, "rb") as f, open(crlf, "wb") as g:
        g.write(f.read().replace(b"\n", b"\r\n") + b"\r\n")
    with open(clean, "rb") as f:
        clean_bytes = f.read()
    with open(disagree, "rb") as f:
        disagree_bytes = f.read()

    c = []

    def add(argv, code, out=None, err=None, check=None, stdin=None):
        c.append((argv, code, out, err, check, False, stdin))

    # -- a file that agrees with RFC 3398 --
    add(["audit", clean], 0, None, None, lines_all(
        "profile: rfc3398",
        "calls: 9",
        "answered: 2",
        "other profile: 0",
        "malformed: 0",
        "status class: 1xx 0, 2xx 2, 3xx 0, 4xx 7, 5xx 0, 6xx 0, none 0",
        "status 200 OK: 2",
        "status 404 Not Found: 1",
        "status 480 Temporarily Unavailable: 1",
        "status 486 Busy Here: 4",
        "status 487 Request Terminated: 1",
        "cause received 17 User busy: 2",
        "cause sent 16 Normal call clearing: 2",
        "cause sent 18 No user responding: 1",
        # ms_to_final 1200 700 300 450 2000 1500 3000 2 5000: ranks 5, 9, 9, 9
        "time to final response: 9 calls, p50 1200 ms, p90 5000 ms, p99 5000 ms, max 5000 ms",
        # 503 is retry-later (an error); 486, 480 and the answered call are not
        "route pbx target pbx1.example.net:5060: 4 attempts, 1 errors, error rate 25.0%",
        "route pbx target pbx2.example.net:5060: 1 attempts, 0 errors, error rate 0.0%",
        # cause 34 -> 503 (RFC 3398 §7.2.4.1) is an error; 16, 17 and the answered call not
        "route pstn span 1: 4 attempts, 1 errors, error rate 25.0%",
        "route pstn span 2: 1 attempts, 0 errors, error rate 0.0%",
        # every call but the answered isdn-to-sip call cleared by ISDN holds a decision
        "checked: 8",
        "disagreeing: 0"))
    add(["audit", clean], 0, R(r"\A(?!.*^(disagree|malformed) )"))
    add(["audit", crlf], 0, None, None, lines_all("calls: 9", "disagreeing: 0"))
    add(["audit", "-"], 0, None, None, lines_all("calls: 9", "disagreeing: 0"),
        stdin=clean_bytes)

    # -- disagreeing calls: exit 1, the exact lines --
    d2 = ("disagree %s:2 c10@sip.example.net sip-to-isdn: cause 21 Call rejected location=U "
          "-> 403 Forbidden, expected 603 Decline | rule rfc3398 RFC 3398 §7.2.4.1 note (+); "
          "RFC 4497 §8.4.1 Table 1 | recorded rfc3398 RFC 3398 §7.2.4.1")
    d4 = ("disagree %s:4 c11@sip.example.net isdn-to-sip: 486 Busy Here -> 18 No user "
          "responding location=BI, expected 17 User busy location=BI | rule rfc3398 RFC 3398 "
          "§8.2.6.1 | recorded override site.map:4")
    add(["audit", disagree], 1, None, None, lines_all(
        "checked: 4", "disagreeing: 2", d2 % disagree, d4 % disagree))
    add(["audit", "-"], 1, R(r"^disagree <stdin>:2 c10@sip\.example\.net sip-to-isdn: "), None,
        lines_all("disagreeing: 2", d4 % "<stdin>"), stdin=disagree_bytes)
    # the site says 486 -> 18: line 4 now agrees, line 3 (486 -> 17) no longer does
    add(["audit", "--overrides", site, disagree], 1, R(
        r"^disagree [^\n]*:3 c4@sip\.example\.net isdn-to-sip: 486 Busy Here -> 17 User busy "
        r"location=BI, expected 18 No user responding location=BI \| rule override "
        r"[^\n]*audit-site\.map:2 \| recorded rfc3398 RFC 3398 §8\.2\.6\.1$"), None,
        lines_all("disagreeing: 2", d2 % disagree))
    add(["audit", "--json", disagree], 1, None, None, json_report(
        calls=4, checked=4, malformed=0, malformed_lines=[],
        disagreements=lambda v: [(d["line"], d["check"], d["input"], d["seen"], d["expected"])
                                 for d in v] == [
            (2, "cause2sip", "cause 21 Call rejected location=U", "403 Forbidden",
             "603 Decline"),
            (4, "sip2cause", "486 Busy Here", "18 No user responding location=BI",
             "17 User busy location=BI")]))

    # -- another profile: the file was written under rfc3398 --
    add(["audit", "--profile", "asterisk", clean], (0, 1), None, None,
        lines_all("profile: asterisk", "other profile: 9"))

    # -- percentiles (nearest rank) --
    add(["audit", pct], 0, None, None, lines_all(
        "time to final response: 5 calls, p50 35 ms, p90 50 ms, p99 50 ms, max 50 ms",
        "status class: 1xx 0, 2xx 0, 3xx 0, 4xx 5, 5xx 0, 6xx 0, none 1"))
    add(["audit", "--json", pct], 0, None, None, json_report(
        calls=6, time_to_final={"count": 5, "p50": 35, "p90": 50, "p99": 50, "max": 50},
        routes=[{"route": "pstn", "target": None, "span": 1, "attempts": 5, "errors": 0,
                 "error_rate": 0}]))
    add(["audit", "--json", clean], 0, None, None, json_report(
        calls=9, answered=2, checked=8, disagreements=[],
        status_classes={"1xx": 0, "2xx": 2, "3xx": 0, "4xx": 7, "5xx": 0, "6xx": 0, "none": 0},
        routes=lambda v: [(r["route"], r["target"], r["span"], r["errors"], r["error_rate"])
                          for r in v] == [
            ("pbx", "pbx1.example.net:5060", None, 1, 0.25),
            ("pbx", "pbx2.example.net:5060", None, 0, 0),
            ("pstn", None, 1, 1, 0.25),
            ("pstn", None, 2, 0, 0)]))

    # -- empty input --
    add(["audit", empty], 0, EMPTY_REPORT)
    add(["audit", "-"], 0, EMPTY_REPORT, stdin=b"")
    add(["audit", "-"], 0, EMPTY_REPORT, stdin=b"\n  \r\n\n")
    add(["audit", "--json", empty], 0, None, None, json_report(
        calls=0, time_to_final={"count": 0, "p50": None, "p90": None, "p99": None, "max": None}))

    # -- malformed lines: FILE:LINE, the rest still counted, exit 2 --
    m = re.escape(malformed)
    add(["audit", malformed], 2, None,
        r"\Acauseway: %s:2: not JSON: [^\n]+ \(6 malformed lines\)\n\Z" % m,
        lines_all("calls: 2", "malformed: 6",
                  "malformed %s:3: missing field \"sip_status\"" % malformed,
                  "malformed %s:4: field \"sip_status\": 99 out of range (200-699)" % malformed,
                  "malformed %s:6: unsupported CDR version 2 (this reader knows 1)" % malformed,
                  "malformed %s:9: not a JSON object" % malformed))
    add(["audit", malformed], 2, R(r"^malformed [^\n]*:8: not JSON: duplicate object key"))
    add(["audit", "--json", malformed], 2, None, r"\Acauseway: .*malformed\.jsonl:2: ",
        json_report(calls=2, malformed=6, malformed_lines=lambda v: [x["line"] for x in v] ==
                    [2, 3, 4, 6, 8, 9]))
    add(["audit", "-"], 2, None, r"\Acauseway: <stdin>:1: not JSON: [^\n]+\n\Z",
        stdin=b"{\"v\":1,\n")
    add(["audit", "-"], 2, None, r"\Acauseway: <stdin>:2: not a JSON object\n\Z",
        stdin=clean_bytes.split(b"\n")[0] + b"\n[42]\n")
    add(["audit", "-"], 2, None, r"\Acauseway: <stdin>:1: not JSON: ", stdin=b"\xff\xfe{}\n")
    add(["audit", long_ok], 0, None, None, lines_all("calls: 1"))
    add(["audit", long_bad], 2, None,
        r"\Acauseway: %s:1: line longer than 64 KiB\n\Z" % re.escape(long_bad))

    # -- sip_source / sip_transport (added within version 1): optional, checked when there --
    recs = [json.loads(l) for l in clean_bytes.decode().splitlines() if l.strip()]
    from_sip = next(r for r in recs if r["direction"] == "sip-to-isdn")
    from_isdn = next(r for r in recs if r["direction"] == "isdn-to-sip")

    def line(rec, **extra):
        return (json.dumps(dict(rec, **extra), ensure_ascii=False) + "\n").encode()
    add(["audit", "-"], 0, None, None, lines_all("calls: 1", "malformed: 0"),
        stdin=line(from_sip, sip_source="[2001:db8::7]:5060", sip_transport="tcp"))
    add(["audit", "-"], 0, None, None, lines_all("calls: 1", "malformed: 0"),
        stdin=line(from_isdn, sip_source=None, sip_transport=None))
    add(["audit", "-"], 2, None, r"field \"sip_transport\": unknown value \"sctp\"",
        stdin=line(from_sip, sip_source="192.0.2.7:5060", sip_transport="sctp"))
    add(["audit", "-"], 2, None, r"field \"sip_source\": byte 10 not allowed",
        stdin=line(from_sip, sip_source="192.0.2.7 5060", sip_transport="udp"))
    add(["audit", "-"], 2, None, r"sip_source/sip_transport set on an isdn-to-sip call",
        stdin=line(from_isdn, sip_source="192.0.2.7:5060", sip_transport="udp"))

    # -- node (added within version 1, [general] node): optional, a name when there --
    add(["audit", "-"], 0, None, None, lines_all("calls: 2", "malformed: 0"),
        stdin=line(from_sip, node="gw-a.fra1") + line(from_isdn, node=None))
    add(["audit", "-"], 2, None, r"field \"node\": byte 3 not allowed",
        stdin=line(from_sip, node="gw a"))
    add(["audit", "-"], 2, None, r"field \"node\": want a string or null",
        stdin=line(from_sip, node=7))

    # -- usage errors --
    add(["audit"], 2, None, r"\Acauseway: missing CDRFILE argument\n\Z")
    add(["audit", clean, clean], 2, None, r"unexpected argument")
    add(["audit", os.path.join(tmp, "no-such.jsonl")], 2, None,
        r"\Acauseway: cannot read CDR file \"[^\n]*no-such\.jsonl\": No such file or directory\n\Z")
    add(["audit", tmp], 2, None, r"\Acauseway: cannot read CDR file ")
    add(["audit", "--profile", "nope", clean], 2, None, r"unknown profile \"nope\"")
    add(["audit", "--format", "csv", clean], 2, None, r"--format is not valid for audit")
    add(["help", "audit"], 0, R(r"causeway audit \[--profile P\]"))
    return c
