#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-tls: SIP over TLS through the bridge (RFC 3261 §26.3.1, RFC 5630, RFC 5922).

usage: e2e_tls.py CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM SIP_SCENARIO_DIR [--causeway CLI]

A CA and certificates are made in the temp dir with the openssl command
(tls_pki.py). Debian's SIPp has no TLS, so socat carries it: SIPp speaks TCP to
socat, socat TLS to the bridge, and the other way round. The bridge serves
udp,tcp,tls and requires client certificates (tls_verify_client = yes).

1. SIP -> ISDN: SIPp's built-in UAC -> socat (client certificate) -> the bridge's
   TLS port -> the simulator, which answers; SIPp sends BYE: answered and cleared.
2. ISDN -> SIP: the simulator calls a route whose target is sips:127.0.0.1:RELAY;
   socat presents the server certificate (naming 127.0.0.1) in front of a SIPp UAS:
   answered over TLS, then cleared from ISDN (the BYE goes to the sips: Contact).
3. A route whose first target's certificate names another host (RFC 5922 §7):
   the bridge refuses it after the handshake, logs why, no INVITE reaches that
   SIPp, and the call fails over to the route's second target (plain UDP).
4. Targets given by host name, located by the test's dnsmasq ([sip] dns_servers,
   A records to 127.0.0.1): sips:tls.causeway.test:RELAY, whose certificate names
   that name only, is answered (the name, not the address found, is checked and
   sent as SNI: RFC 5922 §4.1, §7); sips:alt.causeway.test:RELAY, whose certificate
   names 127.0.0.1 (the address found) but not alt.causeway.test, is refused and
   the call fails over to its plain second target.

At the end the bridge is stopped and its CDR file must hold a line per call
and audit clean (e2e_common.finish). Exit 77 when sipp, socat, openssl or dnsmasq
is missing."""
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
import tls_pki  # noqa: E402
from local_dns import dnsmasq_or_skip, start_dnsmasq  # noqa: E402

TLS_SIP = """transport = udp,tcp,tls
tls_port = {tls_port}
tls_certificate = {server_crt}
tls_private_key = {server_key}
tls_ca_file = {ca}
tls_verify_client = yes
"""

ROUTES = """
[route to-pstn]
match = *
group = pstn
allow = 127.0.0.1

[route to-sip-tls]
match = 4930100
target = sips:127.0.0.1:{relay_ok}

[route to-sip-wrong-name]
match = 4930200
target = sips:127.0.0.1:{relay_wrong}
target = sip:127.0.0.1:{plain};transport=udp

[route to-sip-by-name]
match = 4930300
target = sips:tls.causeway.test:{relay_named}

[route to-sip-by-other-name]
match = 4930400
target = sips:alt.causeway.test:{relay_alt}
target = sip:127.0.0.1:{plain2};transport=udp
"""


def isdn_call(env, n, called):
    """The n-th call (the first came from SIP: n - 1 answers to the bridge's INVITEs)."""
    return E.isdn_call(env, called, n - 1, n)


def wait_exit(p, timeout):
    try:
        return p.wait(timeout=timeout)
    except Exception:
        return None


def body(env):
    bridge, sim, scen = (os.path.abspath(a) for a in sys.argv[1:4])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    sipp = E.sipp_or_skip()
    for tool in ("socat", "openssl"):
        if not shutil.which(tool):
            print("SKIP: %s not found" % tool)
            sys.exit(E.SKIP)
    dnsmasq = dnsmasq_or_skip()
    pki = tls_pki.make_pki(env.dir)
    port, tls_port, relay_in, relay_ok, relay_wrong, uas_ok, uas_wrong, plain = (
        E.free_port() for _ in range(8))
    relay_named, uas_named, relay_alt, uas_alt, plain2, dns_port = (
        E.free_port() for _ in range(6))
    common = ["-i", "127.0.0.1", "-nostdin", "-timeout", "30s"]

    # the targets: SIPp UASes behind TLS relays, and a plain UDP one
    uas_ok_p = env.spawn("uas-tls", [sipp, "-sf", os.path.join(scen, "uas_tls.xml"), "-t", "t1",
                                     "-set", "tls_port", str(relay_ok), "-p", str(uas_ok), "-m", "1",
                                     "127.0.0.1:9"] + common)
    env.spawn("uas-wrong", [sipp, "-sf", os.path.join(scen, "uas_tls.xml"), "-t", "t1",
                            "-set", "tls_port", str(relay_wrong), "-p", str(uas_wrong),
                            "-trace_msg", "-message_file", env.path("uas-wrong-messages.log"),
                            "127.0.0.1:9"] + common)
    env.spawn("uas-plain", [sipp, "-sf", os.path.join(scen, "uas.xml"), "-p", str(plain), "-m", "1",
                            "127.0.0.1:9"] + common)
    uas_named_p = env.spawn("uas-named", [sipp, "-sf", os.path.join(scen, "uas_tls.xml"), "-t",
                                           "t1", "-set", "tls_port", str(relay_named), "-p",
                                           str(uas_named), "-m", "1", "127.0.0.1:9"] + common)
    env.spawn("uas-alt", [sipp, "-sf", os.path.join(scen, "uas_tls.xml"), "-t", "t1",
                          "-set", "tls_port", str(relay_alt), "-p", str(uas_alt),
                          "-trace_msg", "-message_file", env.path("uas-alt-messages.log"),
                          "127.0.0.1:9"] + common)
    env.spawn("uas-plain2", [sipp, "-sf", os.path.join(scen, "uas.xml"), "-p", str(plain2), "-m",
                             "1", "127.0.0.1:9"] + common)
    time.sleep(0.3)
    env.spawn("relay-named", tls_pki.socat_tls_to_tcp(relay_named, uas_named, pki["named_crt"],
                                                      pki["named_key"]))
    env.spawn("relay-alt", tls_pki.socat_tls_to_tcp(relay_alt, uas_alt, pki["server_crt"],
                                                    pki["server_key"]))
    start_dnsmasq(env, dnsmasq, dns_port, ["--host-record=tls.causeway.test,127.0.0.1",
                                           "--host-record=alt.causeway.test,127.0.0.1"])
    env.spawn("relay-ok", tls_pki.socat_tls_to_tcp(relay_ok, uas_ok, pki["server_crt"],
                                                   pki["server_key"]))
    env.spawn("relay-wrong", tls_pki.socat_tls_to_tcp(relay_wrong, uas_wrong, pki["wrong_crt"],
                                                      pki["wrong_key"]))
    E.start_sim(env, sim, "span1", "default answer 100\n")
    conf = E.bridge_conf(env, port, 1, ROUTES.format(
        relay_ok=relay_ok, relay_wrong=relay_wrong, plain=plain, relay_named=relay_named,
        relay_alt=relay_alt, plain2=plain2))
    conf = conf.replace("port = %d\n" % port, "port = %d\ndns_servers = 127.0.0.1:%d\n" % (
        port, dns_port) + TLS_SIP.format(tls_port=tls_port, **pki), 1)
    bridge_p = E.start_bridge(env, bridge, conf)
    errors = []
    log = env.read("bridge.log")
    for want in (r"notice: sip: listening on 127\.0\.0\.1:%d \(udp,tcp\)$" % port,
                 r"notice: sip: listening on 127\.0\.0\.1:%d \(tls\)$" % tls_port):
        if not re.search(want, log, re.M):
            errors.append("bridge log: no line /%s/" % want)

    # 1. SIP -> ISDN over TLS, with a client certificate
    env.spawn("relay-in", tls_pki.socat_tcp_to_tls(relay_in, tls_port, pki))
    time.sleep(0.3)
    uac = env.spawn("uac", [sipp, "-sn", "uac", "-s", "4930123", "-t", "t1", "-p", str(E.free_port()),
                            "-m", "1", "127.0.0.1:%d" % relay_in] + common)
    rc = wait_exit(uac, 40)
    if rc != 0:
        errors.append("SIP -> ISDN over TLS: SIPp UAC exit %s (want 0: answered, BYE, 200)" % rc)
    if not E.wait_until(lambda: len(E.cdr_lines(env)) >= 1, 15):
        return errors + ["SIP -> ISDN over TLS: no CDR line"]
    first = E.cdr_lines(env)[0]
    if not first.get("answered"):
        errors.append("SIP -> ISDN over TLS: not answered: %r" % first)

    # 2. ISDN -> SIP to a sips: target whose certificate names 127.0.0.1
    second = isdn_call(env, 2, "4930100")
    got = [(a.get("target"), a.get("status")) for a in second.get("routes_tried", [])]
    if got != [("127.0.0.1:%d" % relay_ok, 200)]:
        errors.append("ISDN -> SIP over TLS: routes_tried %r, want the sips: target, 200" % got)
    rc = wait_exit(uas_ok_p, 15)
    if rc != 0:
        errors.append("ISDN -> SIP over TLS: SIPp UAS exit %s (want 0: INVITE, ACK, BYE over TLS)"
                      % rc)

    # 3. a certificate for another name: refused, failover to the plain target
    third = isdn_call(env, 3, "4930200")
    got = [a.get("target") for a in third.get("routes_tried", [])]
    if got != ["127.0.0.1:%d" % relay_wrong, "127.0.0.1:%d" % plain]:
        errors.append("wrong name: routes_tried targets %r, want the sips: one, then the plain one"
                      % got)
    if not third.get("answered"):
        errors.append("wrong name: the call was not answered by the second target: %r" % third)
    log = env.read("bridge.log")
    if not re.search(r"INVITE not sent: certificate does not name 127\.0\.0\.1", log):
        errors.append("wrong name: no log line saying why the TLS target was refused")
    if "INVITE sips:" in env.read("uas-wrong-messages.log"):
        errors.append("wrong name: an INVITE reached the SIPp behind the wrong certificate")

    # 4. by name: the certificate must name the target's host, not the address found
    fourth = isdn_call(env, 4, "4930300")
    got = [(a.get("target"), a.get("status")) for a in fourth.get("routes_tried", [])]
    if got != [("127.0.0.1:%d" % relay_named, 200)]:
        errors.append("by name: routes_tried %r, want sips:tls.causeway.test, 200" % got)
    rc = wait_exit(uas_named_p, 15)
    if rc != 0:
        errors.append("by name: SIPp UAS exit %s (want 0: INVITE, ACK, BYE over TLS)" % rc)
    fifth = isdn_call(env, 5, "4930400")
    got = [a.get("target") for a in fifth.get("routes_tried", [])]
    if got != ["127.0.0.1:%d" % relay_alt, "127.0.0.1:%d" % plain2]:
        errors.append("other name: routes_tried targets %r, want the sips: one, then the plain one"
                      % got)
    if not fifth.get("answered"):
        errors.append("other name: the call was not answered by the second target: %r" % fifth)
    if not re.search(r"INVITE not sent: certificate does not name alt\.causeway\.test",
                     env.read("bridge.log")):
        errors.append("other name: no log line saying the certificate lacks alt.causeway.test")
    if "INVITE sips:" in env.read("uas-alt-messages.log"):
        errors.append("other name: an INVITE reached the SIPp behind that certificate")
    if not errors:
        print("SIP->ISDN: %r\nISDN->SIP: %r\nwrong name: %r\nby name: %r\nother name: %r" % (
            first.get("answered"), second["routes_tried"], third["routes_tried"],
            fourth["routes_tried"], fifth["routes_tried"]))
    return errors + E.finish(env, bridge_p, 5, CAUSEWAY)


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-tls", body))
