#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""causeway-pstn-sim's B-channels against the audio test driver (test_audio_cpe).

Starts the simulator with a span socket, an audio socket and a rules file
that plays ringback, tones, a WAV announcement, echo, silence, DTMF
digits and CED; the driver places one call per rule through the bridge's B-channel interface
(bridge/pri bchan.h), answers every frame with 1004 Hz (1209 Hz for the
echo), skips 10 periods on one call, then answers a call the simulator
originates, and plays DTMF digits into one call. Checks both directions:
what the driver measured, and the frames, gaps, tone, level and DTMF
digits in the simulator's report. Once with EuroISDN
(A-law) and once with NI2 (µ-law). Also checks that bad PLAY words are
refused with FILE:LINE.
Usage: test_audio.py SIM_EXE DRIVER_EXE
"""
import json
import math
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_sim import ctl_cmd, read_line, start_reader, wait_for  # noqa: E402

RULES = """\
# B-channel rules (test_audio_cpe's calls expect exactly these)
100      alert 0 then answer 1200 early ringback play tone 440
200      answer 0 play echo
300      answer 0 play tone 440
400      progress-then-clear 16 location LN 1500 early wav announce.wav
500      answer 0
600      answer 0 play dtmf 123#*0 level -8 timing 80 80 delay 100
700      answer 0 play ced
7001     answer 0 play tone 2100 level -16
default  reject 1 location LN
"""

BAD_RULES = [
    ("100 answer 0 play tone 5000\n", "tone frequency '5000'"),
    ("100 answer 0 play tone 440 level 9\n", "tone level (dBm0) '9'"),
    ("100 answer 0 play wav missing.wav\n", "cannot open WAV file"),
    ("100 answer 0 play music\n", "unknown PLAY 'music'"),
    ("100 answer 0 early\n", "PLAY missing"),
    ("100 answer 0 play echo early silence\n", "unexpected 'early'"),
    ("100 answer 0 play wav notwav.wav\n", "is not a RIFF WAVE file"),
    ("100 answer 0 play dtmf 12X\n", "DTMF digits '12X'"),
    ("100 answer 0 play dtmf\n", "DTMF digits ''"),
    ("100 answer 0 play dtmf 1 timing 10 50\n", "DTMF on time '10'"),
    ("100 answer 0 play dtmf 1 level -50\n", "DTMF level (dBm0) '-50'"),
]

IDLE = {"alaw": "d5", "ulaw": "ff"}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def write_wav(path, hz, dbm0, seconds):
    """8 kHz mono 16-bit PCM, a sine at dbm0 (full scale = +3.14 dBm0, G.711)."""
    amp = 32767 * 10 ** ((dbm0 - 3.14) / 20)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", int(amp * math.sin(2 * math.pi * hz * i / 8000)))
                               for i in range(int(8000 * seconds))))


def bad_rules(sim, tmp):
    with open(os.path.join(tmp, "notwav.wav"), "w") as f:
        f.write("not a wave file\n")
    for i, (text, msg) in enumerate(BAD_RULES):
        path = os.path.join(tmp, "bad%d.rules" % i)
        with open(path, "w") as f:
            f.write(text)
        p = subprocess.run([sim, "--span", os.path.join(tmp, "unused.sock"), "--rules", path],
                           capture_output=True, text=True, timeout=10)
        check(p.returncode == 1 and ("%s:1:" % path) in p.stderr and msg in p.stderr,
              "bad rules %d: rc=%d stderr=%r, want %r" % (i, p.returncode, p.stderr, msg))


def parse_result(line):
    words = line.split()
    d = {"number": words[1]}
    for w in words[2:]:
        k, _, v = w.partition("=")
        d[k] = v
    return d


def near(v, want, tol):
    try:
        return abs(float(v) - want) <= tol
    except (TypeError, ValueError):
        return False


def drive(sim, driver, tmp, switchtype):
    span = os.path.join(tmp, "span-%s.sock" % switchtype)
    audio = os.path.join(tmp, "audio-%s.sock" % switchtype)
    ctl = os.path.join(tmp, "ctl-%s.sock" % switchtype)
    report = os.path.join(tmp, "report-%s.jsonl" % switchtype)
    rules = os.path.join(tmp, "audio.rules")
    procs = []
    results = {}
    try:
        sim_proc = subprocess.Popen([sim, "--span", span, "--audio", audio, "--rules", rules,
                                     "--report", report, "--control", ctl,
                                     "--switchtype", switchtype])
        procs.append(sim_proc)
        check(wait_for(ctl) and wait_for(audio), switchtype + ": sim sockets did not appear")
        drv = subprocess.Popen([driver, "-s", span, "-a", audio, "-w", switchtype, "-h", "1500",
                                "-i", "1", "100:tone", "200:echo", "300:skip", "400:tone",
                                "500:tone", "600:dtmf", "700:tone"], stdout=subprocess.PIPE, text=True)
        procs.append(drv)
        q = start_reader(drv)
        cref = None
        while True:
            line = read_line(q, 30)
            if line is None:
                check(False, switchtype + ": driver output ended early")
                break
            line = line.strip()
            print(switchtype + " driver: " + line)
            if line.startswith("result "):
                r = parse_result(line)
                results[r["number"]] = r
            elif line == "outgoing-done":
                # the simulator calls the driver: its rule for 7001 plays 2100 Hz
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(ctl)
                reply = ctl_cmd(s, "call 7001 4930999")
                check(reply.startswith("ok cref "), switchtype + ": call reply " + reply)
                cref = reply.split()[2] if reply.startswith("ok cref ") else None
                time.sleep(1.5)
                if cref:
                    check(ctl_cmd(s, "hangup %s 16" % cref) == "ok", switchtype + ": hangup")
                s.close()
            elif line in ("PASSED", "FAILED"):
                check(line == "PASSED", switchtype + ": driver " + line)
                break
        check(drv.wait(timeout=10) == 0, switchtype + ": driver exit status")
        os.kill(sim_proc.pid, signal.SIGTERM)
        check(sim_proc.wait(timeout=10) == 0, switchtype + ": sim exit status")
        with open(report) as f:
            calls = [json.loads(l) for l in f if '"event":"call"' in l]
    finally:
        for p in procs:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()
    return results, calls


def check_run(switchtype, law, results, calls):
    sw = switchtype + ": "
    by = {}
    for c in calls:
        print(sw + "report: " + json.dumps(c))
        by[(c["direction"], c["called"])] = c.get("audio")

    def audio(direction, called):
        a = by.get((direction, called))
        check(a is not None, sw + "no audio in the report of %s %s" % (direction, called))
        return a or {}

    def result(number):
        r = results.get(number)
        check(r is not None, sw + "no driver result for " + number)
        return r or {}

    # ringback before the answer, 440 Hz after it; the sim hears 1004 Hz at -10 dBm0
    r, a = result("100"), audio("in", "100")
    check(r.get("early_tone") == "425", sw + "100: early tone %s, want 425" % r.get("early_tone"))
    check(r.get("talk_tone") == "440" and near(r.get("talk_level"), -10, 1.0),
          sw + "100: talk tone %s at %s, want 440 at -10" % (r.get("talk_tone"),
                                                            r.get("talk_level")))
    check(a.get("tone_hz") == 1004 and near(a.get("level_dbm0"), -10, 1.0),
          sw + "100: sim heard %s at %s, want 1004 at -10" % (a.get("tone_hz"),
                                                            a.get("level_dbm0")))
    check(a.get("gaps") == 0 and a.get("frames_received", 0) >= 60,
          sw + "100: %s frames, %s gaps" % (a.get("frames_received"), a.get("gaps")))
    check(a.get("frames_sent", 0) >= a.get("frames_received", 0),
          sw + "100: sim sent %s frames" % a.get("frames_sent"))
    # echo: what the driver sent comes back, octet for octet
    r, a = result("200"), audio("in", "200")
    talk, matched = int(r.get("talk_rx", 0)), int(r.get("echo_matched", 0))
    # a late wake-up may leave the echo queue empty for a period (idle code sent): 80 %
    check(talk >= 40 and matched >= 0.8 * talk,
          sw + "200: %d of %d frames came back as sent" % (matched, talk))
    check(a.get("tone_hz") == 1209, sw + "200: sim heard %s, want 1209" % a.get("tone_hz"))
    # 10 periods skipped on purpose: 10 gaps
    r, a = result("300"), audio("in", "300")
    check(r.get("skipped") == "10" and r.get("underruns") == "10",
          sw + "300: driver skipped %s (underruns %s)" % (r.get("skipped"), r.get("underruns")))
    check(a.get("gaps") == 10, sw + "300: sim counted %s gaps, want 10" % a.get("gaps"))
    check(r.get("talk_tone") == "440", sw + "300: talk tone %s" % r.get("talk_tone"))
    # early release: the WAV announcement, never answered
    r, a = result("400"), audio("in", "400")
    check(r.get("answered") == "0" and r.get("early_tone") == "620" and
          near(r.get("early_level"), -10, 1.5),
          sw + "400: answered %s, early tone %s at %s, want 620 at -10" % (
              r.get("answered"), r.get("early_tone"), r.get("early_level")))
    check(a.get("tone_hz") == 1004, sw + "400: sim heard %s" % a.get("tone_hz"))
    # silence: the law's idle code, no tone
    r, a = result("500"), audio("in", "500")
    check(r.get("talk_tone") == "none" and r.get("early_tone") == "none",
          sw + "500: tones %s / %s, want none" % (r.get("early_tone"), r.get("talk_tone")))
    check(r.get("first_octet") == IDLE[law],
          sw + "500: silence octet %s, want %s (%s)" % (r.get("first_octet"), IDLE[law], law))
    check(a.get("tone_hz") == 1004, sw + "500: sim heard %s" % a.get("tone_hz"))
    # DTMF both ways: the rule's digits heard by the driver, the driver's by the simulator
    r, a = result("600"), audio("in", "600")
    check(r.get("talk_dtmf") == "123#*0",
          sw + "600: driver heard DTMF %s, want 123#*0" % r.get("talk_dtmf"))
    check(a.get("dtmf") == "159#", sw + "600: sim heard DTMF %r, want 159#" % a.get("dtmf"))
    for number in ("100", "200", "300", "400", "500", "700"):
        a = audio("in", number)
        check(a.get("dtmf") == "", sw + "%s: sim heard DTMF %r, want none" % (number, a.get("dtmf")))
        check(result(number).get("talk_dtmf") == "none",
              sw + "%s: driver heard DTMF %s" % (number, result(number).get("talk_dtmf")))
    # CED: the fax answer tone, 2100 Hz (spandsp's, about -11 dBm0)
    r = result("700")
    check(r.get("talk_tone") == "2100" and near(r.get("talk_level"), -11, 2.0),
          sw + "700: driver heard %s at %s, want CED, 2100 at -11" % (r.get("talk_tone"),
                                                                    r.get("talk_level")))
    # the simulator's own call: 2100 Hz at -16 dBm0 to the driver, 1004 Hz back
    r, a = result("incoming"), audio("out", "7001")
    check(r.get("talk_tone") == "2100" and near(r.get("talk_level"), -16, 1.0),
          sw + "7001: driver heard %s at %s, want 2100 at -16" % (r.get("talk_tone"),
                                                                 r.get("talk_level")))
    check(a.get("tone_hz") == 1004 and a.get("frames_received", 0) >= 40,
          sw + "7001: sim heard %s in %s frames" % (a.get("tone_hz"), a.get("frames_received")))


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    sim, driver = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="cw-sim-audio-") as tmp:
        with open(os.path.join(tmp, "audio.rules"), "w") as f:
            f.write(RULES)
        write_wav(os.path.join(tmp, "announce.wav"), 620, -10, 0.5)
        bad_rules(sim, tmp)
        for switchtype, law in (("euroisdn", "alaw"), ("ni2", "ulaw")):
            results, calls = drive(sim, driver, tmp, switchtype)
            check_run(switchtype, law, results, calls)
    print("%d failure(s)" % len(failures) if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
