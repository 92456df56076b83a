"""Compression of public answers only.

BREACH recovers a secret from the size of compressed answers that reflect a visitor's
input next to that secret. Public answers hold no secret (no CSRF token, no session data,
nothing personal: ops.http_cache stores them for everyone), so they are compressed; answers
for signed-in visitors, which hold CSRF tokens, are sent as they are. Django's middleware
adds its own mitigation (random bytes in the gzip header) on top."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # Files (photos) are streamed and already compressed.
        if response.streaming or not response.get("Cache-Control", "").startswith("public"):
            return response
        return super().process_response(request, response)
