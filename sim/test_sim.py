#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""causeway-pstn-sim against the libpri CPE test driver (test_sim_cpe).

Starts the simulator on a temp socket with a temp rules file, runs the
driver (one call per rule action, then one call originated by the sim over
the control socket), stops the sim by pid and checks its JSON report.
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


def main():
    sim, cpe = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="cw-sim-")
    sim_proc = cpe_proc = None
    try:
        bad_rules(sim, tmp)
        rules = os.path.join(tmp, "sim.rules")
        with open(rules, "w") as f:
            f.write(RULES)
        span = os.path.join(tmp, "span.sock")
        ctl = os.path.join(tmp, "ctl.sock")
        report = os.path.join(tmp, "report.jsonl")
        tap = os.path.join(tmp, "sim.pcap")
        sim_proc = subprocess.Popen([sim, "--span", span, "--rules", rules, "--report", report,
                                     "--control", ctl, "--tap", tap, "--switchtype", "euroisdn"])
        check(wait_for(ctl), "sim control socket did not appear")
        cpe_proc = subprocess.Popen([cpe, "-s", span, "-i", "1"], stdout=subprocess.PIPE, text=True)
        cpe_out = start_reader(cpe_proc)
        out = []
        while True:
            line = read_line(cpe_out, 15)
            if line is None:
                check(False, "driver: no outgoing-done within 15 s")
                break
            out.append(line.rstrip())
            print("driver: " + line.rstrip())
            if line.startswith("outgoing-done"):
                break
        # A call from the simulator toward the driver, cleared by command at TN.
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(ctl)
        st = ctl_cmd(s, "status")
        check(st.startswith("ok dchan up"), "status: %r" % st)
        check(ctl_cmd(s, "bogus").startswith("error unknown command"), "bogus command accepted")
        check(ctl_cmd(s, "call 12x 34").startswith("error usage"), "bad number accepted")
        r = ctl_cmd(s, "call 5551234 4930999 presentation restricted bearer speech")
        check(r.startswith("ok cref "), "call: %r" % r)
        cref = r.split()[2] if r.startswith("ok cref ") else "0"
        time.sleep(0.2)
        check(ctl_cmd(s, "hangup 77777 16").startswith("error no call"), "hangup of unknown cref")
        r = ctl_cmd(s, "hangup %s 16 location TN" % cref)
        check(r == "ok", "hangup: %r" % r)
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
        check(cpe_proc.returncode == 0, "driver exit status %s" % cpe_proc.returncode)
        check("incoming called=5551234 calling=4930999 pres=restricted" in "\n".join(out),
              "driver did not see the sim's call with restricted presentation")
        check("incoming cleared cause=16 location=TN" in out,
              "driver did not get cause 16 at TN from the sim")
        # Stop the simulator by its pid; it reports what is left and exits 0.
        os.kill(sim_proc.pid, signal.SIGTERM)
        check(sim_proc.wait(timeout=10) == 0, "sim exit status %s" % sim_proc.returncode)
        sim_proc = None
        with open(report) as f:
            lines = [json.loads(l) for l in f if l.strip()]
        for l in lines:
            print("report: " + json.dumps(l))
        check(any(l["event"] == "dchan" and l["state"] == "up" for l in lines), "no dchan up")
        calls = [l for l in lines if l["event"] == "call"]

        c = find_call(calls, "100", "in")
        check(c is not None, "no report for 100")
        if c:
            check(c["messages"][:7] == ["<SETUP", ">CALL PROCEEDING", ">CONNECT",
                                        "<CONNECT ACKNOWLEDGE", "<DISCONNECT", ">RELEASE",
                                        "<RELEASE COMPLETE"], "100 messages %r" % c["messages"])
            check(c["answered"] and c["cause_received"] == 16 and c["location_received"] == "U",
                  "100: driver's 16/U not received: %r" % c)
            check(c["calling"] == "4930555" and c["rule"]["line"] == 2, "100 calling/rule: %r" % c)
        c = find_call(calls, "200", "in")
        check(c is not None and ">ALERTING" in c["messages"] and c["answered"] and
              c["cause_received"] == 16 and c["location_received"] == "LPN",
              "200: %r" % c)
        c = find_call(calls, "300", "in")
        check(c is not None and not c["answered"] and ">ALERTING" not in c["messages"] and
              c["cause_sent"] == 17 and c["location_sent"] == "LN" and
              ">DISCONNECT" in c["messages"], "300: %r" % c)
        c = find_call(calls, "400", "in")
        check(c is not None and ">ALERTING" in c["messages"] and
              c["messages"].index(">ALERTING") < c["messages"].index(">DISCONNECT") and
              c["cause_sent"] == 21 and c["location_sent"] == "TN", "400: %r" % c)
        c = find_call(calls, "500", "in")
        check(c is not None and ">PROGRESS" in c["messages"] and not c["answered"] and
              c["cause_sent"] == 1 and c["location_sent"] == "RLN", "500: %r" % c)
        c = find_call(calls, "6001", "in")
        check(c is not None and c["answered"] and c["cause_sent"] == 16 and
              c["location_sent"] == "LN" and c["t_end_ms"] - c["t_answer_ms"] >= 190,
              "6001: %r" % c)
        c = find_call(calls, "999", "in")
        check(c is not None and c["cause_sent"] == 1 and c["location_sent"] == "INTL" and
              c["rule"]["line"] == 8, "999: %r" % c)
        c = find_call(calls, "5551234", "out")
        check(c is not None and c["messages"][:1] == [">SETUP"] and c["answered"] and
              c["calling"] == "4930999" and c["presentation"] == "restricted" and
              c["cause_sent"] == 16 and c["location_sent"] == "TN" and
              str(c["cref"]) == cref and c["end"] == "normal", "out call: %r" % c)
        check(len(calls) == 8, "%d call reports, want 8" % len(calls))

        with open(tap, "rb") as f:
            head = f.read(24)
        check(len(head) == 24 and head[20] == 177, "tap: not a LINUX_LAPD pcap")
        tshark = shutil.which("tshark")
        if tshark:
            p = subprocess.run([tshark, "-r", tap, "-Y", "q931", "-T", "fields",
                                "-e", "q931.message_type", "-e", "q931.cause_location",
                                "-e", "q931.cause_value"],
                               capture_output=True, text=True, timeout=60)
            fields = [l.split("\t") for l in p.stdout.splitlines()]
            # DISCONNECT (0x45), location 2 (LN), cause 17: the sim's rewrite on the wire.
            check(["0x45", "2", "17"] in fields,
                  "tshark does not show DISCONNECT 17 at location 2: %r" % p.stdout[:2000])
        else:
            print("tshark not installed: pcap decode check skipped")
    finally:
        for p in (cpe_proc, sim_proc):
            if p is not None and p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%s (%d failures)" % ("FAILED" if failures else "PASSED", len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
