#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Data-driven tests of the causeway command-line tool.

usage: run_cli_tests.py CAUSEWAY_BINARY TEMP_DIR

Every case runs the binary with an argv and checks the exit status, stdout
(exactly, or a regular expression) and stderr (a regular expression; by
default: empty for exit 0/1, exactly one "causeway: ..." line for exit 2).
Expected mappings come from RFC 3398 (§7.2.4.1 and §8.2.6.1), names from
ITU-T Q.850 and phrases from RFC 3261, never from running the program.
Prints "N passed, N failed"; exits 1 on any failure.
"""
import csv
import io
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import cdr_audit_cases  # noqa: E402  (the cases of `causeway audit`)

ONE_ERROR_LINE = r"\Acauseway: [^\n]+\n\Z"

C2S_KEYS = ["cause", "name", "status", "phrase", "action", "location", "retry_after",
            "contact", "reason", "rule", "rule_file", "rule_line"]
S2C_KEYS = ["status", "event", "cause", "name", "action", "location", "phrase", "reason",
            "from_reason", "rule", "rule_file", "rule_line", "location_rule"]
TABLE_COLS = ["direction", "input", "output", "action", "location", "rule"]


def R(pattern):
    """An expected stdout given as a regular expression (re.search, multiline)."""
    return re.compile(pattern, re.M)


# ---- checks on parsed output (each returns None or a complaint) ----

def json_obj(keys, **want):
    def check(out):
        doc = json.loads(out)
        if not isinstance(doc, dict):
            return "not a JSON object"
        missing = [k for k in keys if k not in doc]
        if missing:
            return "missing keys %s" % missing
        for k, v in want.items():
            if callable(v):
                if not v(doc[k]):
                    return "key %s: unexpected %r" % (k, doc[k])
            elif doc[k] != v:
                return "key %s is %r, want %r" % (k, doc[k], v)
        if out.count("\n") != 1 or not out.endswith("\n"):
            return "not one line"
        return None
    return check


def json_reason_list(*wants):
    def check(out):
        doc = json.loads(out)
        if not isinstance(doc, list) or len(doc) != len(wants):
            return "want a list of %d objects, got %r" % (len(wants), doc)
        for i, (got, want) in enumerate(zip(doc, wants)):
            if "error" in want:
                if set(got) != {"error", "raw"} or not isinstance(got["error"], str):
                    return "value %d: want an error object, got %r" % (i, got)
                if want["raw"] is not None and want["raw"] not in got["raw"]:
                    return "value %d: raw %r" % (i, got["raw"])
                continue
            for k in ("protocol", "cause", "text", "location", "params", "flags"):
                if k not in got:
                    return "value %d: missing %s" % (i, k)
            for k, v in want.items():
                if got[k] != v:
                    return "value %d: %s is %r, want %r" % (i, k, got[k], v)
        return None
    return check


def rows_check(rows):
    """Checks common to the table in every format: rows is a list of dicts."""
    def find(direction, inp):
        for r in rows:
            if r["direction"] == direction and r["input"] == inp:
                return r
        return None
    want = [
        ("cause2sip", "1", "404 Not Found"),
        ("cause2sip", "16", "none"),
        ("cause2sip", "17", "486 Busy Here"),
        ("cause2sip", "21", "403 Forbidden"),
        ("cause2sip", "21 location=U", "603 Decline"),
        ("cause2sip", "22", "410 Gone"),
        ("cause2sip", "22 diagnostic", "301 Moved Permanently"),
        ("cause2sip", "99", "500 Server Internal Error"),
        ("cause2sip", "102", "504 Server Time-out"),
        ("sip2cause", "404", "1 Unallocated (unassigned) number"),
        ("sip2cause", "408", "102 Recovery on timer expiry"),
        ("sip2cause", "486", "17 User busy"),
        ("sip2cause", "487", "none"),
        ("sip2cause", "488 warning=304", "65 Bearer capability not implemented"),
        ("sip2cause", "505", "127 Interworking, unspecified"),
        ("sip2cause", "BYE", "16 Normal call clearing"),
        ("sip2cause", "CANCEL", "16 Normal call clearing"),
    ]
    for d, inp, out in want:
        r = find(d, inp)
        if r is None:
            return "no row %s %s" % (d, inp)
        if r["output"] != out:
            return "row %s %s: output %r, want %r" % (d, inp, r["output"], out)
        if not r["rule"]:
            return "row %s %s: no rule" % (d, inp)
    plain = [r["input"] for r in rows if r["direction"] == "cause2sip" and r["input"].isdigit()]
    if plain != [str(c) for c in range(1, 128)]:
        return "cause2sip plain rows are not 1..127 in order"
    if find("sip2cause", "486")["location"] in (None, ""):
        return "sip2cause 486 has no location"
    for r in rows:
        if set(r) != set(TABLE_COLS):
            return "row with columns %s" % sorted(r)
        if not r["rule"] or not r["action"]:
            return "row %r lacks rule or action" % r
    return None


def table_csv(out):
    rd = csv.reader(io.StringIO(out, newline=""))
    lines = list(rd)
    if lines[0] != TABLE_COLS:
        return "header %r" % lines[0]
    return rows_check([dict(zip(TABLE_COLS, line)) for line in lines[1:]])


def table_json(out):
    doc = json.loads(out)
    if not isinstance(doc, list):
        return "not a list"
    return rows_check([{k: (v if v is not None else "") for k, v in r.items()} for r in doc])


def table_md(out):
    lines = out.splitlines()
    if lines[0] != "| direction | input | output | action | location | rule |":
        return "header %r" % lines[0]
    if not re.fullmatch(r"\|(---\|){6}", lines[1]):
        return "separator %r" % lines[1]
    rows = []
    for line in lines[2:]:
        if not (line.startswith("| ") and line.endswith(" |")):
            return "bad line %r" % line
        cells = [c.strip() for c in re.split(r"(?<!\\) \| ", line[2:-2])]
        if len(cells) != 6:
            return "line with %d cells: %r" % (len(cells), line)
        rows.append(dict(zip(TABLE_COLS, cells)))
    return rows_check(rows)


def diff_json(out):
    doc = json.loads(out)
    if not isinstance(doc, list) or not doc:
        return "want a non-empty list"
    keys = {"direction", "input", "a_output", "a_action", "a_location", "a_rule",
            "b_output", "b_action", "b_location", "b_rule"}
    for r in doc:
        if set(r) != keys:
            return "row keys %s" % sorted(r)
    if not any(r["direction"] == "cause2sip" and r["input"] == "38" and
               r["a_output"] == "503 Service Unavailable" for r in doc):
        return "no cause2sip 38 row"
    return None


def explain_json_status(out):
    doc = json.loads(out)
    for k in ("status", "phrase", "class", "disposition", "meaning", "check", "cause"):
        if k not in doc:
            return "missing %s" % k
    if doc["status"] != 486 or doc["phrase"] != "Busy Here" or doc["cause"] != 17:
        return "unexpected %r" % doc
    return None


def explain_json_cause(out):
    doc = json.loads(out)
    if doc.get("cause") != 34 or doc.get("status") != 503 or doc.get("class_unspecified") != 47:
        return "unexpected %r" % doc
    return None


# ---- the cases ----

def cases(tmp):
    site = os.path.join(tmp, "site.map")
    bad = os.path.join(tmp, "bad.map")
    bad2 = os.path.join(tmp, "bad2.map")
    big = os.path.join(tmp, "big.map")
    missing = os.path.join(tmp, "no-such-file.map")
    same = os.path.join(tmp, "same.map")
    with open(same, "w") as f:
        f.write("# restates RFC 3398: no difference in behaviour\ncause 17 - 486 respond\n")
    with open(site, "w") as f:
        f.write("# site.map - our carrier fails over only on 503\n"
                "cause 34 - 503 respond   carrier contract 4\n"
                "cause 31 - 486 respond\n"
                "status 480 - 19 release\n")
    with open(bad, "w") as f:
        f.write("# a malformed override file\n"
                "cause 17 - 486 respond\n"
                "cause 128 - 486 respond\n")
    with open(bad2, "w") as f:
        f.write("cause 17 - 486 respond\n"
                "cause 18 - 408 frobnicate\n")
    with open(big, "w") as f:
        line = "# " + "x" * 97 + "\n"
        f.write(line * (1024 * 1024 // len(line) + 10))

    E = ONE_ERROR_LINE
    c = []

    def add(argv, code, out=None, err=None, check=None, devfull=False):
        c.append((argv, code, out, err, check, devfull, None))

    # -- cause2sip: RFC 3398 §7.2.4.1 --
    add(["cause2sip", "17"], 0, "486 Busy Here\n")
    add(["cause2sip", "1"], 0, "404 Not Found\n")
    add(["cause2sip", "3"], 0, "404 Not Found\n")
    add(["cause2sip", "18"], 0, "408 Request Timeout\n")
    add(["cause2sip", "19"], 0, "480 Temporarily Unavailable\n")
    add(["cause2sip", "21"], 0, "403 Forbidden\n")
    add(["cause2sip", "--location", "U", "21"], 0, "603 Decline\n")
    add(["cause2sip", "21", "--location=u"], 0, "603 Decline\n")
    add(["cause2sip", "21", "--location", "0"], 0, "603 Decline\n")
    add(["cause2sip", "--location", "LN", "21"], 0, "403 Forbidden\n")
    add(["cause2sip", "22"], 0, "410 Gone\n")
    add(["cause2sip", "--diagnostic", "5551234", "22"], 0, "301 Moved Permanently\n")
    add(["cause2sip", "16"], 0, "none\n")
    add(["cause2sip", "27"], 0, "502 Bad Gateway\n")
    add(["cause2sip", "28"], 0, "484 Address Incomplete\n")
    add(["cause2sip", "29"], 0, "501 Not Implemented\n")
    add(["cause2sip", "31"], 0, "480 Temporarily Unavailable\n")
    add(["cause2sip", "34"], 0, "503 Service Unavailable\n")
    add(["cause2sip", "38"], 0, "503 Service Unavailable\n")
    add(["cause2sip", "65"], 0, "488 Not Acceptable Here\n")
    add(["cause2sip", "102"], 0, "504 Server Time-out\n")
    add(["cause2sip", "111"], 0, "500 Server Internal Error\n")
    add(["cause2sip", "127"], 0, "500 Server Internal Error\n")
    add(["cause2sip", "99"], 0, "500 Server Internal Error\n")
    add(["cause2sip", "--", "17"], 0, "486 Busy Here\n")
    add(["cause2sip", "--profile", "rfc3398", "17"], 0, "486 Busy Here\n")
    add(["cause2sip", "--profile=rfc4497", "--location", "U", "21"], 0, "603 Decline\n")
    add(["cause2sip", "--overrides", site, "31"], 0, "486 Busy Here\n")
    add(["cause2sip", "--overrides", site, "17"], 0, "486 Busy Here\n")
    add(["cause2sip", "--json", "17"], 0, None, None, json_obj(
        C2S_KEYS, cause=17, name="User busy", status=486, phrase="Busy Here",
        action="respond", location=None, retry_after=False, contact=None,
        reason='Q.850;cause=17;text="User busy"',
        rule=lambda v: isinstance(v, str) and "RFC 3398" in v,
        rule_file=lambda v: isinstance(v, str) and v.endswith("rfc3398.map"),
        rule_line=lambda v: isinstance(v, int) and v > 0))
    add(["cause2sip", "21", "--json", "--location", "U"], 0, None, None, json_obj(
        C2S_KEYS, status=603, phrase="Decline", location="U",
        reason='Q.850;cause=21;text="Call rejected";location=U'))
    add(["cause2sip", "--json", "--diagnostic", "5551234", "22"], 0, None, None, json_obj(
        C2S_KEYS, status=301, contact="5551234"))
    add(["cause2sip", "--json", "22"], 0, None, None, json_obj(C2S_KEYS, status=410, contact=None))
    add(["cause2sip", "--json", "34"], 0, None, None, json_obj(C2S_KEYS, status=503, retry_after=True))
    # RFC 4497 §8.4.1 NOTE 2: 44 falls back to congestion, so Retry-After applies as for 34
    add(["cause2sip", "--json", "44"], 0, None, None, json_obj(C2S_KEYS, status=503, action="retry-channel", retry_after=True))
    add(["cause2sip", "--json", "16"], 0, None, None, json_obj(
        C2S_KEYS, cause=16, action="clear", status=lambda v: isinstance(v, int) and 300 <= v <= 699))
    add(["cause2sip", "--json", "--overrides", site, "31"], 0, None, None, json_obj(
        C2S_KEYS, status=486, rule=lambda v: v.startswith("override ") and "site.map:3" in v,
        rule_line=3))
    # errors
    add(["cause2sip", "0"], 2, None, r"\Acauseway: cause 0 out of range \(1-127\)\n\Z")
    add(["cause2sip", "128"], 2, None, r"\Acauseway: cause 128 out of range \(1-127\)\n\Z")
    add(["cause2sip", "99999999999999999999"], 2, None, r"out of range")
    add(["cause2sip", "abc"], 2, None, r"\Acauseway: cause \"abc\" is not a number")
    add(["cause2sip", ""], 2, None, r"\Acauseway: cause \"\" is not a number")
    add(["cause2sip", "17x"], 2, None, E)
    add(["cause2sip", "+17"], 2, None, E)
    add(["cause2sip", " 17"], 2, None, E)
    add(["cause2sip", "-1"], 2, None, r"\Acauseway: unknown option -1\n\Z")
    add(["cause2sip", "--", "-1"], 2, None, r"is not a number")
    add(["cause2sip"], 2, None, r"\Acauseway: missing CAUSE argument\n\Z")
    add(["cause2sip", "17", "18"], 2, None, r"\Acauseway: unexpected argument \"18\"\n\Z")
    add(["cause2sip", "--profile", "foo", "17"], 2, None,
        r"\Acauseway: unknown profile \"foo\" \(known: rfc3398, rfc4497, asterisk, freeswitch\)\n\Z")
    add(["cause2sip", "--bogus", "17"], 2, None, r"\Acauseway: unknown option --bogus\n\Z")
    add(["cause2sip", "17", "--profile"], 2, None, r"--profile needs a value")
    add(["cause2sip", "--json=yes", "17"], 2, None, r"--json takes no value")
    add(["cause2sip", "--profile", "rfc3398", "--profile", "asterisk", "17"], 2, None,
        r"more than once")
    add(["cause2sip", "--warning", "304", "17"], 2, None, r"--warning is not valid for cause2sip")
    add(["cause2sip", "--location", "XYZ", "21"], 2, None, r"\Acauseway: unknown location \"XYZ\"")
    add(["cause2sip", "--location", "16", "21"], 2, None, r"unknown location")
    add(["cause2sip", "--diagnostic", "abc", "22"], 2, None, r"invalid diagnostic")
    add(["cause2sip", "--diagnostic", "", "22"], 2, None, r"invalid diagnostic")
    add(["cause2sip", "--diagnostic", "1" * 33, "22"], 2, None, r"invalid diagnostic")
    add(["cause2sip", "--diagnostic", "*#0123456789", "22"], 0, "301 Moved Permanently\n")
    add(["cause2sip", "--overrides", missing, "17"], 2, None,
        r"\Acauseway: cannot read override file \".*no-such-file\.map\": No such file or directory\n\Z")
    add(["cause2sip", "--overrides", tmp, "17"], 2, None, r"\Acauseway: cannot read override file")
    add(["cause2sip", "--overrides", bad, "17"], 2, None, r"\Acauseway: .*bad\.map:3(:\d+)?: [^\n]+\n\Z")
    add(["cause2sip", "--overrides", bad2, "17"], 2, None, r"\Acauseway: .*bad2\.map:2(:\d+)?: [^\n]+\n\Z")
    add(["cause2sip", "--overrides", big, "17"], 2, None, r"larger than 1 MiB")

    # -- sip2cause: RFC 3398 §8.2.6.1, §7.2.3 --
    add(["sip2cause", "486"], 0, "17 User busy\n")
    add(["sip2cause", "404"], 0, "1 Unallocated (unassigned) number\n")
    add(["sip2cause", "403"], 0, "21 Call rejected\n")
    add(["sip2cause", "408"], 0, "102 Recovery on timer expiry\n")
    add(["sip2cause", "410"], 0, "22 Number changed\n")
    add(["sip2cause", "480"], 0, "18 No user responding\n")
    add(["sip2cause", "484"], 0, "28 Invalid number format (address incomplete)\n")
    add(["sip2cause", "487"], 0, "none\n")
    add(["sip2cause", "500"], 0, "41 Temporary failure\n")
    add(["sip2cause", "502"], 0, "38 Network out of order\n")
    add(["sip2cause", "503"], 0, "41 Temporary failure\n")
    add(["sip2cause", "504"], 0, "102 Recovery on timer expiry\n")
    add(["sip2cause", "505"], 0, "127 Interworking, unspecified\n")
    add(["sip2cause", "600"], 0, "17 User busy\n")
    add(["sip2cause", "603"], 0, "21 Call rejected\n")
    add(["sip2cause", "604"], 0, "1 Unallocated (unassigned) number\n")
    add(["sip2cause", "430"], 0, "31 Normal, unspecified\n")
    add(["sip2cause", "499"], 0, "31 Normal, unspecified\n")
    add(["sip2cause", "200"], 0, "none\n")
    add(["sip2cause", "180"], 0, "none\n")
    add(["sip2cause", "488", "--warning", "304"], 0, "65 Bearer capability not implemented\n")
    add(["sip2cause", "404", "--reason", "Q.850;cause=17"], 0, "17 User busy\n")
    add(["sip2cause", "--reason", "Q.850 ;cause=17 ;text=\"User busy\"", "503"], 0, "17 User busy\n")
    add(["sip2cause", "404", "--reason", "Q.850;cause=999"], 0, "1 Unallocated (unassigned) number\n")
    add(["sip2cause", "404", "--reason", ";;;garbage"], 0, "1 Unallocated (unassigned) number\n")
    add(["sip2cause", "BYE"], 0, "16 Normal call clearing\n")
    add(["sip2cause", "bye"], 0, "16 Normal call clearing\n")
    add(["sip2cause", "CANCEL"], 0, "16 Normal call clearing\n")
    add(["sip2cause", "BYE", "--reason", "Q.850;cause=17"], 0, "17 User busy\n")
    add(["sip2cause", "--overrides", site, "480"], 0, R(r"\A19 \S.*\n\Z"))
    add(["sip2cause", "--json", "486"], 0, None, None, json_obj(
        S2C_KEYS, status=486, event="response", cause=17, name="User busy", action="release",
        phrase="Busy Here", from_reason=None,
        location=lambda v: isinstance(v, str) and v != "",
        reason=lambda v: isinstance(v, str) and v.startswith("Q.850;cause=17;text=\"User busy\""),
        rule=lambda v: isinstance(v, str) and "RFC 3398" in v))
    add(["sip2cause", "--json", "487"], 0, None, None, json_obj(
        S2C_KEYS, status=487, cause=None, name=None, action="none", reason=None))
    add(["sip2cause", "--json", "BYE"], 0, None, None, json_obj(
        S2C_KEYS, status=None, event="bye", cause=16, phrase=None))
    add(["sip2cause", "--json", "cancel"], 0, None, None, json_obj(
        S2C_KEYS, status=None, event="cancel", cause=16))
    add(["sip2cause", "--json", "404", "--reason",
         "Q.850;cause=17;text=\"User busy\";location=RLN"], 0, None, None, json_obj(
        S2C_KEYS, cause=17, location="RLN",
        reason='Q.850;cause=17;text="User busy";location=RLN',
        from_reason=lambda v: isinstance(v, str) and v.startswith("Q.850;cause=17")))
    # errors
    add(["sip2cause", "99"], 2, None, r"\Acauseway: status 99 out of range \(100-699\)\n\Z")
    add(["sip2cause", "700"], 2, None, r"\Acauseway: status 700 out of range \(100-699\)\n\Z")
    add(["sip2cause", "abc"], 2, None, r"\Acauseway: status \"abc\" is not a number")
    add(["sip2cause", "INVITE"], 2, None, E)
    add(["sip2cause"], 2, None, r"missing STATUS argument")
    add(["sip2cause", "--profile", "nope", "486"], 2, None, r"unknown profile \"nope\"")
    add(["sip2cause", "--warning", "99", "488"], 2, None, r"warning code 99 out of range \(100-999\)")
    add(["sip2cause", "--warning", "1000", "488"], 2, None, r"out of range")
    add(["sip2cause", "--warning", "x", "488"], 2, None, r"not a number")
    add(["sip2cause", "--warning", "304", "BYE"], 2, None, E)
    add(["sip2cause", "--location", "U", "486"], 2, None, r"--location is not valid for sip2cause")
    add(["sip2cause", "--overrides", bad, "486"], 2, None, r"bad\.map:3")

    # -- reason: RFC 3326 §2 and RFC 8606 examples --
    add(["reason", "Q.850 ;cause=16 ;text=\"Terminated\""], 0, "Q.850 cause=16 text=\"Terminated\"\n")
    add(["reason", "SIP ;cause=200 ;text=\"Call completed elsewhere\""], 0,
        "SIP cause=200 text=\"Call completed elsewhere\"\n")
    add(["reason", "SIP ;cause=600 ;text=\"Busy Everywhere\""], 0,
        "SIP cause=600 text=\"Busy Everywhere\"\n")
    add(["reason", "Q.850;cause=1;text=\"Unallocated (unassigned) number\";location=LN"], 0,
        "Q.850 cause=1 location=LN text=\"Unallocated (unassigned) number\"\n")
    add(["reason", "preemption ;cause=1 ;text=\"UA Preemption\""], 0,
        "preemption cause=1 text=\"UA Preemption\"\n")
    add(["reason", "SIP;cause=580;text=\"Precondition Failure\", Q.850;cause=16"], 0,
        "SIP cause=580 text=\"Precondition Failure\"\nQ.850 cause=16\n")
    add(["reason", "Q.850;cause=16", "Q.850;cause=17"], 0, "Q.850 cause=16\nQ.850 cause=17 duplicate\n")
    add(["reason", "Q.850;cause=16;foo=bar"], 0, "Q.850 cause=16 params=\"foo=bar\"\n")
    add(["reason", "Q.850;cause=16;location=XX"], 0, "Q.850 cause=16 bad-location\n")
    add(["reason", "SIP;cause=200;location=LN"], 0, "SIP cause=200 ignored-location\n")
    add(["reason", "Q.850;cause=16;text=\"a \\\"b\\\" c\""], 0, "Q.850 cause=16 text=\"a \\\"b\\\" c\"\n")
    add(["reason", "Q.850;cause=abc"], 1, R(r"\Aerror: [^\n]+ at \"[^\n]*cause=abc[^\n]*\"\n\Z"))
    add(["reason", "Q.850;cause=0"], 1, R(r"\Aerror: [^\n]+ at \"Q\.850;cause=0\"\n\Z"))
    add(["reason", "Q.850;cause=999, SIP;cause=200"], 1,
        R(r"\Aerror: [^\n]+ at \"[^\n]*999[^\n]*\"\nSIP cause=200\n\Z"))
    add(["reason", ""], 1, R(r"\Aerror: [^\n]+ at \"\"\n\Z"))
    add(["reason"], 2, None, r"missing VALUE argument")
    add(["reason", "--json",
         "SIP;cause=200;text=\"Call completed elsewhere\", "
         "Q.850;cause=16;text=\"Terminated\";location=LN;foo=bar"], 0, None, None,
        json_reason_list(
            {"protocol": "SIP", "cause": 200, "text": "Call completed elsewhere",
             "location": None, "params": {}, "flags": []},
            {"protocol": "Q.850", "cause": 16, "text": "Terminated", "location": "LN",
             "params": {"foo": "bar"}, "flags": []}))
    add(["reason", "--json", "Q.850;cause=abc", "SIP;cause=486"], 1, None, None,
        json_reason_list({"error": True, "raw": "cause=abc"}, {"protocol": "SIP", "cause": 486}))

    # -- explain --
    add(["explain", "486"], 0, R(
        r"\A486 Busy Here\nclass: 4xx client error\ndefined in: RFC 3261[^\n]*\n"
        r"disposition: final — [^\n]+\nmeaning: [^\n]+\ncheck: [^\n]+\n"
        r"maps to \(rfc3398\): 17 User busy\n"))
    add(["explain", "q850:34"], 0, R(
        r"\Acause 34 No circuit/channel available\n"
        r"class: resource unavailable \(32-47; unspecified: 47 Resource unavailable, unspecified\)\n"
        r"meaning: [^\n]+\ncheck: [^\n]+\n(.*\n)*maps to \(rfc3398\): 503 Service Unavailable"))
    add(["explain", "q850:16"], 0, R(r"^maps to \(rfc3398\): none \(clears by BYE/CANCEL\)"))
    add(["explain", "q850:21"], 0, R(r"^maps to \(rfc3398\) with location=U: 603 Decline$"))
    add(["explain", "Q850:22"], 0, R(r"^maps to \(rfc3398\) with diagnostic: 301 Moved Permanently$"))
    add(["explain", "q850:0"], 0, R(r"\Acause 0 \(not a valid cause value"))
    add(["explain", "q850:12"], 0, R(r"\Acause 12 \(unassigned in Q\.850\)\n"))
    add(["explain", "499"], 0, R(r"\A499 \(not registered\)\nclass: 4xx client error\n(.*\n)*"
                                 r"defined in: not registered"))
    add(["explain", "488"], 0, R(r"^maps to \(rfc3398\) with warning=304: 65 Bearer capability not implemented$"))
    add(["explain", "--json", "486"], 0, None, None, explain_json_status)
    add(["explain", "--json", "q850:34"], 0, None, None, explain_json_cause)
    add(["explain", "99"], 2, None, r"\Acauseway: status 99 out of range \(100-699\)\n\Z")
    add(["explain", "700"], 2, None, r"status 700 out of range")
    add(["explain", "q850:128"], 2, None, r"\Acauseway: cause 128 out of range \(0-127\)\n\Z")
    add(["explain", "q850:"], 2, None, r"not a number")
    add(["explain", "busy"], 2, None, r"neither a SIP status")

    # -- table --
    add(["table"], 0, None, None, table_csv)
    add(["table", "--format", "csv"], 0, None, None, table_csv)
    add(["table", "--format=json"], 0, None, None, table_json)
    add(["table", "--format", "md"], 0, None, None, table_md)
    add(["table", "--format", "xml"], 2, None, r"unknown format \"xml\"")
    add(["table", "extra"], 2, None, r"unexpected argument")
    add(["table", "--profile", "foo"], 2, None, r"unknown profile")
    add(["table", "--overrides", bad], 2, None, r"bad\.map:3")

    # -- diff --
    add(["diff", "rfc3398", "asterisk"], 1, R(
        r"^cause2sip 38: 503 Service Unavailable \(rfc3398 [^\n]*\) -> \d{3} [^\n]+ \(asterisk [^\n]*\)$"))
    add(["diff", "rfc3398", "rfc3398"], 0, "")
    add(["diff", "rfc3398", site], 1, R(
        r"^cause2sip 31: 480 Temporarily Unavailable \(rfc3398 [^\n]*\) -> 486 Busy Here "
        r"\(override [^\n]*site\.map:3\)$"))
    add(["diff", "--format", "json", "rfc3398", "asterisk"], 1, None, None, diff_json)
    add(["diff", "rfc3398"], 2, None, r"missing B argument")
    add(["diff", "rfc3398", "nope"], 2, None, r"unknown profile \"nope\"")
    add(["diff", "rfc3398", missing], 2, None, r"cannot read override file")

    # -- roundtrip --
    add(["roundtrip"], 0, R(r"^cause 31 -> 480 Temporarily Unavailable -> 18 No user responding$"
                            r"(.*\n)*^assigned causes: \d+ of \d+ do not come back; "
                            r"statuses: \d+ of \d+ do not come back\n\Z"))
    add(["roundtrip", "--overrides", site], 0, R(r"^cause 31 -> 486 Busy Here -> 17 User busy$"))
    add(["roundtrip", "--profile", "foo"], 2, None, r"unknown profile")

    # -- robustness: one clean line for any input, valid UTF-8 and JSON for any bytes --
    add(["cause2sip", "a\nb"], 2, None, r"\Acauseway: cause \"a\?b\" is not a number \(1-127\)\n\Z")
    add(["cause2sip", "--profile", "x" * 5000, "17"], 2, None, r"unknown profile")
    add(["reason", "Q.850;cause=16;text=\"a\tb\""], 0, "Q.850 cause=16 text=\"a\\x09b\"\n")
    add(["reason", b"Q.850;cause=16;text=\"\xff\xfe\""], (0, 1), R(r"\\xFF\\xFE"))
    add(["reason", "--json", b"Q.850;cause=16;text=\"\xff\"", b"SIP;cause=\xc3"], (0, 1), None,
        None, lambda out: None if isinstance(json.loads(out), list) else "not a list")
    add(["reason", ", ".join(["SIP;cause=200"] * 300)], 0,
        "SIP cause=200\n" + "SIP cause=200 duplicate\n" * 299)
    add(["sip2cause", "404", "--reason", ", ".join(["Q.850;cause=17"] * 300)], 0, "17 User busy\n")
    add(["table"], 2, None, r"\Acauseway: cannot write to standard output: [^\n]+\n\Z", devfull=True)
    add(["cause2sip", "17"], 2, None, r"cannot write to standard output", devfull=True)

    # -- diff with an override file that changes nothing, and with --base --
    add(["diff", "rfc3398", same], 0, "")
    add(["diff", "--base", "rfc4497", "rfc4497", site], 1, R(
        r"^cause2sip 31: 480 Temporarily Unavailable \(rfc4497 [^\n]*\) -> 486 Busy Here "
        r"\(override [^\n]*site\.map:3\)$"))
    add(["diff", "--base", "nope", "rfc3398", site], 2, None, r"unknown profile \"nope\"")

    # -- the program --
    add([], 2, None, r"\Ausage: causeway")
    add(["--help"], 0, R(r"\Ausage: causeway"))
    add(["-h"], 0, R(r"\Ausage: causeway"))
    add(["help"], 0, R(r"\Ausage: causeway"))
    add(["help", "diff"], 0, R(r"causeway diff"))
    add(["cause2sip", "--help"], 0, R(r"causeway cause2sip"))
    add(["--version"], 0, R(r"\Acauseway \d+\.\d+\.\d+\n\Z"))
    add(["frobnicate"], 2, None, r"\Acauseway: unknown command \"frobnicate\"")
    add(["--bogus"], 2, None, r"\Acauseway: unknown option --bogus\n\Z")
    return c


def run_case(exe, case):
    argv, code, out, err, check, devfull, stdin = case
    try:
        if devfull:
            with open("/dev/full", "wb") as full:
                p = subprocess.run([exe] + argv, stdin=subprocess.DEVNULL, stdout=full,
                                   stderr=subprocess.PIPE, timeout=60)
            p.stdout = b""
        elif stdin is not None:
            p = subprocess.run([exe] + argv, input=stdin, capture_output=True, timeout=60)
        else:
            p = subprocess.run([exe] + argv, stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=60)
    except subprocess.TimeoutExpired:
        return "timed out"
    except OSError as e:
        return "cannot run: %s" % e
    if p.returncode < 0:
        return "killed by signal %d" % -p.returncode
    try:
        so = p.stdout.decode("utf-8")
        se = p.stderr.decode("utf-8")
    except UnicodeDecodeError as e:
        return "output is not UTF-8: %s" % e
    problems = []
    codes = code if isinstance(code, tuple) else (code,)
    if p.returncode not in codes:
        problems.append("exit status %d, want %s" % (p.returncode, code))
    if isinstance(out, str) and so != out:
        problems.append("stdout %r, want %r" % (so, out))
    elif isinstance(out, re.Pattern) and not out.search(so):
        problems.append("stdout %r does not match %r" % (so, out.pattern))
    if err is None:
        err = ONE_ERROR_LINE if 2 in codes else r"\A\Z"
    if not re.search(err, se, re.M):
        problems.append("stderr %r does not match %r" % (se, err))
    if check is not None and p.returncode in codes:
        try:
            why = check(so)
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as e:
            why = "%s: %s" % (type(e).__name__, e)
        if why:
            problems.append(why)
    return "; ".join(problems) if problems else None


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: run_cli_tests.py CAUSEWAY_BINARY TEMP_DIR\n")
        return 2
    exe, tmp = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = os.path.join(tmp, "cli-tests")
    os.makedirs(tmp, exist_ok=True)
    passed = failed = 0
    probe = subprocess.run([exe, "audit"], stdin=subprocess.DEVNULL, capture_output=True)
    all_cases = cases(tmp)
    if b"built without jansson" in probe.stderr:
        print("SKIP: causeway audit (built without jansson)")
    else:
        all_cases += cdr_audit_cases.cases(tmp)
    for case in all_cases:
        why = run_case(exe, case)
        if why is None:
            passed += 1
        else:
            failed += 1
            print("FAIL: causeway %s: %s" % (" ".join(repr(a)[:80] for a in case[0]), why))
            sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
