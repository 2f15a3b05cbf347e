#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One call's RTP against SIPp -rtp_echo (stdlib only).

usage: test_rtp_sipp.py RTP_ECHO_PROBE SIPP SCENARIO

SIPp answers an INVITE with SDP (the scenario) and echoes every RTP packet
reaching its media port. This script is the UAC: it starts rtp-echo-probe
(which opens its pair and says its port), sends the INVITE with that port in
its SDP, reads the media port from SIPp's 200, ACKs, tells the probe where to
send, lets it run 2 s (tone, RFC 4733 event, playout of the echo), then sends
BYE. Passes when the probe and SIPp both exit 0. Processes are stopped by pid.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "tests", "e2e"))
from harness import free_port  # noqa: E402


def request(method, sip_port, my_port, call_id, cseq, to_tag="", body=""):
    lines = [
        "%s sip:echo@127.0.0.1:%d SIP/2.0" % (method, sip_port),
        "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-%s-%d" % (my_port, call_id[:8], cseq),
        "Max-Forwards: 70",
        "From: <sip:probe@127.0.0.1:%d>;tag=probe1" % my_port,
        "To: <sip:echo@127.0.0.1:%d>%s" % (sip_port, ";tag=" + to_tag if to_tag else ""),
        "Call-ID: %s" % call_id,
        "CSeq: %d %s" % (cseq, method),
        "Contact: <sip:probe@127.0.0.1:%d>" % my_port,
    ]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def final_response(sock, deadline):
    while time.time() < deadline:
        sock.settimeout(max(0.1, deadline - time.time()))
        try:
            data = sock.recv(65535).decode(errors="replace")
        except socket.timeout:
            break
        m = re.match(r"SIP/2.0 (\d+)", data)
        if m and int(m.group(1)) >= 200:
            return int(m.group(1)), data
    return None, ""


def stop(p):
    if p.poll() is None:
        p.kill()
    return p.wait()


def main():
    probe, sipp, scenario = sys.argv[1:4]
    with tempfile.TemporaryDirectory(prefix="cw-rtp-sipp-") as tmp:
        sip_port, media_port, my_port, rtp_base = free_port(), free_port(), free_port(), free_port()
        sp = subprocess.Popen([sipp, "-sf", os.path.abspath(scenario), "-i", "127.0.0.1",
                               "-p", str(sip_port), "-mi", "127.0.0.1", "-mp", str(media_port),
                               "-rtp_echo", "-m", "1", "-nostdin", "-timeout", "30s",
                               "-trace_err", "-error_file", os.path.join(tmp, "errors.log")],
                              cwd=tmp, stdout=subprocess.DEVNULL)
        pp = subprocess.Popen([probe, "%d-%d" % (rtp_base, min(rtp_base + 15, 65535)), "2"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.bind(("127.0.0.1", my_port))
            line = pp.stdout.readline().split()
            if len(line) != 2 or line[0] != "PORT":
                print("the probe did not say its port")
                return 1
            port = int(line[1])
            sdp = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                   "m=audio %d RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
                   "a=rtpmap:101 telephone-event/8000\r\na=ptime:20\r\n" % port)
            call_id = "rtp-echo-%d@127.0.0.1" % os.getpid()
            time.sleep(0.3)  # SIPp binding its sockets
            status = None
            for _ in range(10):  # INVITE, retransmitted until answered (RFC 3261 §17.1.1.2)
                sock.sendto(request("INVITE", sip_port, my_port, call_id, 1, body=sdp),
                            ("127.0.0.1", sip_port))
                status, resp = final_response(sock, time.time() + 0.5)
                if status:
                    break
            if status != 200:
                print("INVITE got %s" % status)
                return 1
            tag = re.search(r"^To:.*;tag=([^;\s]+)", resp, re.M | re.I).group(1)
            rport = int(re.search(r"^m=audio (\d+)", resp, re.M).group(1))
            sock.sendto(request("ACK", sip_port, my_port, call_id, 1, tag), ("127.0.0.1", sip_port))
            print("SIPp answered, media port %d, probe port %d" % (rport, port))
            out, _ = pp.communicate("REMOTE 127.0.0.1 %d\n" % rport, timeout=20)
            sys.stdout.write(out)
            sock.sendto(request("BYE", sip_port, my_port, call_id, 2, tag), ("127.0.0.1", sip_port))
            bye, _ = final_response(sock, time.time() + 5)
            src = sp.wait(timeout=20)
            print("probe exit %d, BYE %s, sipp exit %d" % (pp.returncode, bye, src))
            if pp.returncode != 0 or bye != 200 or src != 0:
                err = os.path.join(tmp, "errors.log")
                if os.path.exists(err):
                    sys.stdout.write(open(err, errors="replace").read()[-3000:])
                return 1
            return 0
        finally:
            sock.close()
            stop(pp)
            stop(sp)


if __name__ == "__main__":
    sys.exit(main())
