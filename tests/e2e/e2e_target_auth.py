#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-target-auth: digest authentication toward SIP targets (RFC 3261 §22.2, §22.3).

usage: e2e_target_auth.py CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

Three ISDN -> SIP routes, each with target_user / target_secret, each to a SIPp UAS:

1. the UAS answers the INVITE 401 (WWW-Authenticate, MD5, qop=auth); the bridge ACKs it
   (same branch, RFC 3261 §17.1.1.3) and sends the INVITE again with Authorization
   (CSeq + 1, same Call-ID and From tag, another branch); SIPp's <verifyauth> checks the
   password; 180, 200, the call is answered through the simulator and cleared;
2. the same with 407 and Proxy-Authorization, the 407 offering SHA-256 first and MD5 second
   (RFC 8760 §2.4): SHA-256 is answered (SIPp's <verifyauth> reads Authorization only, and
   MD5 only, so the test recomputes the trace's SHA-256 response itself);
3. the route's secret is wrong: the UAS challenges again; exactly one retry, then the
   401 is final and the simulator's call gets DISCONNECT cause 21 (RFC 3398 §8.2.6.1);
4. 401, the INVITE with credentials, 180, then the ISDN caller hangs up: the CANCEL is the
   resent INVITE's (its branch and CSeq number, RFC 3261 §9.1), 200 + 487 + ACK.

At the end the CDR holds a line per call and audits clean (e2e_common.finish).
Exit 77 when sipp is missing."""
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402

USER, SECRET = "gw-trunk", "s3cret pass"

SDP = """v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8
      a=rtpmap:8 PCMA/8000
"""


def send(status, tag=None, headers=(), sdp=False, cseq="[last_CSeq:]"):
    """A SIPp <send> of a response to the last request: STATUS, To with ;tag=TAG (None: as
    received), the headers, an SDP answer if asked."""
    lines = ["SIP/2.0 " + status, "[last_Via:]", "[last_From:]",
             "[last_To:]" + (";tag=[pid]SIPp%s[call_number]" % tag if tag else ""),
             "[last_Call-ID:]", cseq] + list(headers)
    if sdp:
        lines += ["Content-Type: application/sdp", "Content-Length: [len]", "", SDP]
    else:
        lines += ["Content-Length: 0", ""]
    return ('  <send%s>\n    <![CDATA[\n\n%s\n    ]]>\n  </send>\n'
            % (' retrans="500"' if sdp else "", "\n".join("      " + l if l else "" for l in lines)))


CONTACT = "Contact: <sip:[local_ip]:[local_port]>"


def challenge(status, header, realm, nonce, algorithms=("MD5",)):
    """A 401/407 with one challenge per algorithm (RFC 8760 §2.4: the preferred first), and
    the ACK for it."""
    return send(status, "Tag01", ['%s: Digest realm="%s", nonce="%s", opaque="op-1", '
                                  'algorithm=%s, qop="auth"' % (header, realm, nonce, alg)
                                  for alg in algorithms]) + \
        '  <recv request="ACK"/>\n'


RINGING = send("180 Ringing", "Tag02", [CONTACT])
ANSWER = (RINGING + send("200 OK", "Tag02", [CONTACT], sdp=True) +
          '  <recv request="ACK"/>\n  <recv request="BYE"/>\n' + send("200 OK"))
REFUSE = send("403 Forbidden", "Tag02") + '  <recv request="ACK"/>\n'


def scenario(name, body):
    return ('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="%s">\n'
            '  <recv request="INVITE"/>\n%s\n  <pause milliseconds="100"/>\n</scenario>\n'
            % (name, body))



# 1: 401, then the INVITE with Authorization checked by SIPp itself
UAS_401 = scenario("uas-401", challenge("401 Unauthorized", "WWW-Authenticate",
                                        "trunk.example.net", "n401") + """
  <recv request="INVITE">
    <action>
      <verifyauth assign_to="authvalid" username="%s" password="%s"/>
    </action>
  </recv>
  <nop hide="true" test="authvalid" next="good"/>
%s
  <nop hide="true" next="end"/>
  <label id="good"/>
%s
  <label id="end"/>
""" % (USER, SECRET, REFUSE, ANSWER))

# 2: 407 offering SHA-256 first, MD5 second; the INVITE must carry Proxy-Authorization
# (checked here, and its SHA-256 response by the test)
UAS_407 = scenario("uas-407", challenge("407 Proxy Authentication Required",
                                        "Proxy-Authenticate", "proxy.example.net", "n407",
                                        ("SHA-256", "MD5")) + """
  <recv request="INVITE">
    <action>
      <ereg regexp="Digest .*username=.%s" search_in="hdr" header="Proxy-Authorization:"
            check_it="true" assign_to="pa"/>
    </action>
  </recv>
  <Reference variables="pa"/>
%s
""" % (USER, ANSWER))

# 3: the secret is wrong: challenged again; a third INVITE must never come
UAS_WRONG = scenario("uas-wrong", challenge("401 Unauthorized", "WWW-Authenticate",
                                            "trunk.example.net", "nw1") + """
  <recv request="INVITE">
    <action>
      <ereg regexp="Digest .*nonce=.nw1" search_in="hdr" header="Authorization:"
            check_it="true" assign_to="a"/>
    </action>
  </recv>
  <Reference variables="a"/>
""" + challenge("401 Unauthorized", "WWW-Authenticate", "trunk.example.net", "nw2") + """
  <pause milliseconds="1000"/>
""")

# 4: ringing after the resent INVITE, then CANCELled
UAS_CANCEL = scenario("uas-cancel", challenge("401 Unauthorized", "WWW-Authenticate",
                                             "trunk.example.net", "nc1") +
                      '  <recv request="INVITE"/>\n' + RINGING + '  <recv request="CANCEL"/>\n' +
                      send("200 OK") +
                      send("487 Request Terminated", "Tag02", cseq="CSeq: [last_cseq_number] INVITE") +
                      '  <recv request="ACK"/>\n')

ROUTES = """
[route to-pstn]
match = *
group = pstn
allow = 127.0.0.1

[route auth-401]
match = 4930201
target = sip:127.0.0.1:{p1};transport=udp
target_user = {user}
target_secret = {secret}

[route auth-407]
match = 4930202
target = sip:127.0.0.1:{p2};transport=udp
target_user = {user}
target_secret = {secret}

[route auth-wrong]
match = 4930203
target = sip:127.0.0.1:{p3};transport=udp
target_user = {user}
target_secret = wrong

[route auth-cancel]
match = 4930204
target = sip:127.0.0.1:{p4};transport=udp
target_user = {user}
target_secret = {secret}
"""


def invites(text):
    """The INVITE requests of a SIPp message log, each as its text."""
    return [m for m in re.split(r"\n(?=-{10,})", text) if re.search(r"^INVITE sip:", m, re.M)]


def header(msg, name):
    m = re.search(r"^%s:\s*(.*)$" % name, msg, re.M | re.I)
    return m.group(1).strip() if m else None


def params(value):
    return dict((k.lower(), v1 or v2) for k, v1, v2 in
                re.findall(r'(\w+)=(?:"([^"]*)"|([^\s,]+))', value))


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def sha256(s):
    return hashlib.sha256(s.encode()).hexdigest()


def check_resent(name, log, hname, errors):
    """Two INVITEs: the second one with CSeq + 1, the same Call-ID and From tag, another
    branch and the hname credentials (RFC 3261 §22.2, §8.1.3.5); returns its params."""
    inv = invites(log)
    if len(inv) != 2:
        errors.append("%s: %d INVITEs at the UAS, want 2" % (name, len(inv)))
        return {}
    a, b = inv
    cs = [int(header(m, "CSeq").split()[0]) for m in (a, b)]
    if cs[1] != cs[0] + 1:
        errors.append("%s: CSeq %r, want +1" % (name, cs))
    if header(a, "Call-ID") != header(b, "Call-ID"):
        errors.append("%s: the Call-ID changed" % name)
    tag = [re.search(r"tag=([^;>\s]+)", header(m, "From") or "") for m in (a, b)]
    if not all(tag) or tag[0].group(1) != tag[1].group(1):
        errors.append("%s: the From tag changed" % name)
    br = [re.search(r"branch=([^;\s]+)", header(m, "Via") or "") for m in (a, b)]
    if not all(br) or br[0].group(1) == br[1].group(1):
        errors.append("%s: the resent INVITE has the same branch" % name)
    if header(a, hname):
        errors.append("%s: the first INVITE already had %s" % (name, hname))
    # RFC 3261 §17.1.1.3: the ACK for the 401/407 is the first INVITE's transaction's
    acks = [m for m in re.split(r"\n(?=-{10,})", log) if re.search(r"^ACK sip:", m, re.M)]
    if not acks or header(acks[0], "Via") != header(a, "Via") or \
            header(acks[0], "CSeq") != "%d ACK" % cs[0] or \
            "tag=" not in (header(acks[0], "To") or ""):
        errors.append("%s: the ACK for the challenge %r is not the first INVITE's (same Via, "
                      "CSeq %d ACK, the challenge's To tag)" % (name, acks[:1], cs[0]))
    cred = header(b, hname)
    if not cred:
        errors.append("%s: no %s in the second INVITE" % (name, hname))
        return {}
    return params(cred)


def body(env):
    bridge, sim = (os.path.abspath(a) for a in sys.argv[1:3])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    sipp = E.sipp_or_skip()
    port, p1, p2, p3, p4 = (E.free_port() for _ in range(5))
    uas = []
    for n, (p, text) in enumerate(((p1, UAS_401), (p2, UAS_407), (p3, UAS_WRONG),
                                   (p4, UAS_CANCEL)), 1):
        env.write("uas%d.xml" % n, text)
        uas.append(env.spawn("uas%d" % n, [
            sipp, "-sf", env.path("uas%d.xml" % n), "-p", str(p), "-m", "1", "-i", "127.0.0.1",
            "-nostdin", "-trace_msg", "-message_file", env.path("uas%d-msg.log" % n),
            "127.0.0.1:%d" % port]))
    E.start_sim(env, sim, "span1", "default answer 100\n")
    conf = E.bridge_conf(env, port, 1, ROUTES.format(p1=p1, p2=p2, p3=p3, p4=p4, user=USER,
                                                     secret=SECRET))
    bridge_p = E.start_bridge(env, bridge, conf)
    errors = []

    # 1 and 2: answered after the challenge
    for n, called in ((1, "4930201"), (2, "4930202")):
        line = E.isdn_call(env, called, n, n)
        if not line.get("answered") or line.get("sip_status") != 200:
            errors.append("call %s: not answered with 200: %r" % (called, line))
        rc = exit_status(uas[n - 1])
        if rc != 0:
            errors.append("call %s: SIPp UAS exit %s (want 0: credentials verified, answered, "
                          "BYE)" % (called, rc))
    p = check_resent("401", env.read("uas1-msg.log"), "Authorization", errors)
    if p and (p.get("username") != USER or p.get("realm") != "trunk.example.net" or
              p.get("qop") != "auth" or p.get("nc") != "00000001" or p.get("opaque") != "op-1"):
        errors.append("401: Authorization %r" % p)
    p = check_resent("407", env.read("uas2-msg.log"), "Proxy-Authorization", errors)
    if p:
        # RFC 7616 §3.4.1 with SHA-256 (RFC 8760): the first challenge offered
        ha1 = sha256("%s:%s:%s" % (USER, "proxy.example.net", SECRET))
        ha2 = sha256("INVITE:%s" % p.get("uri"))
        want = sha256(":".join((ha1, p.get("nonce", ""), p.get("nc", ""), p.get("cnonce", ""),
                                "auth", ha2)))
        if p.get("nonce") != "n407" or p.get("algorithm") != "SHA-256" or \
                p.get("response") != want or \
                not (p.get("uri") or "").startswith("sip:4930202@127.0.0.1:%d" % p2):
            errors.append("407: Proxy-Authorization %r does not answer the challenge "
                          "(want response %s)" % (p, want))

    # 3: the wrong secret: one retry, then cause 21 toward ISDN
    r = E.sim_cmd(env, "span1-ctl.sock", "call 4930203 4930999")
    if not r.startswith("ok"):
        errors.append("sim call: %r" % r)
    E.wait_until(lambda: len(E.cdr_lines(env)) >= 3, 15)
    calls = [c for c in E.sim_calls(env, "span1") if c.get("called") == "4930203"]
    if not calls or calls[-1].get("cause_received") != 21 or \
            "<DISCONNECT" not in calls[-1].get("messages", []):
        errors.append("wrong secret: the simulator's call %r, want DISCONNECT cause 21" %
                      (calls[-1] if calls else None))
    rc = exit_status(uas[2])
    if rc != 0:
        errors.append("wrong secret: SIPp UAS exit %s (want 0)" % rc)
    inv = invites(env.read("uas3-msg.log"))
    if len(inv) != 2:
        errors.append("wrong secret: %d INVITEs at the UAS, want 2 (exactly one retry)" % len(inv))
    lines = E.cdr_lines(env)
    if len(lines) >= 3 and (lines[2].get("sip_status") != 401 or lines[2].get("answered")):
        errors.append("wrong secret: CDR %r, want sip_status 401, not answered" % lines[2])
    errors += cancel_call(env, uas[3])
    log = env.read("bridge.log")
    sent = re.findall(r"call \d+: (\d+): INVITE sent again with credentials "
                      r"\[sip 127\.0\.0\.1:\d+/udp\]$", log, re.M)
    if sent != ["401", "407", "401", "401"]:
        errors.append("'INVITE sent again with credentials' lines for %r, want 401, 407, 401 "
                      "(the wrong secret once), 401" % sent)
    if SECRET in log or "s3cret" in log:
        errors.append("the secret is in the bridge log")
    if not errors:
        print("401 and 407 answered with credentials; the wrong secret: 2 INVITEs, cause 21")
    return errors + E.finish(env, bridge_p, 4, CAUSEWAY)


def exit_status(p, timeout=10):
    """p's exit status, None when it has not exited within timeout seconds."""
    try:
        return p.wait(timeout=timeout)
    except Exception:
        return None


def cancel_call(env, uas4):
    """Call 4: the ISDN caller hangs up while the resent INVITE rings: its CANCEL."""
    errors = []
    r = E.sim_cmd(env, "span1-ctl.sock", "call 4930204 4930999")
    m = re.match(r"ok cref (\d+)", r)
    if not m:
        return ["sim call: %r" % r]
    if not E.wait_until(lambda: len(re.findall(r"call \d+: SIP_1XX: ",
                                               env.read("bridge.log"))) >= 3, 15):
        return ["call 4930204: no 180 after the resent INVITE"]
    E.sim_cmd(env, "span1-ctl.sock", "hangup %s 16" % m.group(1))
    rc = exit_status(uas4)
    if rc != 0:
        errors.append("cancel: SIPp UAS exit %s (want 0: 401, INVITE, 180, CANCEL, 487)" % rc)
    log = env.read("uas4-msg.log")
    inv = invites(log)
    can = [x for x in re.split(r"\n(?=-{10,})", log) if re.search(r"^CANCEL sip:", x, re.M)]
    if len(inv) != 2 or len(can) != 1:
        return errors + ["cancel: %d INVITEs and %d CANCELs, want 2 and 1" % (len(inv), len(can))]
    via = [header(x, "Via") for x in (inv[1], can[0])]
    cseq = [header(x, "CSeq").split()[0] for x in (inv[1], can[0])]
    if via[0] != via[1] or cseq[0] != cseq[1]:
        errors.append("cancel: the CANCEL (Via %r, CSeq %s) is not the resent INVITE's "
                      "(Via %r, CSeq %s)" % (via[1], cseq[1], via[0], cseq[0]))
    if not E.wait_until(lambda: len(E.cdr_lines(env)) >= 4, 15):
        errors.append("cancel: no CDR line")
    return errors


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-target-auth", body))
