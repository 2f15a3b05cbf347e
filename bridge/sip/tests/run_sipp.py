#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run one SIPp scenario against sip-adapter-test (stdlib only).

usage: run_sipp.py NAME SIP_ADAPTER_TEST SIPP SCENARIO_DIR

Picks free ports, starts the test program (stopped by pid with SIGTERM; its
exit status must be 0), runs sipp and checks its exit code.

The tls* cases make a CA and certificates in the temp dir (tests/e2e/tls_pki.py)
and put socat in front of SIPp, whose Debian build has no TLS: SIPp speaks
TCP to socat, socat TLS to the adapter, and the other way round.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "tests", "e2e"))
from harness import free_port  # noqa: E402
import tls_pki  # noqa: E402

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


def start_prog(prog, args, tls=False):
    p = subprocess.Popen([prog, "--port", "0"] + args, stdout=subprocess.PIPE, text=True)
    ports = []
    for want in ["PORT"] + (["TLS_PORT"] if tls else []):
        line = p.stdout.readline().split()
        if len(line) != 2 or line[0] != want:
            p.kill()
            p.wait()
            raise RuntimeError("test program did not report its %s" % want)
        ports.append(int(line[1]))
    return (p,) + tuple(ports)


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


def tls_args(pki):
    return ["--tls-port", "0", "--tls-cert", pki["server_crt"], "--tls-key", pki["server_key"],
            "--tls-ca", pki["ca"]]


def run_tls_uas(prog, sipp, scendir, tmp):
    """SIPp (TCP) -> socat (TLS, client certificate) -> the adapter as UAS, which
    requires client certificates: the basic call 3 times over one connection."""
    pki = tls_pki.make_pki(tmp)
    p, _, tls_port = start_prog(prog, ["--ring", "--tls-verify-client"] + tls_args(pki), tls=True)
    relay_port = free_port()
    relay = subprocess.Popen(tls_pki.socat_tcp_to_tls(relay_port, tls_port, pki),
                             stderr=open(os.path.join(tmp, "socat.log"), "w"))
    try:
        time.sleep(0.3)
        r = subprocess.run(sipp_cmd(sipp, os.path.join(scendir, "basic.xml"), free_port(), relay_port,
                                    ["-m", "3", "-t", "t1"], tmp),
                           cwd=tmp, stdout=subprocess.DEVNULL, timeout=40)
    finally:
        rc = stop_prog(p)
        stop_prog(relay)
    print("sipp exit", r.returncode, "test program exit", rc)
    if r.returncode != 0 or rc != 0:
        show_errors(tmp)
        return 1
    return 0


def run_tls_uac(prog, sipp, scendir, tmp, cert):
    """The adapter calls sips:...@relay: socat (TLS, certificate `cert`) -> SIPp UAS
    (TCP). With the server certificate: answered and cleared over TLS. With one
    naming another host (RFC 5922 §7): a transport error, and no INVITE reaches SIPp."""
    pki = tls_pki.make_pki(tmp)
    sipp_port, relay_port = free_port(), free_port()
    msgfile = os.path.join(tmp, "messages.log")
    sp = subprocess.Popen(sipp_cmd(sipp, os.path.join(scendir, "uas_tls.xml"), sipp_port, 9,
                                   ["-m", "1", "-t", "t1", "-set", "tls_port", str(relay_port),
                                    "-trace_msg", "-message_file", msgfile], tmp),
                          cwd=tmp, stdout=subprocess.DEVNULL)
    relay = subprocess.Popen(tls_pki.socat_tls_to_tcp(relay_port, sipp_port, pki[cert + "_crt"],
                                                      pki[cert + "_key"]),
                             stderr=open(os.path.join(tmp, "socat.log"), "w"))
    try:
        time.sleep(0.4)
        r = subprocess.run([prog, "--port", "0", "--call", "sips:4930123@127.0.0.1:%d" % relay_port,
                            "--from", "0301234", "--hold-ms", "100"] + tls_args(pki),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=20)
        if cert == "server":
            src = sp.wait(timeout=20)
    finally:
        if sp.poll() is None:
            sp.kill()
            sp.wait()
        stop_prog(relay)
    log = open(msgfile, errors="replace").read() if os.path.exists(msgfile) else ""
    invites = log.count("INVITE sips:")
    print("adapter UAC exit", r.returncode, "INVITEs at SIPp", invites)
    sys.stdout.write(r.stderr[-2000:])
    if cert == "server":
        print("sipp UAS exit", src)
        ok = r.returncode == 0 and src == 0 and invites == 1
    else:
        ok = (r.returncode != 0 and invites == 0 and
              "transport error: certificate does not name 127.0.0.1" in r.stderr)
    if not ok:
        show_errors(tmp)
        return 1
    return 0


def main():
    name, prog, sipp, scendir = sys.argv[1:5]
    prog, scendir = os.path.abspath(prog), os.path.abspath(scendir)
    with tempfile.TemporaryDirectory(prefix="cw-sipp-") as tmp:
        if name == "uac":
            return run_uac(prog, sipp, scendir, tmp)
        if name == "tls":
            return run_tls_uas(prog, sipp, scendir, tmp)
        if name == "tls-uac":
            return run_tls_uac(prog, sipp, scendir, tmp, "server")
        if name == "tls-wrong-name":
            return run_tls_uac(prog, sipp, scendir, tmp, "wrong")
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
