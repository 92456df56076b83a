"""Response headers Django 5.2 does not set by itself: Content-Security-Policy and
Permissions-Policy.

Our own small middleware rather than a package: the policy is the same for every page (no
nonces, because no page has an inline script or style), and the one per-page difference,
geolocation on the search page, is a Permissions-Policy matter that django-csp does not
cover. The setting has the shape of Django 6.0's built-in `SECURE_CSP` (directive -> list of
sources), so moving to Django's own middleware later is a change of one line."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

SELF = "'self'"
NONE = "'none'"

# Browser features no page of ours uses; the search page alone asks for geolocation.
DENIED_FEATURES = (
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
)


def tile_source(url: str) -> str:
    """The CSP source that admits a Leaflet tile URL template: its scheme and host, with a
    `{s}` subdomain placeholder as a wildcard (`https://{s}.tile.example/{z}/{x}/{y}.png`
    -> `https://*.tile.example`)."""
    parts = urlsplit(url.replace("{s}", "subdomain-placeholder"))
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(
            f"MAP_TILE_URL must be an absolute http(s) URL template, got {url!r}"
        )
    host = parts.netloc.replace("subdomain-placeholder", "*")
    return f"{parts.scheme}://{host}"


def content_security_policy(*, map_tile_url: str = "") -> dict[str, list[str]]:
    """Our own origin only: no inline script or style, no eval, no plugins, no framing.
    Images may also be `data:` URIs (the authenticator QR code, Swagger UI's icons) and
    map tiles from the configured tile server."""
    images = [SELF, "data:"]
    if map_tile_url:
        images.append(tile_source(map_tile_url))
    return {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": images,
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }


def csp_header(policy: Mapping[str, Sequence[str]]) -> str:
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


def permissions_policy_header(allowed: Mapping[str, Sequence[str]]) -> str:
    """`feature=()` for every denied feature, `feature=(self)` for those allowed."""
    features: dict[str, Sequence[str]] = dict.fromkeys(DENIED_FEATURES, ())
    features.update(allowed)
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


def permissions_policy(
    **allowed: Sequence[str],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: let this view's pages use the named features, e.g.
    `@permissions_policy(geolocation=["self"])`; every other feature stays denied."""
    header = permissions_policy_header(allowed)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response["Permissions-Policy"] = header
            return response

        return wrapped

    return decorator


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy (from `SECURE_CSP`) and Permissions-Policy to every
    response that does not already carry its own (a view may set a stricter one, as the
    private document view does)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = csp_header(settings.SECURE_CSP)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy_header({})
        return response
