#!/usr/bin/python3
"""Hand-made seeds for the header fuzz corpora, next to the samples pcap-to-corpus.py takes from
the module's pcaps: the cases a capture of a normal run does not show (GENEVE with several, critical
and maximum-length options; BFD control in every state and with a longer Length or the A bit; the
uplink echo; VXLAN with the I flag clear; NSH with a reply, the O bit, MD type 2 and a wrong
Length). Layouts as in test/test-headers.cc and test/test-bfd.cc.

Usage: make-header-corpus.py CORPUS_DIR
"""
import pathlib
import struct
import sys


def geneve(options=(), vni=5000, oam=False, critical=False, proto=0x6558, version=0):
    area = b"".join(struct.pack("!HBB", cls, typ, len(data) // 4) + data
                    for cls, typ, data in options)
    first = (version << 6) | (len(area) // 4)
    flags = (0x80 if oam else 0) | (0x40 if critical else 0)
    return struct.pack("!BBHI", first, flags, proto, vni << 8) + area


def vxlan(vni=5000, flags=0x08):
    return struct.pack("!BBHI", flags, 0, 0, vni << 8)


def nsh(spi=1, si=3, ttl=63, length=6, md_type=1, next_proto=3, context=(0x85000000, 0x0aff0001, 5000, 0),
        oam=False, version=0):
    first = (version << 14) | (0x2000 if oam else 0) | (ttl << 6) | length
    return struct.pack("!HBBI4I", first, md_type, next_proto, (spi << 8) | si, *context)


def bfd(state=3, diag=0, flags=0, mult=3, my=1, your=2, tx=300000, rx=300000, echo=50000,
        length=24, version=1, tail=b""):
    return struct.pack("!BBBBIIIII", (version << 5) | diag, (state << 6) | flags, mult, length,
                       my, your, tx, rx, echo) + tail


def uplink_echo(uplink=0, seq=1, ns=10_000_000):
    return struct.pack("!IQQ", uplink, seq, ns)


SEEDS = {
    "geneve": {
        "no-options": geneve(),
        "oam-one-critical-option": geneve([(0x0102, 0x80, b"\xde\xad\xbe\xef")], oam=True,
                                          critical=True),
        "empty-option": geneve([(0xFF00, 0x7F, b"")], vni=0xFFFFFF, proto=0x0800),
        "three-options": geneve([(1, 1, b"\x00" * 8), (2, 0x82, b""), (3, 3, b"\x11" * 4)]),
        "max-options": geneve([(7, 7, b"\xab" * 124), (8, 8, b"\xcd" * 120)]),
        "version-1": geneve(version=1),
        "option-past-area": geneve([(1, 1, b"\x00" * 8)])[:-4],
    },
    "vxlan": {
        "vni-5000": vxlan(),
        "vni-max": vxlan(0xFFFFFF),
        "i-flag-clear": vxlan(flags=0x00),
        "reserved-bits": vxlan(7, flags=0xFF),
    },
    "nsh": {
        "query-spi1-si3": nsh(),
        "reply-spi-max": nsh(spi=0xFFFFFF, si=255, context=(0x7f000000, 0, 0xFFFFFF, 0)),
        "oam-failed-action": nsh(oam=True, ttl=1, context=(0x00010000, 0x0a010002, 6000, 0)),
        "md-type-2": nsh(md_type=2, length=2)[:8],
        "length-2": nsh(length=2),
        "version-1": nsh(version=1),
        "short": nsh()[:20],
    },
    "bfd": {
        "up": bfd(),
        "down-no-your": bfd(state=1, your=0, diag=1),
        "init-poll": bfd(state=2, flags=0x20),
        "admin-down-final-demand": bfd(state=0, flags=0x10 | 0x02, diag=7),
        "longer-length": bfd(length=32, tail=b"\x00" * 8),
        "auth-bit": bfd(flags=0x04, length=33, tail=b"\x01\x09\x05" + b"secret" + b"\x00" * 0),
        "multipoint": bfd(flags=0x01),
        "mult-zero": bfd(mult=0),
        "version-0": bfd(version=0),
    },
    "echo": {
        "uplink0": uplink_echo(),
        "uplink1-late": uplink_echo(1, 2**40, 2**63 - 1),
        "all-ones": b"\xff" * 20,
    },
}


def main():
    corpus = pathlib.Path(sys.argv[1])
    for target, seeds in SEEDS.items():
        (corpus / target).mkdir(parents=True, exist_ok=True)
        for name, data in seeds.items():
            (corpus / target / ("seed-" + name)).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
