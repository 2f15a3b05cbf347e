# SPDX-License-Identifier: MIT
"""G.711 and tones for the media e2e tests (stdlib only): A-law and µ-law codes to and from
16-bit linear (ITU-T G.711 §2, the transmitted octets: A-law with its even bits inverted,
µ-law with all bits inverted), a tone as a WAV file of G.711 codes (WAVE_FORMAT_ALAW 6,
WAVE_FORMAT_MULAW 7) for SIPp's rtp_stream, and the dominant tone of received codes
(Goertzel, like the simulator's report)."""
import math
import struct

CANDIDATES = (350, 400, 425, 440, 480, 620, 697, 941, 1004, 1209, 1400, 1633, 2100, 2600)


def alaw_encode(sample):
    """16-bit linear -> A-law code."""
    v = sample >> 3  # 13 bits
    if v >= 0:
        mask = 0xD5
    else:
        mask = 0x55
        v = -v - 1
    for seg, end in enumerate((0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF)):
        if v <= end:
            break
    else:
        return 0x7F ^ mask
    code = seg << 4
    code |= (v >> 1) & 0x0F if seg < 2 else (v >> seg) & 0x0F
    return code ^ mask


def ulaw_encode(sample):
    """16-bit linear -> µ-law code."""
    v = sample >> 2  # 14 bits
    if v < 0:
        v, mask = -v, 0x7F
    else:
        mask = 0xFF
    v = min(v + 0x21, 0x1FFF)  # the bias, 33 in 14 bits
    for seg, end in enumerate((0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF)):
        if v <= end:
            break
    return ((seg << 4) | ((v >> (seg + 1)) & 0x0F)) ^ mask


def alaw_decode(code):
    a = code ^ 0x55
    t = (a & 0x0F) << 4
    seg = (a & 0x70) >> 4
    t = t + 8 if seg == 0 else (t + 0x108) << (seg - 1)
    return t if a & 0x80 else -t


def ulaw_decode(code):
    u = ~code & 0xFF
    t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4)
    return 0x84 - t if u & 0x80 else t - 0x84


def tone_codes(freq, seconds, law, dbm0=-10.0):
    """A sine of freq Hz at dbm0 (0 dBm0 = 3.14 dB below the law's full scale, G.711 §4) as
    G.711 codes of law ("alaw" or "ulaw")."""
    full = 32768 if law == "alaw" else 32124
    amp = full * 10 ** ((dbm0 - 3.14) / 20)
    enc = alaw_encode if law == "alaw" else ulaw_encode
    n = int(8000 * seconds)
    return bytes(enc(int(round(amp * math.sin(2 * math.pi * freq * i / 8000)))) for i in range(n))


def write_wav(path, codes, law):
    """codes in a RIFF WAVE file: 8 kHz mono, 8 bits, format 6 (A-law) or 7 (µ-law)."""
    fmt = struct.pack("<HHIIHH", 6 if law == "alaw" else 7, 1, 8000, 8000, 1, 8)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + \
        b"data" + struct.pack("<I", len(codes)) + codes
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", len(body)) + body)


def goertzel_power(samples, freq):
    k = 2 * math.cos(2 * math.pi * freq / 8000)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return s1 * s1 + s2 * s2 - k * s1 * s2


def dominant_tone(codes, law):
    """The candidate frequency with the most power in codes (None when silent: every sample
    within +-64, below about -50 dBm0)."""
    dec = alaw_decode if law == "alaw" else ulaw_decode
    samples = [dec(c) for c in codes]
    if not samples or max(abs(x) for x in samples) < 64:
        return None
    return max(CANDIDATES, key=lambda f: goertzel_power(samples, f))
