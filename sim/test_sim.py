#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""causeway-pstn-sim against the libpri CPE test driver (test_sim_cpe).

Starts the simulator on a temp socket with a temp rules file, runs the
driver (one call per rule action, then three calls originated by the sim
over the control socket), stops the sim by pid and checks its JSON report:
once with EuroISDN and once with NI2 on both ends (calling presentation,
screening and name both ways; cause 22 with the new number both ways).
Also checks that bad rules files are refused with FILE:LINE, and, when
tshark is installed, decodes the pcap tap.
Usage: test_sim.py SIM_EXE CPE_EXE
"""
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

RULES = """\
# test rules (the driver test_sim_cpe.c expects exactly these)
100      answer 50
200      alert 30 then answer 30
300      reject 17 location LN
400      reject 21 location TN after-alert 30
500      progress-then-clear 1 location RLN 50
6*       talk 0.2 then clear 16 location LN
700      reject 22 location LN diagnostic 4930777
default  reject 1 location INTL
"""

BAD_RULES = [
    ("100 answer\n", 1, "answer delay missing"),
    ("# c\n\n100 answer 5\n200 reject 0\n", 4, "cause '0'"),
    ("100 reject 17 location XX\n", 1, "unknown location 'XX'"),
    ("100 answer 5\n100 answer 6\n", 2, "already has a rule at line 1"),
    ("1a0 answer 5\n", 1, "is not a called number"),
    ("100 alert 5 answer 6\n", 1, "then answer"),
    ("100 talk 1 then clear 16 extra\n", 1, "unexpected 'extra'"),
    ("100 frobnicate\n", 1, "unknown action"),
    ("100 progress-then-clear 16 location LN\n", 1, "clear delay missing"),
    ("100 disconnect-inband 17 location LN\n", 1, "hold time missing"),
    ("100 answer 5\n200 disconnect-inband 0 500\n", 2, "cause '0'"),
    ("100 disconnect-inband 17 500 more\n", 1, "unexpected 'more'"),
    ("100 reject 17 diagnostic 4930\n", 1, "goes with cause 22 only, not 17"),
    ("100 reject 22 location LN diagnostic\n", 1, "diagnostic digits missing"),
    ("100 reject 22 diagnostic 49+30\n", 1, "diagnostic '49+30' is not 1..25 digits"),
    ("100 reject 22 diagnostic 12345678901234567890123456\n", 1, "is not 1..25 digits"),
    ("100 reject 22 diagnostic 4930 location LN\n", 1, "unexpected 'location'"),
    ("100 talk 1 then clear 22 diagnostic 4930 5\n", 1, "unexpected '5'"),
    ("100 disconnect-inband 22 diagnostic 4930\n", 1, "hold time missing"),
    ("100 answer 0 connected\n", 1, "connected needs [+]DIGITS"),
    ("100 answer 0 connected +49x0\n", 1, "connected number '+49x0' is not [+]DIGITS"),
    ("100 reject 17 connected 4930\n", 1, "connected goes with a rule that answers"),
    ("100 answer 0 connected 4930 hidden\n", 1, "unexpected 'hidden'"),
]

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def bad_rules(sim, tmp):
    for i, (text, line, msg) in enumerate(BAD_RULES):
        path = os.path.join(tmp, "bad%d.rules" % i)
        with open(path, "w") as f:
            f.write(text)
        p = subprocess.run([sim, "--span", os.path.join(tmp, "unused.sock"), "--rules", path],
                           capture_output=True, text=True, timeout=10)
        want = "%s:%d:" % (path, line)
        check(p.returncode == 1 and want in p.stderr and msg in p.stderr,
              "bad rules %d: rc=%d stderr=%r, want %r and %r" % (i, p.returncode, p.stderr,
                                                                want, msg))


def wait_for(path, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        if os.path.exists(path):
            return True
        time.sleep(0.01)
    return False


def ctl_cmd(sock, line):
    sock.sendall((line + "\n").encode())
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = sock.recv(512)
        if not chunk:
            break
        buf += chunk
    return buf.decode().strip()


def start_reader(proc):
    """A thread copying proc's stdout lines into a queue (None at EOF)."""
    q = queue.Queue()

    def pump():
        for line in proc.stdout:
            q.put(line)
        q.put(None)
    threading.Thread(target=pump, daemon=True).start()
    return q


def read_line(q, timeout):
    """The next line from q, or None at EOF or after timeout."""
    try:
        return q.get(timeout=timeout)
    except queue.Empty:
        return None


def find_call(calls, called, direction):
    for c in calls:
        if c["called"] == called and c["direction"] == direction:
            return c
    return None


# Names per switch type, as observed with libpri 1.6 (README "Calling name"):
# CPE -> network and network -> CPE.
NAMES_TO_NET = {"euroisdn": False, "ni2": True}
NAMES_TO_CPE = {"euroisdn": True, "ni2": True}
# The diagnostic of 700's rule, as the Called party number IE (Q.850 Table 2, cause 22).
DIAG_700 = "70088134393330373737"


def good_rules(sim, tmp):
    """Rules using every form of `diagnostic` load (the sim then fails on the span path)."""
    path = os.path.join(tmp, "good.rules")
    with open(path, "w") as f:
        f.write("100 reject 22 location LN diagnostic 4930777 after-alert 5\n"
                "200 progress-then-clear 22 diagnostic *31# 50\n"
                "300 talk 1 then clear 22 location TN diagnostic 1234567890123456789012345\n"
                "400 disconnect-inband 22 location LN diagnostic 4930 100\n")
    p = subprocess.run([sim, "--span", os.path.join(tmp, "no-such-dir", "s.sock"), "--rules", path],
                       capture_output=True, text=True, timeout=10)
    check(p.returncode == 1 and "listen on" in p.stderr and path + ":" not in p.stderr,
          "good rules with diagnostic refused: %r" % p.stderr)


def drive(sim, cpe, tmp, switchtype, first):
    """One simulator and one driver with switchtype on both ends: the driver's
    calls, then three calls from the simulator on command. Returns the driver's
    lines, the report's lines and the tap's path."""
    rules = os.path.join(tmp, "sim.rules")
    with open(rules, "w") as f:
        f.write(RULES)
    span = os.path.join(tmp, "span-%s.sock" % switchtype)
    ctl = os.path.join(tmp, "ctl-%s.sock" % switchtype)
    report = os.path.join(tmp, "report-%s.jsonl" % switchtype)
    tap = os.path.join(tmp, "sim-%s.pcap" % switchtype)
    sim_proc = cpe_proc = None
    out, lines = [], []
    try:
        sim_proc = subprocess.Popen([sim, "--span", span, "--rules", rules, "--report", report,
                                     "--control", ctl, "--tap", tap, "--switchtype", switchtype])
        check(wait_for(ctl), "%s: sim control socket did not appear" % switchtype)
        cpe_proc = subprocess.Popen([cpe, "-s", span, "-i", "3", "-w", switchtype],
                                    stdout=subprocess.PIPE, text=True)
        cpe_out = start_reader(cpe_proc)
        while True:
            line = read_line(cpe_out, 15)
            if line is None:
                check(False, "%s: driver: no outgoing-done within 15 s" % switchtype)
                break
            out.append(line.rstrip())
            print("driver: " + line.rstrip())
            if line.startswith("outgoing-done"):
                break
        # Calls from the simulator toward the driver, cleared by command.
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(ctl)
        st = ctl_cmd(s, "status")
        check(st.startswith("ok dchan up"), "status: %r" % st)
        if first:
            for bad, want in [
                ("bogus", "error unknown command"),
                ("call 12x 34", "error usage: call CALLED CALLING [presentation allowed|restricted|"
                                "unavailable] [screening unscreened|passed|failed|network] "
                                "[name NAME] [bearer speech|audio|digital|restricted|video] [complete yes|no] "
                                "[more DIGITS] [every MS]"),
                ("call 555 444 name Abcdefghijklmnop", "error name must be 1..15 printable"),
                ("call 555 444 name Ab\x01c", "error name must be 1..15 printable"),
                ("call 555 444 name Ab\xc3\xa9", "error name must be 1..15 printable"),
                ("call 555 444 name", "error name must be 1..15 printable"),
                ("call 555 444 screening maybe", "error unknown option 'screening maybe'"),
                ("call 555 444 bearer modem", "error bearer speech|audio|digital|restricted|video"),
                ("call 555 444 presentation hidden", "error unknown option"),
                ("call 555 444 more 12x", "error more DIGITS: 1..31 of 0-9 * #"),
                ("call 555 444 more +1", "error more DIGITS: 1..31 of 0-9 * #"),
                ("call 555 444 more", "error more DIGITS: 1..31 of 0-9 * #"),
                ("call 555 444 more 1 every -5", "error every MS: 0..60000"),
                ("call 555 444 every 60001", "error every MS: 0..60000"),
                ("call 555 444 complete maybe", "error unknown option 'complete maybe'"),
                ("call 555 444 channel 16", "error channel N: 1..31, not 16"),
                ("call 555 444 channel x", "error channel N: 1..31, not 16"),
                ("call 555 444 collide maybe", "error unknown option 'collide maybe'"),
                ("call 555 444 redirecting 12x", "error redirecting NUMBER: 1..63 of 0-9 * #"),
                ("call 555 444 redirecting 4930 reason sideways", "error reason: unknown, busy"),
                ("call 555 444 redirecting 4930 reason 16", "error reason: unknown, busy"),
                ("call 555 444 redirecting 4930 count 0", "error count N: 1..15"),
                ("call 555 444 redirecting 4930 redirecting-presentation hidden",
                 "error redirecting-presentation allowed|restricted"),
                ("call 555 444 reason busy", "error reason, count and redirecting-presentation "
                                             "go with redirecting NUMBER"),
                ("restart", "error usage: restart CHANNEL (1..31, not 16)"),
                ("restart 32", "error usage: restart CHANNEL"),
                ("service 1 sideways", "error usage: service CHANNEL in|out"),
                ("service 0 out", "error usage: service CHANNEL in|out"),
                ("service 1 out" if switchtype == "euroisdn" else "service 1",
                 "error SERVICE needs switchtype ni2, dms100, 4ess or 5ess"
                 if switchtype == "euroisdn" else "error usage: service CHANNEL in|out"),
                ("drop", "error usage: drop rx|tx|both on|off"),
                ("drop up on", "error usage: drop rx|tx|both on|off"),
                ("drop rx maybe", "error usage: drop rx|tx|both on|off"),
                ("hangup 77777 16", "error no call"),
                ("hangup 1 16 diagnostic", "error usage: hangup CREF CAUSE [location LOC] "
                                           "[diagnostic DIGITS]"),
            ]:
                r = ctl_cmd(s, bad)
                check(r.startswith(want), "control %r: %r, want %r" % (bad, r, want))
        elif switchtype == "ni2":
            # T1: B-channels 1..23, 24 is the D-channel
            for bad, want in [("call 555 444 channel 24", "error channel N: 1..23"),
                              ("restart 31", "error usage: restart CHANNEL (1..23)")]:
                r = ctl_cmd(s, bad)
                check(r == want, "control %r: %r, want %r" % (bad, r, want))
        crefs = []
        for cmd in ["call 5551234 4930999 presentation restricted bearer speech",
                    "call 5551235 4930998 screening passed name Alice",
                    "call 5551236 4930997 presentation unavailable name Carol"]:
            r = ctl_cmd(s, cmd)
            check(r.startswith("ok cref "), "%s: %s: %r" % (switchtype, cmd, r))
            crefs.append(r.split()[2] if r.startswith("ok cref ") else "0")
        time.sleep(0.3)
        if first:
            for bad, want in [
                ("hangup %s 16 diagnostic 4930" % crefs[1], "error diagnostic DIGITS (the new "
                                                             "number) goes with cause 22 only"),
                ("hangup %s 22 diagnostic 49x0" % crefs[1], "error diagnostic '49x0' is not"),
                ("hangup %s 22 diagnostic 4930 location LN" % crefs[1], "error usage: hangup"),
            ]:
                r = ctl_cmd(s, bad)
                check(r.startswith(want), "control %r: %r, want %r" % (bad, r, want))
        for cmd in ["hangup %s 16 location TN" % crefs[0],
                    "hangup %s 22 location LN diagnostic 4930123" % crefs[1],
                    "hangup %s 16" % crefs[2]]:
            r = ctl_cmd(s, cmd)
            check(r == "ok", "%s: %s: %r" % (switchtype, cmd, r))
        s.close()
        while True:
            line = read_line(cpe_out, 15)
            if line is None:
                break
            print("driver: " + line.rstrip())
            out.append(line.rstrip())
        try:
            cpe_proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            cpe_proc.kill()
            cpe_proc.wait()
        check(cpe_proc.returncode == 0, "%s: driver exit status %s" % (switchtype,
                                                                       cpe_proc.returncode))
        cpe_proc = None
        # Stop the simulator by its pid; it reports what is left and exits 0.
        os.kill(sim_proc.pid, signal.SIGTERM)
        check(sim_proc.wait(timeout=10) == 0, "sim exit status %s" % sim_proc.returncode)
        sim_proc = None
        with open(report) as f:
            lines = [json.loads(l) for l in f if l.strip()]
        for l in lines:
            print("report: " + json.dumps(l))
    finally:
        for p in (cpe_proc, sim_proc):
            if p is not None and p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()
    return out, lines, crefs, tap


def check_run(switchtype, out, lines, crefs, tap):
    sw = switchtype + ": "
    text = "\n".join(out)
    # The simulator's calls as the driver saw them: presentation, screening, name.
    check("incoming called=5551234 calling=4930999 pres=restricted screening=unscreened "
          "name=(none)" in text, sw + "driver did not see the sim's restricted call")
    check("incoming called=5551235 calling=4930998 pres=allowed screening=passed name=%s" %
          ("Alice" if NAMES_TO_CPE[switchtype] else "(none)") in text,
          sw + "driver did not see the sim's screened call with its name")
    check("incoming called=5551236 calling= pres=unavailable screening=network name=(none)" in text,
          sw + "driver did not see the sim's call without a number")
    check("incoming cleared cause=16 location=TN diagnostic=none" in out,
          sw + "driver did not get cause 16 at TN from the sim")
    check("incoming cleared cause=22 location=LN diagnostic=4930123" in out,
          sw + "driver did not get cause 22 with the new number 4930123 from the sim")
    check(any(l.startswith("ok 700 ") and l.endswith(" diagnostic=4930777") for l in out),
          sw + "driver did not check 700's cause 22 diagnostic")

    check(any(l["event"] == "dchan" and l["state"] == "up" for l in lines), sw + "no dchan up")
    calls = [l for l in lines if l["event"] == "call"]
    for c in calls:
        check(c["screening"] in ("unscreened", "passed", "failed", "network") and
              "calling_name" in c and "diagnostic_sent" in c, sw + "new fields: %r" % c)

    c = find_call(calls, "100", "in")
    check(c is not None, sw + "no report for 100")
    if c:
        check(c["messages"][:7] == ["<SETUP", ">CALL PROCEEDING", ">CONNECT",
                                    "<CONNECT ACKNOWLEDGE", "<DISCONNECT", ">RELEASE",
                                    "<RELEASE COMPLETE"], sw + "100 messages %r" % c["messages"])
        check(c["answered"] and c["cause_received"] == 16 and c["location_received"] == "U",
              sw + "100: driver's 16/U not received: %r" % c)
        check(c["calling"] == "4930555" and c["rule"]["line"] == 2, sw + "100 calling/rule: %r" % c)
        check(c["presentation"] == "allowed" and c["screening"] == "passed" and
              c["calling_name"] == ("Alice" if NAMES_TO_NET[switchtype] else None) and
              c["diagnostic_sent"] is None, sw + "100 caller identity: %r" % c)
    c = find_call(calls, "200", "in")
    check(c is not None and ">ALERTING" in c["messages"] and c["answered"] and
          c["cause_received"] == 16 and c["location_received"] == "LPN" and
          c["presentation"] == "restricted" and c["screening"] == "unscreened" and
          c["calling_name"] is None, sw + "200: %r" % c)
    c = find_call(calls, "300", "in")
    check(c is not None and not c["answered"] and ">ALERTING" not in c["messages"] and
          c["cause_sent"] == 17 and c["location_sent"] == "LN" and
          c["diagnostic_sent"] is None and c["screening"] == "unscreened" and
          ">DISCONNECT" in c["messages"], sw + "300: %r" % c)
    c = find_call(calls, "400", "in")
    check(c is not None and ">ALERTING" in c["messages"] and
          c["messages"].index(">ALERTING") < c["messages"].index(">DISCONNECT") and
          c["cause_sent"] == 21 and c["location_sent"] == "TN", sw + "400: %r" % c)
    c = find_call(calls, "500", "in")
    check(c is not None and ">PROGRESS" in c["messages"] and not c["answered"] and
          c["cause_sent"] == 1 and c["location_sent"] == "RLN", sw + "500: %r" % c)
    c = find_call(calls, "6001", "in")
    check(c is not None and c["answered"] and c["cause_sent"] == 16 and
          c["location_sent"] == "LN" and c["t_end_ms"] - c["t_answer_ms"] >= 190,
          sw + "6001: %r" % c)
    c = find_call(calls, "700", "in")
    check(c is not None and not c["answered"] and c["messages"][:3] == [
          "<SETUP", ">CALL PROCEEDING", ">DISCONNECT"] and c["cause_sent"] == 22 and
          c["location_sent"] == "LN" and c["diagnostic_sent"] == "4930777" and
          c["screening"] == "network" and c["rule"]["line"] == 8, sw + "700: %r" % c)
    c = find_call(calls, "999", "in")
    check(c is not None and c["cause_sent"] == 1 and c["location_sent"] == "INTL" and
          c["rule"]["line"] == 9, sw + "999: %r" % c)
    c = find_call(calls, "5551234", "out")
    check(c is not None and c["messages"][:1] == [">SETUP"] and c["answered"] and
          c["calling"] == "4930999" and c["presentation"] == "restricted" and
          c["screening"] == "unscreened" and c["calling_name"] is None and
          c["cause_sent"] == 16 and c["location_sent"] == "TN" and c["diagnostic_sent"] is None and
          str(c["cref"]) == crefs[0] and c["end"] == "normal", sw + "out call: %r" % c)
    c = find_call(calls, "5551235", "out")
    check(c is not None and c["calling"] == "4930998" and c["presentation"] == "allowed" and
          c["screening"] == "passed" and c["calling_name"] == "Alice" and
          c["cause_sent"] == 22 and c["location_sent"] == "LN" and
          c["diagnostic_sent"] == "4930123", sw + "out call with name: %r" % c)
    c = find_call(calls, "5551236", "out")
    check(c is not None and c["calling"] == "" and c["presentation"] == "unavailable" and
          c["screening"] == "network" and c["calling_name"] is None,
          sw + "out call without number: %r" % c)
    check(len(calls) == 11, sw + "%d call reports, want 11" % len(calls))

    with open(tap, "rb") as f:
        head = f.read(24)
    check(len(head) == 24 and head[20] == 177, sw + "tap: not a LINUX_LAPD pcap")
    tshark = shutil.which("tshark")
    if tshark:
        p = subprocess.run([tshark, "-r", tap, "-Y", "q931", "-T", "fields",
                            "-e", "q931.message_type", "-e", "q931.cause_location",
                            "-e", "q931.cause_value", "-e", "q931.cause_call.diagnostic"],
                           capture_output=True, text=True, timeout=60)
        # (bytes fields come as "7008..." or "70:08:..." depending on the tshark version)
        fields = [l.replace(":", "").split("\t") for l in p.stdout.splitlines()]
        # DISCONNECT (0x45), location 2 (LN), cause 17: the sim's rewrite on the wire.
        check(["0x45", "2", "17", ""] in fields,
              sw + "tshark does not show DISCONNECT 17 at location 2: %r" % p.stdout[:2000])
        # DISCONNECT cause 22 at LN with the new number 4930777 as a Called party number IE.
        check(["0x45", "2", "22", DIAG_700] in fields,
              sw + "tshark does not show DISCONNECT 22 with diagnostic %s: %r" %
              (DIAG_700, p.stdout[:2000]))
    else:
        print("tshark not installed: pcap decode check skipped")


def main():
    sim, cpe = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="cw-sim-")
    try:
        bad_rules(sim, tmp)
        good_rules(sim, tmp)
        # EuroISDN (the default of the bridge), then NI2, which carries names both ways.
        for i, switchtype in enumerate(["euroisdn", "ni2"]):
            out, lines, crefs, tap = drive(sim, cpe, tmp, switchtype, i == 0)
            check_run(switchtype, out, lines, crefs, tap)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%s (%d failures)" % ("FAILED" if failures else "PASSED", len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
