#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e_metrics.py metrics --bridge EXE --sim EXE --sipp EXE [--causeway EXE]

[general] metrics (docs/metrics.md), scraped from outside with urllib while
SIPp <-> causeway-bridge <-> causeway-pstn-sim make one call of each kind:

  SIP -> ISDN   answered (BYE from SIP); busy (sim cause 17 -> 486); refused by
                the policy (deny prefix: 403, no call); CANCEL before answer
  ISDN -> SIP   failover (503 from the first target, 200 from the second, then
                the simulator hangs up); no route (cause 3, no INVITE)

Every value the calls must have moved is checked exactly (a metric missing is a
value of 0), the B-channel and span gauges too (also during the answered ISDN call);
a path other than /metrics is 404, a POST 405, and a client that sent half a request
holds up nothing. `promtool check metrics` (Debian prometheus) must pass on the scrape
and fail on the scrape with one broken line. Exit 77 without sipp or promtool.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
import run_e2e as R  # noqa: E402

RULES = ("4930100 answer 100\n"
         "4930486 reject 17 location LN\n"
         "4930200 alert 100 then answer 10000\n"   # rings long enough to be CANCELled
         "default reject 1 location LN\n")

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$')


def scrape(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read().decode()


def samples(text):
    """{'name{labels}': value} of every sample line."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise H.TestFailure("not a sample line: %r" % line)
        out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out


def promtool(exe, text):
    p = subprocess.run([exe, "check", "metrics"], input=text, capture_output=True, text=True,
                       timeout=30)
    return p.returncode, (p.stdout + p.stderr).strip()


def t_metrics(env, a):
    tool = shutil.which("promtool")
    if not tool:
        print("SKIP: promtool not found (Debian prometheus)")
        sys.exit(77)
    p503, p200 = H.free_port(), H.free_port()
    sim = H.Sim(env, a.sim, RULES).start()
    br = H.Bridge(env, a.bridge, sim.span, targets={"4930555": p503},
                  route_extra={"4930555": "target = sip:127.0.0.1:%d;transport=udp\n" % p200},
                  pstn_allow="127.0.0.1\ndeny = 4930900")
    br.conf_text = br.conf_text.replace("[general]\n", "[general]\nmetrics = 127.0.0.1:0\n", 1)
    env.write(br.tag + ".conf", br.conf_text)
    br.start()
    m = br.lines(r"notice: metrics: listening on (http://127\.0\.0\.1:\d+/metrics)$")
    if not m:
        raise H.TestFailure("no 'metrics: listening on' line")
    url = m[0].group(1)
    print("scraping %s" % url)
    # a client that sends half a request and waits: the loop must go on (no blocking read)
    host, port = re.match(r"http://([\d.]+):(\d+)/", url).groups()
    slow = socket.create_connection((host, int(port)), timeout=5)
    slow.sendall(b"GET /metr")

    # SIP -> ISDN: answered, busy, refused, cancelled
    run = H.sipp(env, a.sipp, "uac_bye.xml", {"CALLING": "0301234", "HOLD": 200, "EXTRA": ""},
                 remote_port=br.sip_port, service="4930100", timeout=20)
    run.wait(40)
    env.check(run.rc == 0, "answered call: SIPp exit %s, saw %s" % (run.rc, run.seen()))
    for called, status in (("4930486", 486), ("4930900", 403)):
        run = H.sipp(env, a.sipp, "uac_final.xml", {"STATUS": status, "CALLING": "0301234"},
                     remote_port=br.sip_port, service=called, timeout=20)
        run.wait(30)
        fin = run.final()
        env.check(fin is not None and fin.status == status,
                  "%s: final %s, want %d" % (called, fin and fin.status, status))
    run = H.sipp(env, a.sipp, "uac_cancel.xml", {"CALLING": "0301234", "HOLD": 300, "EXTRA": ""},
                 remote_port=br.sip_port, service="4930200", timeout=20)
    run.wait(30)
    env.check(run.rc == 0, "cancelled call: SIPp exit %s, saw %s" % (run.rc, run.seen()))

    # ISDN -> SIP: failover 503 -> 200, hung up from ISDN; then a number without a route
    uas1 = H.sipp_uas(env, a.sipp, "uas_final.xml", {"STATUS": 503, "PHRASE": "Service Unavailable",
                                                     "CONTACT": "", "EXTRA": ""}, port=p503)
    uas2 = H.sipp_uas(env, a.sipp, "uas_answer_wait.xml", {"RING": 100}, port=p200)
    cref = sim.call("4930555")
    uas2.wait_sync(15)
    # while it is up: one call, one B-channel in use
    during = samples(scrape(url)[2])
    for key, value in (("causeway_calls_active", 1), ('causeway_bchannels_busy{span="1"}', 1)):
        env.check(during.get(key) == value, "during the call: %s = %s, want %s"
                  % (key, during.get(key), value))
    sim.hangup(cref, 16, "LN")
    uas1.wait(20)
    uas2.wait(20)
    env.check(uas1.rc == 0 and uas2.rc == 0, "failover: SIPp UAS exits %s, %s" % (uas1.rc, uas2.rc))
    sim.call("5550000")
    sim.wait_call("5550000", "out", timeout=10)
    if not H.wait_until(lambda: len(br.end_lines()) >= 5, 15):
        env.check(False, "%d end lines, want 5 calls" % len(br.end_lines()))

    status, ctype, text = scrape(url)
    env.check(status == 200, "/metrics: status %s" % status)
    env.check(ctype.startswith("text/plain; version=0.0.4"), "/metrics: Content-Type %r" % ctype)
    got = samples(text)
    t503, t200 = "127.0.0.1:%d" % p503, "127.0.0.1:%d" % p200
    S, I = 'direction="sip_to_isdn"', 'direction="isdn_to_sip"'
    want = {
        'causeway_calls_total{%s,class="2xx",status="200"}' % S: 1,
        'causeway_calls_total{%s,class="4xx",status="486"}' % S: 1,
        'causeway_calls_total{%s,class="4xx",status="487"}' % S: 1,
        'causeway_calls_total{%s,class="2xx",status="200"}' % I: 1,
        'causeway_calls_total{%s,class="none",status="none"}' % I: 1,   # no route: no INVITE
        'causeway_calls_attempted_total{%s}' % S: 3,
        'causeway_calls_answered_total{%s}' % S: 1,
        'causeway_calls_effective_total{%s}' % S: 2,     # answered + busy
        'causeway_calls_attempted_total{%s}' % I: 2,
        'causeway_calls_answered_total{%s}' % I: 1,
        'causeway_calls_effective_total{%s}' % I: 1,
        'causeway_q850_causes_received_total{%s,cause="17"}' % S: 1,
        'causeway_q850_causes_sent_total{%s,cause="3"}' % I: 1,
        'causeway_q850_causes_received_total{%s,cause="16"}' % I: 1,
        'causeway_policy_refusals_total{reason="destination"}': 1,
        'causeway_route_attempts_total{route="to-sip-0",target="%s"}' % t503: 1,
        'causeway_route_errors_total{route="to-sip-0",target="%s"}' % t503: 1,
        'causeway_route_attempts_total{route="to-sip-0",target="%s"}' % t200: 1,
        'causeway_route_errors_total{route="to-sip-0",target="%s"}' % t200: 0,
        'causeway_route_attempts_total{route="to-pstn",target="span:1"}': 3,
        'causeway_route_errors_total{route="to-pstn",target="span:1"}': 0,
        'causeway_failovers_total{%s,route="to-sip-0"}' % I: 1,
        'causeway_call_final_response_seconds_count{%s}' % S: 3,
        'causeway_call_final_response_seconds_count{%s}' % I: 1,
        'causeway_call_final_response_seconds_bucket{%s,le="+Inf"}' % S: 3,
        'causeway_call_first_provisional_seconds_count{%s}' % S: 1,   # the 180 of 4930200
        'causeway_sip_requests_total{direction="in",method="INVITE"}': 4,
        'causeway_sip_requests_total{direction="in",method="CANCEL"}': 1,
        'causeway_sip_requests_total{direction="out",method="INVITE"}': 2,
        'causeway_sip_responses_total{direction="out",method="INVITE",class="4xx",code="403"}': 1,
        'causeway_sip_responses_total{direction="out",method="INVITE",class="4xx",code="486"}': 1,
        'causeway_sip_responses_total{direction="out",method="INVITE",class="4xx",code="487"}': 1,
        'causeway_sip_responses_total{direction="in",method="INVITE",class="5xx",code="503"}': 1,
        'causeway_sip_responses_total{direction="in",method="INVITE",class="2xx",code="200"}': 1,
        'causeway_dchannel_events_total{span="1",event="up"}': 1,
        'causeway_dchannel_events_total{span="1",event="down"}': 0,
        'causeway_spans_up': 1,
        'causeway_span_up{span="1"}': 1,
        'causeway_bchannels{span="1"}': 30,
        'causeway_bchannels_busy{span="1"}': 0,
        'causeway_calls_active': 0,
    }
    for key, value in want.items():
        env.check(got.get(key, 0) == value, "%s = %s, want %s" % (key, got.get(key), value))
    if not env.failures:
        print("ok  %d values as the calls made them" % len(want))

    # other paths
    try:
        scrape(url.replace("/metrics", "/other"))
        env.check(False, "/other: not 404")
    except urllib.error.HTTPError as e:
        env.check(e.code == 404, "/other: status %d, want 404" % e.code)

    try:
        urllib.request.urlopen(urllib.request.Request(url, data=b"x", method="POST"), timeout=5)
        env.check(False, "POST /metrics: not 405")
    except urllib.error.HTTPError as e:
        env.check(e.code == 405, "POST /metrics: status %d, want 405" % e.code)
    slow.close()

    # promtool on the scrape, then on the scrape with one broken line
    rc, out = promtool(tool, text)
    env.check(rc == 0, "promtool check metrics: exit %d: %s" % (rc, out))
    broken = text.replace("causeway_calls_active 0", "causeway_calls_active{ 0", 1)
    rc, out = promtool(tool, broken)
    env.check(rc != 0, "promtool check metrics accepted a broken line (exit 0)")
    if not env.failures:
        print("ok  promtool check metrics: the scrape passes, a broken line fails")
    env.write("scrape.txt", text)
    R.finish(env, sim, br)


if __name__ == "__main__":
    sys.exit(R.main({"metrics": t_metrics}, "e2e-", __doc__, vectors=False))
