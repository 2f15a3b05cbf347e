#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-media-*: voice through the gateway, SIPp <-> causeway-bridge <-> causeway-pstn-sim with
`--audio` (the span's B-channels as a SEQPACKET socket, the simulator the TDM clock).

usage: e2e_media.py MODE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

MODE:
  sip-to-isdn  SIPp calls an E1 (A-law) span offering PCMA, then PCMU alone (the bridge
               converts): SIPp's rtp_stream of a 1004 Hz tone (a WAV of G.711 codes made
               here) must reach the B-channel (the simulator reports tone_hz 1004); the
               simulator plays 440 Hz and SIPp -rtp_echo sends it back: reported 440.
  isdn-to-sip  the simulator calls SIPp (UAS) through the bridge, which offers PCMA and PCMU;
               SIPp answers PCMA, then PCMU: the same two tones, the other way round.
  t1           the same on a T1 (ni2, µ-law) span: PCMU as it is, PCMA converted; the
               INVITE toward SIP offers PCMU first.
  wildcard     `bind = 0.0.0.0`: the answer's c= is an interface's address, not loopback,
               and SIPp's RTP sent there reaches the B-channel.
  restart      the simulator killed and started again: the audio socket is reconnected for
               the next call, whose tone reaches the new simulator.
  offers       INVITEs the bridge cannot serve: opus only, video only, G.729 only, a bad
               m= port -> 488 +
               Reason cause 65 and no SETUP; audio PCMA + video -> 200 with m=video 0 and
               audio both ways. ISDN->SIP: SIPp answers opus only -> DISCONNECT cause 65.
  dahdi        `dchannel = dahdi:16`, `audio = dahdi` under the DAHDI device double
               ($CW_DAHDI_DOUBLE, tests/dahdi), which carries each /dev/dahdi/channel
               B-channel to the simulator's audio socket: the tones both ways.
  baresip      baresip (Debian baresip-core) dials through the bridge: its aufile source's
               1004 Hz reaches the B-channel, its sndfile recording of what it received
               holds the simulator's 440 Hz (skipped without baresip).
  reinvite     re-INVITEs (RFC 3264 §8): hold (sendonly -> recvonly), then a codec change
               to PCMU with another tone; the B-channel must carry the new one. ISDN->SIP:
               the callee's re-INVITE to PCMU in the dialog the bridge started.
  early        early media: the network answers the SETUP with PROGRESS (PI 8) and an
               announcement (1004 Hz) then clears; the SIP caller gets 183 with SDP and the
               announcement's RTP (a UDP socket of the test's own as its media port), then
               the final response. ISDN->SIP: SIPp answers 183 with SDP and plays 1004 Hz,
               then 486: the tone reaches the unanswered call's B-channel.

Exit 77 when sipp is missing. Every check fails on a bridge that sends no media (the simulator
reports tone_hz null, no RTP reaches the test's socket)."""
import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
import g711_tone as G  # noqa: E402

CODECS = {"PCMA": (8, "alaw"), "PCMU": (0, "ulaw")}

# SIPp scenario pieces: {media} is the m= section of our SDP, {play} an rtp_stream action.
SDP = """      v=0
      o=user1 53655765 {version} IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
{media}"""

# The INVITE, or with {to_tag} = [peer_tag_param] and {cseq} > 1 a re-INVITE (RFC 3261 §14).
INVITE = """  <send retrans="500">
    <![CDATA[

      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Alice" <sip:0301234@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>{to_tag}
      Call-ID: [call_id]
      CSeq: {cseq} INVITE
      Contact: <sip:0301234@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

""" + SDP + """
    ]]>
  </send>
"""


def in_dialog(method, cseq, via="[last_Via:]"):
    """An ACK or BYE of the caller, no body."""
    return """  <send%s>
    <![CDATA[

      %s sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      %s
      From: "Alice" <sip:0301234@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: %d %s
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
""" % (' retrans="500"' if method == "BYE" else "", method, via, cseq, method)


def invite(cseq=1):
    return INVITE.replace("{to_tag}", "[peer_tag_param]" if cseq > 1 else "") \
                 .replace("{cseq}", str(cseq)).replace("{version}", str(2353687637 + cseq))


def scenario(name, body):
    return ('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="%s">\n%s</scenario>\n'
            % (name, body))


def response(status, phrase, body):
    """The callee's response to the INVITE, with our SDP when body."""
    return """  <send>
    <![CDATA[

      SIP/2.0 %d %s
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
%s
    ]]>
  </send>
""" % (status, phrase, "      Content-Type: application/sdp\n      Content-Length: [len]\n\n" +
       SDP.replace("{version}", "2353687637") if body else "      Content-Length: 0\n")


# The caller: answered, {play}, BYE after 3 s.
UAC = scenario("uac-media", invite() + """  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true"/>
""" + in_dialog("ACK", 1) + """{play}
  <pause milliseconds="3000"/>
""" + in_dialog("BYE", 2, "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]") +
    """  <recv response="200"/>
""")

# An INVITE the bridge refuses: the final response {status} is ACKed.
UAC_REFUSED = scenario("uac-refused", invite() + """  <recv response="100" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="{status}"/>
""" + in_dialog("ACK", 1))

# The caller's BYE, answered 200 (the callee's scenarios).
BYE_ANSWERED = """  <recv request="BYE"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
"""

# The callee: 200 with SDP, {play}, the caller's BYE.
UAS = scenario("uas-media", """  <recv request="INVITE"/>
""" + response(200, "OK", True) + """  <recv request="ACK"/>
{play}
""" + BYE_ANSWERED)

# The early-media callee: 183 with SDP and its announcement ({play}), then 486.
UAS_EARLY = scenario("uas-early", """  <recv request="INVITE"/>
""" + response(183, "Session Progress", True) + """{play}
  <pause milliseconds="2500"/>
""" + response(486, "Busy Here", False) + """  <recv request="ACK"/>
""")

# The early-media caller: the 183's SDP, then the final response (ACKed).
UAC_EARLY = UAC_REFUSED.replace('<recv response="183" optional="true"/>',
                                '<recv response="183"/>')

RULES = """4930101 answer 0
4930440 answer 0 play tone 440
4930700 progress-then-clear 1 location LN 3000 early tone 1004
default answer 0
"""


def media_lines(codec, port="[media_port]"):
    pt = CODECS[codec][0]
    return ("      m=audio %s RTP/AVP %d\n      a=rtpmap:%d %s/8000\n      a=ptime:20"
            % (port, pt, pt, codec))


def play_stream(wav, codec):
    return ('  <nop><action><exec rtp_stream="%s,-1,%d"/></action></nop>'
            % (wav, CODECS[codec][0]))


class Setup:
    def __init__(self, env, switchtype="euroisdn", targets=""):
        self.bridge_exe, self.sim_exe = (os.path.abspath(a) for a in sys.argv[2:4])
        E.need(self.bridge_exe, "causeway-bridge")
        E.need(self.sim_exe, "causeway-pstn-sim")
        self.sipp = E.sipp_or_skip()
        self.env = env
        self.port = E.free_port()
        self.uas = E.free_port()
        self.switchtype = switchtype
        self.targets = targets
        self.ncalls = 0

    def start(self, rules=RULES, double=None, bind=None, sip=""):
        """double: the DAHDI device double (LD_PRELOAD): the span's D-channel and B-channels
        are then dahdi:16 and `audio = dahdi`, carried by the double to the simulator. sip:
        lines added to [sip]."""
        env = self.env
        self.sim = E.start_sim(env, self.sim_exe, "span1", rules,
                               ["--audio", env.path("span1-audio.sock"), "--switchtype",
                                self.switchtype])
        conf = E.bridge_conf(env, self.port, 1, """
[route to-pstn]
match = *
group = pstn
allow = 127.0.0.1

[route to-sip]
match = *
target = sip:127.0.0.1:%d;transport=udp
""" % self.uas)
        conf = conf.replace("switchtype = euroisdn", "switchtype = " + self.switchtype)
        # no bchannels: the switch type's trunk (1-23 on T1)
        conf = conf.replace("bchannels = 1-15,17-31\n", "", 1)
        if bind:
            conf = conf.replace("bind = 127.0.0.1\n", "bind = %s\n" % bind, 1)
        if sip:
            conf = conf.replace("[sip]\n", "[sip]\n" + sip, 1)
        proc_env = None
        if double:
            conf = conf.replace("dchannel = socket:%s/span1.sock" % env.dir, "dchannel = dahdi:16")
            conf = conf.replace("group = pstn\n", "group = pstn\naudio = dahdi\n", 1)
            proc_env = dict(os.environ)
            proc_env["LD_PRELOAD"] = double
            # E1: timeslot 16 the D-channel, B-channel N on DAHDI channel N (audio = dahdi)
            proc_env["CW_DAHDI_DOUBLE_CHANNELS"] = ",".join(
                ["16:1:hdlcfcs:%s" % env.path("span1.sock")] +
                ["%d:1:audio:%d:%s" % (b, b, env.path("span1-audio.sock"))
                 for b in list(range(1, 16)) + list(range(17, 32))])
            want = r"notice: span 1: audio dahdi 1 \((alaw|ulaw)\)"
        else:
            conf = conf.replace("group = pstn\n", "group = pstn\naudio = socket:%s\n"
                                % env.path("span1-audio.sock"), 1)
            want = r"notice: span 1: audio socket .* \(%s\)" % (
                "alaw" if self.switchtype in ("euroisdn", "qsig") else "ulaw")
        self.bridge = E.start_bridge(env, self.bridge_exe, conf, proc_env)
        if not re.search(want, env.read("bridge.log")):
            raise RuntimeError("bridge log: no line /%s/" % want)

    def wav(self, codec, freq=1004):
        law = CODECS[codec][1]
        path = self.env.path("tone-%d-%s.wav" % (freq, law))
        if not os.path.exists(path):
            G.write_wav(path, G.tone_codes(freq, 1.0, law), law)
        return path

    def sipp_uac(self, label, called, scenario, extra=()):
        """One SIPp call to `called`; returns (exit status, message log text)."""
        self.env.write(label + ".xml", scenario)
        log = self.env.path(label + "-msg.log")
        p = self.env.spawn(label, [self.sipp, "-sf", self.env.path(label + ".xml"), "-s", called,
                                   "-i", "127.0.0.1", "-p", str(E.free_port()), "-m", "1",
                                   "-nostdin", "-timeout", "20s", "-trace_msg",
                                   "-message_file", log] + list(extra) +
                           ["127.0.0.1:%d" % self.port])
        rc = p.wait(timeout=40)
        self.ncalls += 1
        return rc, self.env.read(log)

    def stream_call(self, errors, label, called, codec, media=None):
        """SIPp calls `called` offering codec (or media) and sends the 1004 Hz tone in it for
        3 s; a SIPp failure goes into errors. Returns its message log."""
        rc, text = self.sipp_uac(label, called, UAC.replace("{media}", media or media_lines(codec))
                                 .replace("{play}", play_stream(self.wav(codec), codec)))
        if rc != 0:
            errors.append("%s: sipp exit status %s" % (label, rc))
        return text

    def sipp_uas(self, label, scenario, extra=()):
        self.env.write(label + ".xml", scenario)
        log = self.env.path(label + "-msg.log")
        return self.env.spawn(label, [self.sipp, "-sf", self.env.path(label + ".xml"),
                                      "-p", str(self.uas), "-i", "127.0.0.1", "-nostdin",
                                      "-m", "1", "-timeout", "30s", "-trace_msg",
                                      "-message_file", log] + list(extra)), log

    def sim_report(self, called, direction, count):
        calls = []

        def got():
            calls[:] = [c for c in E.sim_calls(self.env, "span1")
                        if c["called"] == called and c["direction"] == direction]
            return len(calls) >= count
        if not E.wait_until(got, 15):
            return None
        return calls[count - 1]

    def finish(self, errors):
        return errors + E.finish(self.env, self.bridge, self.ncalls, CAUSEWAY)


def check_tone(errors, what, report, want):
    if report is None:
        errors.append("%s: no simulator report" % what)
        return
    audio = report.get("audio") or {}
    hz = audio.get("tone_hz")
    if hz != want:
        errors.append("%s: the B-channel received tone_hz %r (level %r, %r frames), want %d"
                      % (what, hz, audio.get("level_dbm0"), audio.get("frames_received"), want))
    elif audio.get("gaps"):
        errors.append("%s: %d gaps in the bridge's frames" % (what, audio["gaps"]))
    else:
        print("%s: tone %d Hz at %s dBm0 on the B-channel, %d frames, 0 gaps"
              % (what, hz, audio.get("level_dbm0"), audio.get("frames_received")))


def answer_sdp(text, status):
    """The first `status` response to the INVITE in a SIPp message log (headers and body)."""
    for m in re.findall(r"^SIP/2\.0 %d [^\n]*\n(.*?)(?=\n-{5,}|\Z)" % status, text, re.S | re.M):
        if re.search(r"^CSeq:\s*\d+ INVITE", m, re.M):
            return m
    return ""


def mode_sip_to_isdn(env):
    s = Setup(env)
    s.start()
    errors = []
    n = {"4930101": 0, "4930440": 0}
    for codec in ("PCMA", "PCMU"):
        # SIPp's tone toward the B-channel
        label = "uac-stream-" + codec
        text = s.stream_call(errors, label, "4930101", codec)
        n["4930101"] += 1
        sdp = answer_sdp(text, 200)
        if not re.search(r"^m=audio [1-9]\d* RTP/AVP %d\s*$" % CODECS[codec][0], sdp, re.M):
            errors.append("%s: the 200's SDP does not answer %s alone:\n%s" % (label, codec, sdp))
        if "c=IN IP4 127.0.0.1" not in sdp:
            errors.append("%s: the 200's SDP has no c=IN IP4 127.0.0.1:\n%s" % (label, sdp))
        check_tone(errors, "SIP->ISDN %s 1004 Hz" % codec,
                   s.sim_report("4930101", "in", n["4930101"]), 1004)
        # the simulator's 440 Hz, echoed by SIPp
        label = "uac-echo-" + codec
        mp = E.free_port()
        rc, text = s.sipp_uac(label, "4930440", UAC.replace("{media}", media_lines(codec))
                              .replace("{play}", ""), ["-rtp_echo", "-mp", str(mp)])
        n["4930440"] += 1
        if rc != 0:
            errors.append("%s: sipp exit status %s" % (label, rc))
        check_tone(errors, "SIP->ISDN %s 440 Hz echoed" % codec,
                   s.sim_report("4930440", "in", n["4930440"]), 440)
    conv = re.findall(r"call \d+: media PCMU \(law converted\)", env.read("bridge.log"))
    if len(conv) != 2:
        errors.append("bridge log: %d `media PCMU (law converted)` lines, want 2 (the PCMU "
                      "calls on an A-law span)" % len(conv))
    return s.finish(errors)


def isdn_call(s, called, count, hold=3.0):
    r = E.sim_cmd(s.env, "span1-ctl.sock", "call %s 4930999" % called)
    m = re.match(r"ok cref (\d+) channel (\d+)", r)
    if not m:
        raise RuntimeError("sim call: %r" % r)
    if not E.wait_until(lambda: len(re.findall(r"call \d+: SIP_2XX: ",
                                               s.env.read("bridge.log"))) >= count, 15):
        raise RuntimeError("call to %s not answered" % called)
    time.sleep(hold)
    if E.sim_cmd(s.env, "span1-ctl.sock", "hangup %s 16" % m.group(1)) != "ok":
        raise RuntimeError("sim hangup failed")
    s.ncalls += 1


def mode_isdn_to_sip(env):
    s = Setup(env)
    s.start()
    errors = []
    k = 0
    n = {"4930101": 0, "4930440": 0}
    for codec in ("PCMA", "PCMU"):
        p, log = s.sipp_uas("uas-stream-" + codec, UAS.replace("{media}", media_lines(codec))
                            .replace("{play}", play_stream(s.wav(codec), codec)))
        k += 1
        isdn_call(s, "4930101", k)
        n["4930101"] += 1
        if p.wait(timeout=20) != 0:
            errors.append("uas-stream-%s: sipp exit status %s" % (codec, p.returncode))
        offer = re.findall(r"^INVITE .*?(?=\n-{5,}|\Z)", env.read(log), re.S | re.M)
        if not offer or not re.search(r"^m=audio \d+ RTP/AVP 8 0 101", offer[0], re.M):
            errors.append("the bridge's INVITE does not offer PCMA, PCMU and telephone-event:\n%s"
                          % (offer[0] if offer else env.read(log)[-2000:]))
        check_tone(errors, "ISDN->SIP %s 1004 Hz" % codec,
                   s.sim_report("4930101", "out", n["4930101"]), 1004)
        mp = E.free_port()
        p, log = s.sipp_uas("uas-echo-" + codec, UAS.replace("{media}", media_lines(codec))
                            .replace("{play}", ""), ["-rtp_echo", "-mp", str(mp)])
        k += 1
        isdn_call(s, "4930440", k)
        n["4930440"] += 1
        if p.wait(timeout=20) != 0:
            errors.append("uas-echo-%s: sipp exit status %s" % (codec, p.returncode))
        check_tone(errors, "ISDN->SIP %s 440 Hz echoed" % codec,
                   s.sim_report("4930440", "out", n["4930440"]), 440)
    return s.finish(errors)


OPUS = "      m=audio [media_port] RTP/AVP 111\n      a=rtpmap:111 opus/48000/2"
VIDEO = "      m=video [media_port] RTP/AVP 96\n      a=rtpmap:96 H264/90000"
G729 = "      m=audio [media_port] RTP/AVP 18\n      a=rtpmap:18 G729/8000"


def mode_offers(env):
    s = Setup(env)
    s.start()
    errors = []
    for label, media in (("opus", OPUS), ("video", VIDEO), ("g729", G729),
                         ("malformed", "      m=audio x RTP/AVP 8")):
        rc, text = s.sipp_uac("uac-" + label, "4930101",
                              UAC_REFUSED.replace("{media}", media).replace("{status}", "488"))
        if rc != 0:
            errors.append("%s only: sipp exit status %s (488 expected)" % (label, rc))
        m = re.search(r"^SIP/2\.0 488 .*?(?=\n-{5,}|\Z)", text, re.S | re.M)
        if m and not re.search(r"^Reason: Q\.850;cause=65\b", m.group(0), re.M):
            errors.append("%s only: 488 without Reason cause 65:\n%s" % (label, m.group(0)))
        want = {"video": 304, "malformed": 399}.get(label, 305)  # RFC 3261 §20.43 (SDP.md)
        if m and not re.search(r"^Warning: %d causeway \"" % want, m.group(0), re.M):
            errors.append("%s only: 488 without Warning %d:\n%s" % (label, want, m.group(0)))
    if E.sim_calls(env, "span1"):
        errors.append("a refused offer reached ISDN: %r" % E.sim_calls(env, "span1"))
    # audio and video: video refused with port 0, audio served both ways
    text = s.stream_call(errors, "uac-audio-video", "4930101", "PCMA",
                         media_lines("PCMA") + "\n" + VIDEO)
    sdp = answer_sdp(text, 200)
    if not re.search(r"^m=video 0 ", sdp, re.M) or not re.search(r"^m=audio [1-9]", sdp, re.M):
        errors.append("audio+video: the answer does not refuse video with port 0:\n%s" % sdp)
    check_tone(errors, "audio+video PCMA 1004 Hz", s.sim_report("4930101", "in", 1), 1004)
    # ISDN -> SIP: an answer with no codec the bridge offered
    p, log = s.sipp_uas("uas-opus", UAS.replace("{media}", OPUS).replace("{play}", ""))
    r = E.sim_cmd(env, "span1-ctl.sock", "call 4930101 4930999")
    if not r.startswith("ok cref"):
        errors.append("sim call: %r" % r)
        return s.finish(errors)
    s.ncalls += 1
    c = s.sim_report("4930101", "out", 1)
    if c is None:
        errors.append("ISDN->SIP opus answer: the call was not cleared")
    elif c.get("cause_received") != 65:
        errors.append("ISDN->SIP opus answer: cause_received %r, want 65 (messages %r)"
                      % (c.get("cause_received"), c.get("messages")))
    else:
        print("ISDN->SIP opus answer: %r, cause 65" % c["messages"])
    p.wait(timeout=20)
    return s.finish(errors)


def mode_early(env):
    s = Setup(env)
    s.start()
    errors = []
    rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtp.bind(("127.0.0.1", 0))
    rtp.settimeout(0.2)
    port = rtp.getsockname()[1]
    got = bytearray()
    label = "uac-early"
    scen = UAC_EARLY.replace("{media}", media_lines("PCMA", str(port))) \
                    .replace("{status}", "404")
    env.write(label + ".xml", scen)
    log = env.path(label + "-msg.log")
    p = env.spawn(label, [s.sipp, "-sf", env.path(label + ".xml"), "-s", "4930700",
                          "-i", "127.0.0.1", "-p", str(E.free_port()), "-m", "1", "-nostdin",
                          "-timeout", "20s", "-trace_msg", "-message_file", log,
                          "127.0.0.1:%d" % s.port])
    s.ncalls += 1
    deadline = time.monotonic() + 20
    while p.poll() is None and time.monotonic() < deadline:
        try:
            data, _ = rtp.recvfrom(2048)
        except socket.timeout:
            continue
        if len(data) > 12 and data[0] >> 6 == 2 and data[1] & 0x7F == 8:
            got += data[12:]
    rtp.close()
    text = env.read(log)
    if p.wait(timeout=10) != 0:
        errors.append("early: sipp exit status %s (183 with SDP, then 404)" % p.returncode)
    if "m=audio" not in answer_sdp(text, 183):
        errors.append("early: no 183 with SDP")
    hz = G.dominant_tone(bytes(got), "alaw")
    if hz != 1004:
        errors.append("early: the caller's media port got %d octets of PCMA, tone %r, want the "
                      "announcement's 1004 Hz" % (len(got), hz))
    else:
        print("early: %d octets of PCMA before the final response, tone %d Hz" % (len(got), hz))
    # ISDN -> SIP: the SIP side's announcement after its 183 reaches the ISDN caller
    p, _ = s.sipp_uas("uas-early", UAS_EARLY.replace("{media}", media_lines("PCMA"))
                      .replace("{play}", play_stream(s.wav("PCMA"), "PCMA")))
    r = E.sim_cmd(env, "span1-ctl.sock", "call 4930101 4930999")
    if not r.startswith("ok cref"):
        errors.append("sim call: %r" % r)
        return s.finish(errors)
    s.ncalls += 1
    if p.wait(timeout=20) != 0:
        errors.append("uas-early: sipp exit status %s" % p.returncode)
    c = s.sim_report("4930101", "out", 1)
    if c and (c.get("answered") or c.get("cause_received") != 17):
        errors.append("ISDN->SIP early: answered %r, cause %r, want unanswered, 17"
                      % (c.get("answered"), c.get("cause_received")))
    check_tone(errors, "ISDN->SIP early media after the 183", c, 1004)
    return s.finish(errors)


def answered_with(want, var):
    """The 200 to a re-INVITE, whose body must match the regex want (SIPp fails otherwise)."""
    return """  <recv response="100" optional="true"/>
  <recv response="200">
    <action>
      <ereg regexp="%s" search_in="body" check_it="true" assign_to="%s"/>
    </action>
  </recv>
  <Reference variables="%s"/>
""" % (want, var, var)


def reinvite(cseq, media, want):
    """A re-INVITE (RFC 3261 §14.2) with media, its 200 (whose body must match want) and ACK."""
    return invite(cseq).replace("{media}", media) + answered_with(want, "re%d" % cseq) + \
        in_dialog("ACK", cseq)


def callee_request(method, body=None):
    """A request of the dialog's callee (From and To swapped, as taken from the INVITE into
    $me, $peer and $target), CSeq 1 of its own; body: our SDP for an offer."""
    return """  <send%s>
    <![CDATA[

      %s [$target] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: [$me];tag=[pid]SIPpTag01[call_number]
      To: [$peer]
      Call-ID: [call_id]
      CSeq: 1 %s
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
%s
    ]]>
  </send>
""" % (' retrans="500"' if method == "INVITE" else "", method, method,
       "      Content-Type: application/sdp\n      Content-Length: [len]\n\n" + body if body
       else "      Content-Length: 0\n")


# ISDN -> SIP: the callee (SIPp UAS) answers PCMA and 440 Hz goes its way; after 1 s it
# re-INVITEs with PCMU alone (the request of the dialog's UAS: From and To swapped) and sends
# 1004 Hz in PCMU; the simulator hangs up.
UAS_REINVITE = scenario("uas-reinvite", """  <recv request="INVITE">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="peer"/>
      <ereg regexp=".*" search_in="hdr" header="To:" assign_to="me"/>
      <ereg regexp="sip:[^>;]*" search_in="hdr" header="Contact:" assign_to="target"/>
    </action>
  </recv>
""" + response(200, "OK", True) + """  <recv request="ACK"/>
{play}
  <pause milliseconds="1000"/>
""" + callee_request("INVITE", SDP.replace("{version}", "2353687638")
                    .replace("{media}", "{media2}")) + answered_with("RTP/AVP 0", "pcmu") + \
    callee_request("ACK") + """{play2}
""" + BYE_ANSWERED + """  <Reference variables="peer,me,target"/>
""")


def mode_reinvite(env):
    """SIP->ISDN: PCMA with 440 Hz for 1 s; a re-INVITE holds (sendonly -> recvonly); another
    resumes with PCMU alone and 1004 Hz for 2.5 s. The B-channel's dominant tone is 1004 Hz only
    if the bridge took the new codec (the old code answered every re-INVITE 488)."""
    s = Setup(env)
    s.start()
    errors = []
    hold = media_lines("PCMA") + "\n      a=sendonly"
    scen = UAC.replace("{media}", media_lines("PCMA")).replace(
        "{play}", play_stream(s.wav("PCMA", 440), "PCMA") + """
  <pause milliseconds="1000"/>
""" + reinvite(2, hold, "a=recvonly") + reinvite(3, media_lines("PCMU"), "RTP/AVP 0") +
        play_stream(s.wav("PCMU"), "PCMU")).replace(
        '<pause milliseconds="3000"/>', '<pause milliseconds="2500"/>').replace(
        "CSeq: 2 BYE", "CSeq: 4 BYE")
    rc, text = s.sipp_uac("uac-reinvite", "4930101", scen)
    if rc != 0:
        errors.append("re-INVITE: sipp exit status %s (200 + recvonly to the hold, 200 + PCMU "
                      "to the codec change expected)" % rc)
    log = env.read("bridge.log")
    if len(re.findall(r"call \d+: re-INVITE answered 200", log)) != 2:
        errors.append("bridge log: want two `re-INVITE answered 200` lines")
    if not re.search(r"call \d+: media PCMU \(law converted\)", log):
        errors.append("bridge log: the codec change to PCMU was not taken")
    check_tone(errors, "after the re-INVITE to PCMU", s.sim_report("4930101", "in", 1), 1004)
    # ISDN -> SIP: the callee's re-INVITE in the dialog the bridge started
    p, _ = s.sipp_uas("uas-reinvite", UAS_REINVITE.replace("{media}", media_lines("PCMA"))
                      .replace("{play}", play_stream(s.wav("PCMA", 440), "PCMA"))
                      .replace("{media2}", media_lines("PCMU"))
                      .replace("{play2}", play_stream(s.wav("PCMU"), "PCMU")))
    isdn_call(s, "4930101", 1, hold=3.5)
    if p.wait(timeout=20) != 0:
        errors.append("uas-reinvite: sipp exit status %s (200 with PCMU to its re-INVITE "
                      "expected)" % p.returncode)
    check_tone(errors, "ISDN->SIP after the callee's re-INVITE to PCMU",
               s.sim_report("4930101", "out", 1), 1004)
    return s.finish(errors)


def mode_dahdi(env):
    """The B-channels on /dev/dahdi/channel (bridge/pri/bchan_dahdi.c) under the DAHDI device
    double, which carries them to the simulator's audio socket: both directions, both tones."""
    double = os.environ.get("CW_DAHDI_DOUBLE")
    if not double or not os.path.exists(double):
        print("SKIP: no DAHDI device double ($CW_DAHDI_DOUBLE)")
        sys.exit(E.SKIP)
    s = Setup(env)
    s.start(double=double)
    errors = []
    s.stream_call(errors, "uac-stream", "4930101", "PCMU")
    check_tone(errors, "SIP->ISDN over DAHDI, PCMU 1004 Hz", s.sim_report("4930101", "in", 1), 1004)
    rc, _ = s.sipp_uac("uac-echo", "4930440", UAC.replace("{media}", media_lines("PCMA"))
                       .replace("{play}", ""), ["-rtp_echo", "-mp", str(E.free_port())])
    if rc != 0:
        errors.append("uac-echo: sipp exit status %s" % rc)
    check_tone(errors, "SIP->ISDN over DAHDI, 440 Hz echoed", s.sim_report("4930440", "in", 1), 440)
    p, _ = s.sipp_uas("uas-stream", UAS.replace("{media}", media_lines("PCMA"))
                      .replace("{play}", play_stream(s.wav("PCMA"), "PCMA")))
    isdn_call(s, "4930101", 1)
    if p.wait(timeout=20) != 0:
        errors.append("uas-stream: sipp exit status %s" % p.returncode)
    check_tone(errors, "ISDN->SIP over DAHDI, PCMA 1004 Hz", s.sim_report("4930101", "out", 1),
               1004)
    return s.finish(errors)


BARESIP_CONFIG = """poll_method epoll
sip_listen 127.0.0.1:{port}
audio_source aufile,{tone}
audio_player aubridge,nowhere
audio_alert aubridge,nowhere
audio_srate 8000
audio_channels 1
module_path /usr/lib/baresip/modules
module stdio.so
module g711.so
module aufile.so
module aubridge.so
module sndfile.so
module_app account.so
module_app menu.so
snd_path {dump}
"""


def mode_baresip(env):
    """baresip (Debian baresip-core) calls the span through the bridge: its aufile source plays
    a 1004 Hz WAV, which the simulator must measure; the simulator plays 440 Hz, which must be in
    what baresip received (its sndfile module's recording of the decoded audio)."""
    import shutil
    import wave
    baresip = shutil.which("baresip")
    if not baresip or not os.path.exists("/usr/lib/baresip/modules/aufile.so"):
        print("SKIP: baresip (Debian baresip-core) not found")
        sys.exit(E.SKIP)
    s = Setup(env)
    s.start()
    errors = []
    tone = env.path("tone-1004-s16.wav")
    with wave.open(tone, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        codes = G.tone_codes(1004, 4.0, "alaw")
        w.writeframes(b"".join(int(G.alaw_decode(c)).to_bytes(2, "little", signed=True)
                               for c in codes))
    confdir, dump = env.path("baresip"), env.path("dump")
    os.mkdir(confdir)
    os.mkdir(dump)
    env.write("baresip/config", BARESIP_CONFIG.format(port=E.free_port(), tone=tone, dump=dump))
    env.write("baresip/accounts", "<sip:baresip@127.0.0.1>;regint=0;audio_codecs=PCMA\n")
    p = env.spawn("baresip", [baresip, "-f", confdir, "-t", "6",
                              "-e", "/dial sip:4930440@127.0.0.1:%d" % s.port])
    p.wait(timeout=30)
    s.ncalls += 1
    check_tone(errors, "baresip's aufile 1004 Hz", s.sim_report("4930440", "in", 1), 1004)
    decs = [f for f in os.listdir(dump) if f.endswith("-dec.wav")]
    if not decs:
        errors.append("baresip recorded nothing (no dump-*-dec.wav in %s: %r)"
                      % (dump, os.listdir(dump)))
        return s.finish(errors)
    with wave.open(os.path.join(dump, decs[0])) as w:
        raw = w.readframes(w.getnframes())
    samples = [int.from_bytes(raw[i:i + 2], "little", signed=True) for i in range(0, len(raw), 2)]
    codes = bytes(G.alaw_encode(x) for x in samples)
    hz = G.dominant_tone(codes, "alaw")
    if hz != 440:
        errors.append("baresip's recording: tone %r over %d samples, want the simulator's 440 Hz"
                      % (hz, len(samples)))
    else:
        print("baresip recorded %.1f s with the simulator's 440 Hz" % (len(samples) / 8000.0))
    return s.finish(errors)


def mode_t1(env):
    """A T1 span (ni2, µ-law): PCMU as it is and PCMA converted, SIP->ISDN; ISDN->SIP the
    bridge offers PCMU first and SIPp echoes the simulator's 440 Hz in PCMA."""
    s = Setup(env, switchtype="ni2")
    s.start()
    errors = []
    for k, codec in enumerate(("PCMU", "PCMA")):
        s.stream_call(errors, "uac-t1-" + codec, "4930101", codec)
        check_tone(errors, "T1 SIP->ISDN %s 1004 Hz" % codec,
                   s.sim_report("4930101", "in", k + 1), 1004)
    if len(re.findall(r"call \d+: media PCMA \(law converted\)", env.read("bridge.log"))) != 1:
        errors.append("bridge log: want one `media PCMA (law converted)` line (the PCMA call on "
                      "a µ-law span)")
    p, log = s.sipp_uas("uas-t1-echo", UAS.replace("{media}", media_lines("PCMA"))
                        .replace("{play}", ""), ["-rtp_echo", "-mp", str(E.free_port())])
    isdn_call(s, "4930440", 1)
    if p.wait(timeout=20) != 0:
        errors.append("uas-t1-echo: sipp exit status %s" % p.returncode)
    offer = re.findall(r"^INVITE .*?(?=\n-{5,}|\Z)", env.read(log), re.S | re.M)
    if not offer or not re.search(r"^m=audio \d+ RTP/AVP 0 8 101", offer[0], re.M):
        errors.append("T1: the bridge's INVITE does not offer PCMU first:\n%s"
                      % (offer[0] if offer else ""))
    check_tone(errors, "T1 ISDN->SIP 440 Hz echoed in PCMA", s.sim_report("4930440", "out", 1), 440)
    return s.finish(errors)


def mode_wildcard(env):
    """`bind = 0.0.0.0` without media_address: the c= of the answer is the address of an
    interface (never 127.0.0.1, never 0.0.0.0), and RTP SIPp sends there reaches the call."""
    s = Setup(env)
    s.start(bind="0.0.0.0")
    errors = []
    text = s.stream_call(errors, "uac-wildcard", "4930101", "PCMA")
    m = re.search(r"^c=IN IP4 (\S+)", answer_sdp(text, 200), re.M)
    addr = m.group(1) if m else None
    if not addr or addr.startswith("127.") or addr == "0.0.0.0":
        errors.append("wildcard bind: the answer's c= is %r, want an interface's address" % addr)
    elif not re.search(r"notice: media: rtp ports \S+ on 0\.0\.0\.0, c=%s$" % re.escape(addr),
                       env.read("bridge.log"), re.M):
        errors.append("bridge log: no `media: rtp ports ... on 0.0.0.0, c=%s` line" % addr)
    else:
        print("wildcard bind: c=%s" % addr)
    check_tone(errors, "wildcard bind, PCMA 1004 Hz to c=%s" % addr,
               s.sim_report("4930101", "in", 1), 1004)
    return s.finish(errors)


def mode_restart(env):
    """The simulator is killed after a call and started again on the same span and audio
    sockets: the bridge logs the audio socket lost, reconnects it for the next call, whose
    1004 Hz reaches the new simulator's B-channel."""
    import signal
    s = Setup(env)
    s.start()
    errors = []
    s.stream_call(errors, "uac-before", "4930101", "PCMA")
    check_tone(errors, "before the restart", s.sim_report("4930101", "in", 1), 1004)
    os.kill(s.sim.pid, signal.SIGKILL)
    s.sim.wait()
    log = lambda: env.read("bridge.log")  # noqa: E731
    if not E.wait_until(lambda: re.search(r"warning: span 1: audio socket \S+ lost", log()), 10):
        errors.append("bridge log: no `span 1: audio socket PATH lost` line")
    # the new simulator: the same span and audio sockets, its own report
    env.write("span1b.rules", RULES)
    sim2 = env.spawn("span1b", [s.sim_exe, "--span", env.path("span1.sock"),
                                "--rules", env.path("span1b.rules"),
                                "--report", env.path("span1b.jsonl"),
                                "--control", env.path("span1b-ctl.sock"),
                                "--audio", env.path("span1-audio.sock")])
    if not E.wait_until(lambda: sim2.poll() is None and
                        len(re.findall(r"notice: span 1: D-channel up", log())) >= 2, 20):
        errors.append("the bridge did not get the D-channel back")
        return s.finish(errors)
    s.stream_call(errors, "uac-after", "4930101", "PCMA")
    c = None
    if E.wait_until(lambda: E.sim_calls(env, "span1b"), 15):
        c = E.sim_calls(env, "span1b")[0]
    check_tone(errors, "after the restart", c, 1004)
    if len(re.findall(r"notice: span 1: audio socket \S+ \(alaw\)", log())) != 2:
        errors.append("bridge log: want the audio socket connected twice")
    return s.finish(errors)


MODES = {"sip-to-isdn": mode_sip_to_isdn, "restart": mode_restart, "wildcard": mode_wildcard, "t1": mode_t1, "baresip": mode_baresip, "dahdi": mode_dahdi, "reinvite": mode_reinvite, "isdn-to-sip": mode_isdn_to_sip,
         "offers": mode_offers, "early": mode_early}
CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in MODES:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-media-" + sys.argv[1], MODES[sys.argv[1]]))
