"""The OpenAPI schema tells clients every answer they can get: besides what each view
declares, 401 where a caller must authenticate, 403 where a signed-in browser session's
write can fail its CSRF check, and 429 with Retry-After wherever a rate limit applies
(common/ratelimit.py), each in the one error shape; and the 414 and 431 gunicorn itself
sends for a URL or headers over its limits."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, AllowAny

from common.ratelimit import AnonymousThrottle

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}

GUNICORN_PAGE = {"text/html": {"schema": {"type": "string"}}}
GUNICORN_REFUSALS = {
    "414": {
        "description": "The URL (with its query string) is too long: over 4,094 bytes.",
        "content": GUNICORN_PAGE,
    },
    "431": {
        "description": "Too many request headers, or one too large (over 8,190 bytes).",
        "content": GUNICORN_PAGE,
    },
}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        anonymous_allowed = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if not anonymous_allowed:
            responses.setdefault(
                "401",
                {"description": "No valid token or session: authenticate.", "content": ERROR},
            )
            writes = self.method.upper() not in SAFE_METHODS
            by_session = any(
                isinstance(a, SessionAuthentication) for a in self.view.get_authenticators()
            )
            if writes and by_session:
                responses.setdefault(
                    "403",
                    {"description": "A session's write without a valid CSRF token.",
                     "content": ERROR},
                )  # fmt: skip
        throttles = [
            throttle
            for throttle in self.view.get_throttles()
            # The anonymous limit never counts a caller that must be authenticated, and the
            # upload and clinic limits count only writes.
            if (anonymous_allowed or not isinstance(throttle, AnonymousThrottle))
            and not (
                getattr(throttle, "writes_only", False) and self.method.upper() in SAFE_METHODS
            )
        ]
        # gunicorn answers these itself, before the app sees the request, with a short
        # HTML page: a request line over its limit_request_line (4,094 bytes, a long query
        # string), or headers over limit_request_fields / limit_request_field_size.
        responses.setdefault("414", GUNICORN_REFUSALS["414"])
        responses.setdefault("431", GUNICORN_REFUSALS["431"])
        if throttles:
            responses.setdefault(
                "429",
                {
                    "description": "Rate limit reached: wait Retry-After seconds.",
                    "headers": {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": "Seconds until a request may succeed again.",
                        }
                    },
                    "content": ERROR,
                },
            )
        return operation
