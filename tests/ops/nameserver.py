"""A name server for one test: it answers A queries for one name with a fixed list of
IPv4 addresses, NXDOMAIN for any other name, and no records for other types. Enough for
Caddy's `dynamic a` upstreams (tests/ops/test_proxy.py) to find several web nodes under
one name, as Docker's resolver finds every container of a compose service."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

A, IN = 1, 1
NXDOMAIN = 3


def question(query: bytes) -> tuple[str, int, int]:
    """The queried name (lower case, no final dot), its type, and where the question ends."""
    labels, offset = [], 12
    while length := query[offset]:
        labels.append(query[offset + 1 : offset + 1 + length].decode("ascii").lower())
        offset += 1 + length
    qtype, _qclass = struct.unpack("!HH", query[offset + 1 : offset + 5])
    return ".".join(labels), qtype, offset + 5


def answer(query: bytes, name: str, addresses: list[str]) -> bytes:
    asked, qtype, end = question(query)
    (ident, flags) = struct.unpack("!HH", query[:4])
    records = [] if asked != name or qtype != A else addresses
    rcode = NXDOMAIN if asked != name else 0
    # A response (QR), authoritative (AA), recursion desired as asked (RD), available (RA).
    flags = 0x8000 | 0x0400 | (flags & 0x0100) | 0x0080 | rcode
    header = struct.pack("!HHHHHH", ident, flags, 1, len(records), 0, 0)
    body = b"".join(
        # The name by pointer to the question's (offset 12), A IN, TTL 0, four bytes.
        struct.pack("!HHHIH", 0xC00C, A, IN, 0, 4) + socket.inet_aton(address)
        for address in records
    )
    return header + query[12:end] + body


@contextmanager
def name_server(name: str, addresses: list[str]) -> Iterator[int]:
    """Serve `name` -> `addresses` over UDP on 127.0.0.1; yields the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                query, client = sock.recvfrom(512)
            except TimeoutError:
                continue
            try:
                sock.sendto(answer(query, name, addresses), client)
            except (IndexError, struct.error, UnicodeDecodeError):
                continue  # not a query this server understands: no answer

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        sock.close()
