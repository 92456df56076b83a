from __future__ import annotations

import base64

from tests.totp import totp_code


def test_the_test_authenticator_matches_the_rfc_6238_reference_value():
    # RFC 6238 appendix B: SHA-1, the ASCII secret "12345678901234567890", T = 59 s.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp_code(secret, at=59, digits=8) == "94287082"
