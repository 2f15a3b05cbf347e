#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-capture: [general] capture, one pcap file of SIP and Q.921/Q.931 (bridge/capture/README.md).

usage: e2e_capture.py CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM SIP_SCENARIOS [--causeway CLI]

One bridge with `capture = cap.pcap`, SIP over UDP and TCP, one span to causeway-pstn-sim:
  1. SIP -> ISDN over TCP (SIPp UAC), 2. ISDN -> SIP over UDP (SIPp UAS). While the bridge
     still runs (every record is flushed), tshark reads cap.pcap: each call's INVITE by its
     Call-ID (the CDR's call_id_sip; over TCP through tshark's reassembly), and on span 1,
     with the CDR's call reference, its SETUP (q931.message_type 0x05), CONNECT (0x07) and
     DISCONNECT (0x45), each in the direction the call took (sll.pkttype 4 = sent by the
     bridge, 0 = received). The same bridge has `capture_hep` pointed at a UDP socket of
     the test: every packet is HEP3, and each call's INVITE is there with its protocol
     (6 for TCP, 17 for UDP), addresses and the bridge's port. sngrep (when installed) reads
     the file without its interface and writes out both INVITEs.
  3. With socat and openssl: SIP -> ISDN over TLS (SIPp -> socat -> the TLS port): its
     INVITE is in the file as plaintext TCP to the TLS port (tshark -d tcp.port==P,sip), with
     the call's SETUP, CONNECT and DISCONNECT.
  4. SIGHUP after cap.pcap was renamed: the bridge logs the reopen, the next call lands in a
     new cap.pcap, the renamed file keeps the first call and not this one, and reads clean.
Then a second bridge with `capture_max_bytes = 4096` makes 8 calls, one after the other:
the file is rotated (rot.pcap.1 to rot.pcap.4 and no rot.pcap.5: four older files kept),
every file reads clean with none above 4096 bytes, and they hold INVITEs and SETUPs.
At the end the first bridge is stopped and its CDR file must hold a line per call (4) and
audit clean (e2e_common.finish). Exit 77 when sipp or tshark is missing."""
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
import tls_pki  # noqa: E402
from harness import port_bound  # noqa: E402

LAPD_PORT = 9921  # bridge/capture/frame.h CWCAP_LAPD_PORT
SETUP, CONNECT, DISCONNECT = 0x05, 0x07, 0x45
ROT_CALLS = 8  # about 4 KB of SIP and Q.931 each

TLS_SIP = """tls_port = {tls_port}
tls_certificate = {server_crt}
tls_private_key = {server_key}
tls_ca_file = {ca}
"""

ROUTES = """
[route to-pstn]
match = *
group = pstn
allow = 127.0.0.1

[route to-sip]
match = *
target = sip:127.0.0.1:{uas};transport=udp
"""


def capture_keys(conf, path, max_bytes=None):
    keys = "capture = %s\n" % path
    if max_bytes is not None:
        keys += "capture_max_bytes = %d\n" % max_bytes
    return conf.replace("[general]\n", "[general]\n" + keys, 1)


class Read:
    """tshark's view of a capture file: ok (exit 0, nothing on stderr but its root
    warning), and one row per record."""

    def __init__(self, tshark, path, sip_ports=()):
        # SIP on ports other than 5060 (the tests' are random) is SIP's only by heuristics,
        # which lose to a dissector registered for the port: say it
        sip = []
        for p in sip_ports:
            sip += ["-d", "udp.port==%d,sip" % p, "-d", "tcp.port==%d,sip" % p]
        r = subprocess.run([tshark, "-r", path, "-n", "-d", "udp.port==%d,lapd" % LAPD_PORT] +
                           sip + [
                            "-T", "fields", "-E", "separator=|", "-e", "frame.number",
                            "-e", "sll.pkttype", "-e", "sll.src.other", "-e", "q931.message_type",
                            "-e", "q931.call_ref", "-e", "sip.Method", "-e", "sip.Call-ID",
                            "-e", "_ws.col.Protocol", "-e", "q931.call_ref_flag",
                            "-e", "tcp.dstport"],
                           capture_output=True, text=True, timeout=60)
        err = "\n".join(l for l in r.stderr.splitlines() if "Running as user" not in l)
        self.ok = r.returncode == 0 and not err.strip()
        self.error = "exit %d: %s" % (r.returncode, err.strip())
        self.rows = [l.split("|") for l in r.stdout.splitlines() if l.strip()]

    def invites(self, call_id):
        return [r for r in self.rows if len(r) >= 7 and r[5] == "INVITE" and r[6] == call_id]

    def q931(self, span, cref, ours):
        """[(message type, pkttype)] of span's frames of call reference cref, allocated by
        the bridge (ours) or by the peer: Q.931 §4.3, the flag is 0 in the messages of the
        side that allocated the value, 1 in the other side's (both sides may use the same
        value at once)."""
        out = []
        for r in self.rows:
            if len(r) < 9 or not r[3] or not r[4]:
                continue
            if r[2].replace(":", "") != "%04x" % span:
                continue
            value = int(r[4].replace(":", ""), 16) & 0x7fff
            flag = 1 if r[8] in ("1", "True") else 0
            sent = r[1] == "4"
            if value == cref and (flag == 0) == (sent == ours):
                out.append((int(r[3], 16), int(r[1])))
        return out

    def data_rows(self):
        return [r for r in self.rows if len(r) >= 8 and r[7] in ("DATA", "Data", "IPOS")]


def check_call(read, line, label, isdn_out):
    """INVITE by Call-ID; SETUP, CONNECT, DISCONNECT of the call reference, directions:
    isdn_out (SIP -> ISDN) = the bridge sent the SETUP and received the CONNECT."""
    errors = []
    cid, cref, span = line.get("call_id_sip"), line.get("cref_isdn"), line.get("span")
    if not read.invites(cid):
        errors.append("%s: no INVITE with Call-ID %s in the capture" % (label, cid))
    msgs = read.q931(span or 0, cref if cref is not None else -1, isdn_out)
    types = [t for t, _ in msgs]
    sent, received = 4, 0
    want = {SETUP: sent if isdn_out else received, CONNECT: received if isdn_out else sent}
    for t, name in ((SETUP, "SETUP"), (CONNECT, "CONNECT"), (DISCONNECT, "DISCONNECT")):
        if t not in types:
            errors.append("%s: no %s of cref %s on span %s in the capture: %r"
                          % (label, name, cref, span, msgs))
    for t, direction in want.items():
        if t in types and (t, direction) not in msgs:
            errors.append("%s: message 0x%02x not %s by the bridge: %r"
                          % (label, t, "sent" if direction == sent else "received", msgs))
    return errors


def hep_packets(sock):
    """Every HEP3 packet waiting on sock, as dicts of chunk type -> value (vendor 0)."""
    out = []
    while True:
        try:
            data = sock.recv(65535)
        except BlockingIOError:
            return out
        if data[:4] != b"HEP3" or struct.unpack(">H", data[4:6])[0] != len(data):
            out.append({"bad": data[:16]})
            continue
        chunks, i = {}, 6
        while i + 6 <= len(data):
            vendor, ctype, clen = struct.unpack(">HHH", data[i:i + 6])
            if clen < 6 or vendor != 0:
                chunks["bad"] = data[i:i + 6]
                break
            chunks[ctype] = data[i + 6:i + clen]
            i += clen
        out.append(chunks)


def check_hep(packets, line, label, tcp, bridge_port, to_bridge):
    """The call's INVITE among the HEP3 packets: SIP (type 1) over TCP or UDP, on the bridge's
    port (destination when to_bridge, else source), from/to 127.0.0.1."""
    cid = ("Call-ID: %s\r\n" % line.get("call_id_sip")).encode()
    invites = [c for c in packets if c.get(15, b"").startswith(b"INVITE ") and cid in c[15]]
    if not invites:
        return ["HEP: %s: no INVITE with %r among %d packets" % (label, cid, len(packets))]
    c = invites[0]
    port = struct.unpack(">H", c.get(8 if to_bridge else 7, b"\0\0"))[0]
    got = (c.get(1), c.get(2), c.get(11), c.get(3), c.get(4), port)
    want = (b"\x02", bytes([6 if tcp else 17]), b"\x01", socket.inet_aton("127.0.0.1"),
            socket.inet_aton("127.0.0.1"), bridge_port)
    if got != want:
        return ["HEP: %s: INVITE chunks (family, protocol, type, src, dst, bridge port) %r, "
                "want %r" % (label, got, want)]
    return []


def sip_uac(env, sipp, port, called, label, tcp=False, calls=1):
    argv = [sipp, "-sn", "uac", "-s", called, "-i", "127.0.0.1", "-p", str(E.free_port()),
            "-m", str(calls), "-l", "1", "-nostdin", "-timeout", "30s"]
    if tcp:
        argv += ["-t", "t1"]
    p = env.spawn(label, argv + ["127.0.0.1:%d" % port])
    try:
        return p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        return None


def sngrep_invites(env, sngrep, path, sip_ports):
    """The Call-IDs of the INVITEs sngrep reads from path (-N: no interface, -O: the SIP
    packets it kept into a file of its own, read back with tshark)."""
    out = env.path("sngrep-out.pcap")
    r = subprocess.run([sngrep, "-N", "-q", "-I", path, "-O", out], capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    if r.returncode != 0 or not os.path.exists(out):
        return None
    read = Read(shutil.which("tshark"), out, sip_ports)
    return {row[6] for row in read.rows if len(row) >= 7 and row[5] == "INVITE"}


def body(env):
    bridge, sim, scen = (os.path.abspath(a) for a in sys.argv[1:4])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    sipp = E.sipp_or_skip()
    tshark = shutil.which("tshark")
    if not tshark:
        print("SKIP: tshark not found")
        sys.exit(E.SKIP)
    port, uas, tls_port, relay, hep_port = (E.free_port() for _ in range(5))
    hep = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    hep.bind(("127.0.0.1", hep_port))
    hep.setblocking(False)
    cap = env.path("cap.pcap")
    tls = bool(shutil.which("socat") and shutil.which("openssl"))
    env.spawn("uas", [sipp, "-sf", os.path.join(scen, "uas.xml"), "-p", str(uas), "-i",
                      "127.0.0.1", "-nostdin", "-m", "1", "127.0.0.1:9"])
    E.start_sim(env, sim, "span1", "default answer 100\n")
    conf = E.bridge_conf(env, port, 1, ROUTES.format(uas=uas))
    transports = "transport = udp,tcp\n"
    if tls:
        pki = tls_pki.make_pki(env.dir)
        transports = "transport = udp,tcp,tls\n" + TLS_SIP.format(tls_port=tls_port, **pki)
    else:
        print("note: no socat or openssl: SIP over TLS is not captured")
    conf = conf.replace("port = %d\n" % port, "port = %d\n" % port + transports, 1)
    conf = capture_keys(conf, cap).replace(
        "[general]\n", "[general]\ncapture_hep = 127.0.0.1:%d\n" % hep_port, 1)
    bridge_p = E.start_bridge(env, bridge, conf)
    errors = []

    # 1. SIP -> ISDN over TCP
    rc = sip_uac(env, sipp, port, "4930123", "uac-tcp", tcp=True)
    if rc != 0:
        errors.append("SIP -> ISDN over TCP: SIPp UAC exit %s (want 0)" % rc)
    if not E.wait_until(lambda: len(E.cdr_lines(env)) >= 1, 15):
        return errors + ["SIP -> ISDN: no CDR line"]
    # 2. ISDN -> SIP over UDP, cleared from ISDN
    E.isdn_call(env, "4930100", 1, 2)
    first, second = E.cdr_lines(env)[:2]

    # read while the bridge runs
    sip_ports = (port, tls_port)
    read = Read(tshark, cap, sip_ports)
    if not read.ok:
        errors.append("tshark cannot read the live capture: %s" % read.error)
    if bridge_p.poll() is not None:
        errors.append("the bridge exited before the capture was read")
    errors += check_call(read, first, "SIP -> ISDN (TCP)", isdn_out=True)
    errors += check_call(read, second, "ISDN -> SIP (UDP)", isdn_out=False)
    packets = hep_packets(hep)
    bad = [c for c in packets if "bad" in c]
    if bad:
        errors.append("HEP: %d packets not HEP3 as encoded: %r" % (len(bad), bad[:3]))
    errors += check_hep(packets, first, "SIP -> ISDN (TCP)", True, port, True)
    errors += check_hep(packets, second, "ISDN -> SIP (UDP)", False, port, False)
    if read.data_rows():
        errors.append("records tshark did not decode: %r" % read.data_rows()[:5])
    sngrep = shutil.which("sngrep")
    if sngrep:
        got = sngrep_invites(env, sngrep, cap, sip_ports)
        want = {first.get("call_id_sip"), second.get("call_id_sip")}
        if got is None or not want <= got:
            errors.append("sngrep -N -I cap.pcap: INVITEs %r, want %r among them" % (got, want))
    else:
        print("note: sngrep not installed: its reading of the file is not checked")

    ncalls = 2
    if tls:
        errors += tls_call(env, sipp, tshark, cap, relay, port, tls_port, pki)
        ncalls += 1

    # 3. logrotate's way: rename, SIGHUP, a new file
    old = env.path("cap.pcap.old")
    os.rename(cap, old)
    os.kill(bridge_p.pid, signal.SIGHUP)
    if not E.wait_until(lambda: "SIGHUP: capture file reopened" in env.read("bridge.log"), 10):
        errors.append("no 'SIGHUP: capture file reopened' in the bridge log")
    rc = sip_uac(env, sipp, port, "4930124", "uac-udp")
    if rc != 0:
        errors.append("SIP -> ISDN after SIGHUP: SIPp UAC exit %s (want 0)" % rc)
    ncalls += 1
    if not E.wait_until(lambda: len(E.cdr_lines(env)) >= ncalls, 15):
        return errors + ["after SIGHUP: no CDR line"]
    third = E.cdr_lines(env)[ncalls - 1]
    new = Read(tshark, cap, sip_ports)
    if not new.ok:
        errors.append("the capture reopened by SIGHUP: %s" % new.error)
    errors += check_call(new, third, "after SIGHUP", isdn_out=True)
    if new.invites(first.get("call_id_sip")):
        errors.append("after SIGHUP: the new file holds the first call's INVITE too")
    renamed = Read(tshark, old, sip_ports)
    if not renamed.ok or not renamed.invites(first.get("call_id_sip")) or \
            renamed.invites(third.get("call_id_sip")):
        errors.append("the renamed file: ok %s, want the first call and not the third"
                      % renamed.ok)
    errors += rotation(env, bridge, sim, sipp, tshark)
    if not errors:
        print("records: %d before SIGHUP, %d after; calls %s, %s, %s found"
              % (len(read.rows), len(new.rows), first.get("call_id_sip"),
                 second.get("call_id_sip"), third.get("call_id_sip")))
    return errors + E.finish(env, bridge_p, ncalls, CAUSEWAY)


def tls_call(env, sipp, tshark, cap, relay, bridge_port, tls_port, pki):
    """SIP -> ISDN over TLS (SIPp -> socat -> the TLS port): the INVITE as plaintext TCP
    to the TLS port, found by its Call-ID with SIP decoded there."""
    env.spawn("relay", tls_pki.socat_tcp_to_tls(relay, tls_port, pki, cert=False))
    E.wait_until(lambda: port_bound(relay, tcp=True), 5)
    n = len(E.cdr_lines(env))
    rc = sip_uac(env, sipp, relay, "4930126", "uac-tls", tcp=True)
    if rc != 0:
        return ["SIP -> ISDN over TLS: SIPp UAC exit %s (want 0)" % rc]
    if not E.wait_until(lambda: len(E.cdr_lines(env)) > n, 15):
        return ["SIP -> ISDN over TLS: no CDR line"]
    line = E.cdr_lines(env)[n]
    read = Read(tshark, cap, (bridge_port, tls_port))
    errors = check_call(read, line, "SIP -> ISDN (TLS)", isdn_out=True)
    to_tls = [r for r in read.invites(line.get("call_id_sip")) if len(r) >= 10 and
              r[9] == str(tls_port)]
    if not to_tls:
        errors.append("SIP -> ISDN (TLS): the INVITE is not TCP to the TLS port %d" % tls_port)
    return errors


def rotation(env, bridge, sim, sipp, tshark):
    """A second bridge (its own span and CDR file) with capture_max_bytes = 4096: ROT_CALLS
    calls one after the other, more than six files' worth."""
    errors = []
    port = E.free_port()
    rot = env.path("rot.pcap")
    E.start_sim(env, sim, "rot", "default answer 100\n")
    conf = E.bridge_conf(env, port, 1, ROUTES.format(uas=9))
    conf = conf.replace("span1.sock", "rot.sock").replace("cdr.jsonl", "rot-cdr.jsonl")
    env.write("rot.conf", capture_keys(conf, rot, 4096))
    p = env.spawn("rot-bridge", [bridge, "-c", env.path("rot.conf")])
    if not E.wait_until(lambda: p.poll() is not None or
                        re.search(r"notice: ready$", env.read("rot-bridge.log"), re.M), 20):
        return ["rotation: the second bridge is not ready"]
    rc = sip_uac(env, sipp, port, "4930125", "uac-rot", calls=ROT_CALLS)
    if rc != 0:
        errors.append("rotation: SIPp UAC exit %s (want 0)" % rc)
    if not E.wait_until(lambda: len(env.read("rot-cdr.jsonl").splitlines()) >= ROT_CALLS, 15):
        errors.append("rotation: not a CDR line per call")
    files = [rot] + ["%s.%d" % (rot, k) for k in range(1, 5)]
    present = [f for f in files if os.path.exists(f)]
    if present != files:
        errors.append("rotation: %r after %d calls at capture_max_bytes 4096, want rot.pcap "
                      "and rot.pcap.1 to .4" % ([os.path.basename(f) for f in present], ROT_CALLS))
    if os.path.exists(rot + ".5"):
        errors.append("rotation: rot.pcap.5 exists (four older files are kept)")
    invites, setups = 0, 0
    for f in present:
        size = os.path.getsize(f)
        if size > 4096:
            errors.append("rotation: %s has %d bytes, above capture_max_bytes" % (f, size))
        r = Read(tshark, f, (port,))
        if not r.ok:
            errors.append("rotation: %s does not read clean: %s" % (os.path.basename(f), r.error))
        invites += sum(1 for row in r.rows if len(row) >= 6 and row[5] == "INVITE")
        setups += sum(1 for row in r.rows if len(row) >= 4 and row[3] == "0x05")
    if not invites or not setups:
        errors.append("rotation: %d INVITEs and %d SETUPs in %r, want the call's"
                      % (invites, setups, [os.path.basename(f) for f in present]))
    try:
        os.kill(p.pid, signal.SIGTERM)
        if p.wait(timeout=15) != 0:
            errors.append("rotation: the second bridge exited with %s" % p.returncode)
    except subprocess.TimeoutExpired:
        errors.append("rotation: the second bridge did not stop on SIGTERM")
    return errors


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-capture", body))
