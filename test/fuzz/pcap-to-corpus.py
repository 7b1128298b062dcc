#!/usr/bin/python3
"""Seed the header fuzz corpora from pcaps the module wrote (a scenario's pcap: list, as in
scenarios/pcap-geneve.yaml and test-pcap).

Usage: pcap-to-corpus.py CORPUS_DIR PCAP...

Each Ethernet/IPv4/UDP frame is sorted by UDP port: 6081 gives a GENEVE sample (the UDP payload:
the header with its options and the first bytes of the inner frame), 4789 a VXLAN sample; inside
a GENEVE or VXLAN tunnel, inner UDP to 3784 or 7784 (or from 7784) gives a BFD control sample and
to 3785 an uplink echo sample. Samples are written as CORPUS_DIR/<target>/pcap-<sha1 prefix>,
identical ones once, at most MAX_PER_TARGET per target, so the committed corpus stays small.
"""
import hashlib
import pathlib
import struct
import sys

MAX_PER_TARGET = 40
TAIL = 16  # bytes of what follows a tunnel header kept in its sample


def udp_of_ipv4_frame(frame):
    """(sport, dport, payload) of an Ethernet/IPv4/UDP frame, or None."""
    if len(frame) < 14 + 20 + 8 or frame[12:14] != b"\x08\x00":
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    if ip[0] >> 4 != 4 or ip[9] != 17 or len(ip) < ihl + 8:
        return None
    sport, dport, length = struct.unpack("!HHH", ip[ihl:ihl + 6])
    return sport, dport, ip[ihl + 8:ihl + max(length, 8)]


def frames(path):
    data = pathlib.Path(path).read_bytes()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    if linktype != 1:  # Ethernet only
        return
    offset = 24
    while offset + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[offset + 8:offset + 12])[0]
        yield data[offset + 16:offset + 16 + caplen]
        offset += 16 + caplen


def samples(frame):
    outer = udp_of_ipv4_frame(frame)
    if outer is None:
        return
    _, dport, payload = outer
    if dport == 6081 and len(payload) >= 8:
        header = 8 + (payload[0] & 0x3F) * 4
        yield "geneve", payload[:header + TAIL]
        inner = payload[header:]
    elif dport == 4789 and len(payload) >= 8:
        yield "vxlan", payload[:8 + TAIL]
        inner = payload[8:]
    else:
        return
    control = udp_of_ipv4_frame(inner)
    if control is None:
        return
    sport, dport, body = control
    if dport in (3784, 7784) or sport == 7784:
        yield "bfd", body
    elif dport == 3785:
        yield "echo", body


def main():
    corpus = pathlib.Path(sys.argv[1])
    seen = {}
    for pcap in sys.argv[2:]:
        for frame in frames(pcap):
            for target, sample in samples(frame):
                names = seen.setdefault(target, set())
                name = "pcap-" + hashlib.sha1(sample).hexdigest()[:16]
                if name in names or len(names) >= MAX_PER_TARGET:
                    continue
                names.add(name)
                (corpus / target).mkdir(parents=True, exist_ok=True)
                (corpus / target / name).write_bytes(sample)
    for target in sorted(seen):
        print(f"{target}: {len(seen[target])} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
