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


def answered_over_tls(what, line, relay, uas_p):
    """The call went to the TLS relay alone and was answered; its SIPp UAS saw it through."""
    errors = []
    got = [(a.get("target"), a.get("status")) for a in line.get("routes_tried", [])]
    if got != [("127.0.0.1:%d" % relay, 200)]:
        errors.append("%s: routes_tried %r, want the sips: target, 200" % (what, got))
    rc = wait_exit(uas_p, 15)
    if rc != 0:
        errors.append("%s: SIPp UAS exit %s (want 0: INVITE, ACK, BYE over TLS)" % (what, rc))
    return errors


def refused_then_plain(env, what, line, relay, plain, name, messages):
    """The TLS target was refused after the handshake (its certificate does not name
    `name`, logged), no INVITE reached its SIPp, and the plain target answered."""
    errors = []
    got = [a.get("target") for a in line.get("routes_tried", [])]
    if got != ["127.0.0.1:%d" % relay, "127.0.0.1:%d" % plain]:
        errors.append("%s: routes_tried targets %r, want the sips: one, then the plain one"
                      % (what, got))
    if not line.get("answered"):
        errors.append("%s: the call was not answered by the second target: %r" % (what, line))
    if not re.search(r"INVITE not sent: certificate does not name %s \(RFC 5922" % re.escape(name),
                     env.read("bridge.log")):
        errors.append("%s: no log line saying the certificate does not name %s" % (what, name))
    if "INVITE sips:" in env.read(messages):
        errors.append("%s: an INVITE reached the SIPp behind that certificate" % what)
    return errors


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
    errors += answered_over_tls("ISDN -> SIP over TLS", second, relay_ok, uas_ok_p)
    # 3. a certificate for another name: refused, failover to the plain target
    third = isdn_call(env, 3, "4930200")
    errors += refused_then_plain(env, "wrong name", third, relay_wrong, plain, "127.0.0.1",
                                 "uas-wrong-messages.log")
    # 4. by name: the certificate must name the target's host, not the address found
    fourth = isdn_call(env, 4, "4930300")
    errors += answered_over_tls("by name (sips:tls.causeway.test)", fourth, relay_named,
                                uas_named_p)
    fifth = isdn_call(env, 5, "4930400")
    errors += refused_then_plain(env, "other name", fifth, relay_alt, plain2,
                                 "alt.causeway.test", "uas-alt-messages.log")
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
