#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run one SIPp scenario against sip-adapter-test (stdlib only).

usage: run_sipp.py NAME SIP_ADAPTER_TEST SIPP SCENARIO_DIR

Picks free ports, starts the test program (stopped by pid with SIGTERM; its
exit status must be 0), runs sipp and checks its exit code.
"""
import os
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "tests", "e2e"))
from harness import free_port  # noqa: E402

# name: (test program args, scenario, extra sipp args)
CASES = {
    "basic": (["--ring"], "basic.xml", ["-m", "1"]),
    "busy-reason": (["--answer", "486"], "busy.xml", ["-m", "1"]),
    "cancel": (["--ring", "--answer", "0"], "cancel.xml", ["-m", "1"]),
    "lost-ack": (["--ring"], "lost_ack.xml", ["-m", "1", "-trace_msg", "-message_file", "MSG"]),
    "options": ([], "options.xml", ["-m", "3"]),
    "tcp": (["--ring"], "basic.xml", ["-m", "3", "-t", "t1"]),
    "rate": ([], "rate.xml", ["-m", "100", "-r", "50", "-l", "100"]),
}


def start_prog(prog, args):
    p = subprocess.Popen([prog, "--port", "0"] + args, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().split()
    if len(line) != 2 or line[0] != "PORT":
        p.kill()
        p.wait()
        raise RuntimeError("test program did not report its port")
    return p, int(line[1])


def stop_prog(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        return p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return -9


def sipp_cmd(sipp, scen, port, target, extra, tmp):
    return [sipp, "-sf", scen, "-i", "127.0.0.1", "-p", str(port),
            "127.0.0.1:%d" % target, "-nostdin", "-timeout", "15s", "-trace_err",
            "-error_file", os.path.join(tmp, "errors.log")] + extra


def show_errors(tmp):
    path = os.path.join(tmp, "errors.log")
    if os.path.exists(path):
        sys.stdout.write(open(path, errors="replace").read()[-4000:])


def run_uac(prog, sipp, scendir, tmp):
    """The adapter places one call to SIPp acting as UAS."""
    port = free_port()
    sp = subprocess.Popen(sipp_cmd(sipp, os.path.join(scendir, "uas.xml"), port, 9, ["-m", "1"], tmp),
                          cwd=tmp, stdout=subprocess.DEVNULL)
    try:
        import time
        time.sleep(0.3)
        r = subprocess.run([prog, "--port", "0", "--call", "sip:4930123@127.0.0.1:%d" % port,
                            "--from", "0301234", "--hold-ms", "100"],
                           stdout=subprocess.DEVNULL, timeout=20)
        src = sp.wait(timeout=20)
    finally:
        if sp.poll() is None:
            sp.kill()
            sp.wait()
    print("adapter UAC exit", r.returncode, "sipp UAS exit", src)
    if r.returncode != 0 or src != 0:
        show_errors(tmp)
        return 1
    return 0


def main():
    name, prog, sipp, scendir = sys.argv[1:5]
    prog, scendir = os.path.abspath(prog), os.path.abspath(scendir)
    with tempfile.TemporaryDirectory(prefix="cw-sipp-") as tmp:
        if name == "uac":
            return run_uac(prog, sipp, scendir, tmp)
        args, scen, extra = CASES[name]
        msgfile = os.path.join(tmp, "messages.log")
        extra = [msgfile if a == "MSG" else a for a in extra]
        p, target = start_prog(prog, args)
        try:
            r = subprocess.run(sipp_cmd(sipp, os.path.join(scendir, scen), free_port(), target, extra, tmp),
                               cwd=tmp, stdout=subprocess.DEVNULL, timeout=40)
        finally:
            rc = stop_prog(p)
        print("sipp exit", r.returncode, "test program exit", rc)
        bad = r.returncode != 0 or rc != 0
        if name == "lost-ack":
            # every received 200 for the INVITE, retransmissions included
            log = open(msgfile, errors="replace").read() if os.path.exists(msgfile) else ""
            n = sum(1 for blk in log.split("message received")
                    if "SIP/2.0 200 OK" in blk and "CSeq: 1 INVITE" in blk)
            print("200 OK for the INVITE received %d times (want >= 2)" % n)
            bad = bad or n < 2
        if bad:
            show_errors(tmp)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
