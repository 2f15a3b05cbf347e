#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Send every RFC 4475 / RFC 5118 torture message to a running
sip-adapter-test over UDP and TCP, then check it still answers OPTIONS
(UDP and TCP) and exits cleanly on SIGTERM.

usage: torture.py SIP_ADAPTER_TEST CORPUS_DIR
CORPUS_DIR (tests/sip-torture) holds rfc4475/*.dat and rfc5118/*; a missing
or empty folder is a failure.
"""
import glob
import os
import signal
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "tests", "e2e"))
from harness import JUNK, send_both_ways  # noqa: E402


def options(port, tcp, tag):
    msg = (
        "OPTIONS sip:probe@127.0.0.1:%d SIP/2.0\r\n"
        "Via: SIP/2.0/%s 127.0.0.1:%%d;branch=z9hG4bK-probe-%s\r\n"
        "Max-Forwards: 70\r\n"
        "From: <sip:probe@127.0.0.1>;tag=p%s\r\n"
        "To: <sip:probe@127.0.0.1:%d>\r\n"
        "Call-ID: probe-%s@127.0.0.1\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Content-Length: 0\r\n\r\n" % (port, "TCP" if tcp else "UDP", tag, tag, port, tag)
    )
    if tcp:
        s = socket.create_connection(("127.0.0.1", port), timeout=3)
        s.sendall((msg % s.getsockname()[1]).encode())
        data = s.recv(65536)
        s.close()
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.settimeout(3)
        s.sendto((msg % s.getsockname()[1]).encode(), ("127.0.0.1", port))
        data, _ = s.recvfrom(65536)
        s.close()
    return data.split(b"\r\n", 1)[0]


def main():
    prog, corpus = sys.argv[1], sys.argv[2]
    rfc4475 = sorted(glob.glob(os.path.join(corpus, "rfc4475", "*.dat")))
    rfc5118 = sorted(glob.glob(os.path.join(corpus, "rfc5118", "*")))
    if not rfc4475 or not rfc5118:
        print("FAIL: no RFC 4475 or RFC 5118 messages under", corpus)
        return 1
    files = rfc4475 + rfc5118
    p = subprocess.Popen([prog, "--port", "0", "--ring", "--answer", "486"],
                         stdout=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline().split()
        port = int(line[1])
        answers = 0
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        for f in files:
            with open(f, "rb") as fh:
                answers += send_both_ways(port, fh.read(), u)
            if p.poll() is not None:
                print("FAIL: adapter died after", f, "status", p.returncode)
                return 1
        # a truncated stream, a huge header section, binary junk
        for junk in JUNK:
            send_both_ways(port, junk, u)
        time.sleep(0.1)
        if p.poll() is not None:
            print("FAIL: adapter died on junk, status", p.returncode)
            return 1
        print("sent %d messages twice, got %d answers" % (len(files), answers))
        for tcp in (False, True):
            first = options(port, tcp, "t%d" % tcp)
            print("OPTIONS over", "TCP" if tcp else "UDP", "->", first.decode(errors="replace"))
            if not first.startswith(b"SIP/2.0 200"):
                print("FAIL: no 200 for OPTIONS")
                return 1
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
        try:
            rc = p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = -9
    if rc != 0:
        print("FAIL: exit status after SIGTERM", rc)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
