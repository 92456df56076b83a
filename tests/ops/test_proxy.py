"""The repository's own Caddyfile, run by the real Caddy in front of Meridian as deployed
(two gunicorn nodes, DEBUG off, HTTPS redirect on, trusting the proxy's headers), talked to
over real HTTPS on loopback: the certificate from Caddy's local authority, HTTP/2, the
redirect from plain HTTP, X-Forwarded-Proto and -For as the app sees them, compression of
public answers only, and both web nodes in use, with requests still answered when one stops.

The Caddyfile reads its ports, its upstream and a few options from the environment; with
none set it is exactly what docker compose runs (test_the_defaults_are_what_compose_runs).
Both nodes listen on the same port of two loopback addresses, and a name server of the
test's own (tests/ops/nameserver.py) answers `web` with both, as Docker's does for
`--scale web=2`, so Caddy's `dynamic a web PORT` upstream is used unchanged."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from ops.jobs import stop_process
from tests.factories import AccountFactory
from tests.ops.nameserver import name_server
from tests.ops.processes import ROOT, Server, database_url, deployed_environment, gunicorn

pytestmark = pytest.mark.process  # gunicorn twice and Caddy

CADDY = shutil.which("caddy")
CADDYFILE = ROOT / "Caddyfile"
NODES = ["127.0.0.1", "127.0.0.2"]
TRIES = 300  # readiness polls, 0.1 s apart
PUBLIC_PAGE = "/evidence/"
API = "/api/v1/practitioners/"


def caddy_binary() -> str:
    if not CADDY:
        pytest.skip("no caddy found: install Debian's caddy package (.ci/run does)")
    return CADDY


def free_port() -> int:
    """A port free on every address, for TCP and UDP (Caddy serves HTTP/3 on UDP too)."""
    for _ in range(50):
        with socket.socket() as tcp, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            tcp.bind(("", 0))
            port = tcp.getsockname()[1]
            try:
                udp.bind(("", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port found")


def caddy_environment(work: Path, **extra: str) -> dict[str, str]:
    """Caddy's own directories (its local authority among them) under `work`, and none of
    the Caddyfile's variables from the test's environment."""
    names = ("HTTP_PORT", "HTTPS_PORT", "CADDY_ADMIN", "CADDY_OPTIONS", "SITE_ADDRESS")
    names += ("WEB_HOST", "WEB_PORT", "WEB_RESOLVERS")
    return {
        **{key: value for key, value in os.environ.items() if key not in names},
        "XDG_DATA_HOME": str(work / "data"),
        "XDG_CONFIG_HOME": str(work / "config"),
        **extra,
    }


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Proxy:
    http_port: int
    https_port: int
    root_certificate: Path
    nodes: list[Server]
    log_path: Path

    def tls(self) -> ssl.SSLContext:
        """Verifies against Caddy's local authority only (not the system's)."""
        context = ssl.create_default_context(cafile=str(self.root_certificate))
        context.set_alpn_protocols(["h2", "http/1.1"])
        return context

    def get(
        self, path: str, headers: dict[str, str] | None = None, source: str = "127.0.0.1"
    ) -> Response:
        """GET over HTTPS (HTTP/1.1: http.client speaks no HTTP/2) from address `source`."""
        context = ssl.create_default_context(cafile=str(self.root_certificate))
        connection = http.client.HTTPSConnection(
            "localhost", self.https_port, context=context, timeout=10, source_address=(source, 0)
        )
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return Response(
                response.status,
                {key.lower(): value for key, value in response.getheaders()},
                response.read(),
            )
        finally:
            connection.close()


def wait_until_serving(proxy: Proxy, process: subprocess.Popen) -> None:
    """Until Caddy has made its authority and answers over HTTPS, in at most TRIES polls."""
    for _ in range(TRIES):
        if process.poll() is not None:
            break
        if proxy.root_certificate.exists():
            try:
                if proxy.get("/healthz").status == 200:
                    return
            except (OSError, ssl.SSLError):
                pass
        time.sleep(0.1)
    raise AssertionError(f"Caddy did not serve:\n{proxy.log_path.read_text()[-3000:]}")


@contextmanager
def caddy(work: Path, web_port: int, resolver_port: int, nodes: list[Server]) -> Iterator[Proxy]:
    """The Caddyfile run by `caddy run`, stopped (killed after 10 s) however the test ends."""
    work.mkdir()
    http_port, https_port = free_port(), free_port()
    env = caddy_environment(
        work,
        HTTP_PORT=str(http_port),
        HTTPS_PORT=str(https_port),
        CADDY_ADMIN="off",
        # Its local authority stays in XDG_DATA_HOME, out of the machine's trust store.
        CADDY_OPTIONS="skip_install_trust",
        WEB_PORT=str(web_port),
        WEB_RESOLVERS=f"resolvers udp/127.0.0.1:{resolver_port}",
    )
    root = work / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    log_path = work / "caddy.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [caddy_binary(), "run", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
            cwd=work,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        proxy = Proxy(http_port, https_port, root, nodes, log_path)
        wait_until_serving(proxy, process)
        yield proxy
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def proxy(django_db_setup, tmp_path_factory) -> Iterator[Proxy]:
    """Two web nodes on the test database, as deployed behind a proxy, and Caddy in front."""
    caddy_binary()
    work = tmp_path_factory.mktemp("proxy")
    with ExitStack() as stack:
        nodes: list[Server] = []
        for index, address in enumerate(NODES):
            node_work = work / f"web-{index}"
            node_work.mkdir()
            env = deployed_environment(
                database_url(),
                node_work,
                ALLOWED_HOSTS="localhost,127.0.0.1",
                STATIC_ROOT=str(work / "static"),  # collected once, for both
                SECURE_SSL_REDIRECT="true",
                TRUST_X_FORWARDED_PROTO="true",
                TRUSTED_PROXY_COUNT="1",
                API_ANON_RATE="2/minute",
                LOG_FORMAT="json",
                WEB_CONCURRENCY="1",  # one process per node: one rate-limit count per node
                BIND_HOST=address,
                PORT=str(nodes[0].port) if nodes else "0",  # the second on the first's port
            )
            node = gunicorn(env, node_work, collect_static=not nodes)
            nodes.append(stack.enter_context(node))
        resolver_port = stack.enter_context(name_server("web", NODES))
        yield stack.enter_context(caddy(work / "caddy", nodes[0].port, resolver_port, nodes))


def test_the_defaults_are_what_compose_runs(tmp_path):
    """With none of its variables set the Caddyfile is valid and is what compose runs: ports
    80 and 443, the admin endpoint on localhost:2019, every `web` container on port 8000,
    looked up by the system's resolver, and no other global option."""
    env = caddy_environment(tmp_path)
    command = [caddy_binary(), "--adapter", "caddyfile", "--config", str(CADDYFILE)]
    validated = subprocess.run(
        [command[0], "validate", *command[1:]], env=env, capture_output=True, text=True
    )
    assert validated.returncode == 0, validated.stderr
    assert "Valid configuration" in validated.stdout + validated.stderr
    adapted = subprocess.run(
        [command[0], "adapt", *command[1:]], env=env, capture_output=True, text=True
    )
    assert adapted.returncode == 0, adapted.stderr
    config = json.loads(adapted.stdout)
    assert config["admin"] == {"listen": "localhost:2019"}
    assert set(config["apps"]) == {"http"}  # nothing added to tls or pki
    http = config["apps"]["http"]
    assert (http["http_port"], http["https_port"]) == (80, 443)
    (server,) = http["servers"].values()
    assert server["listen"] == [":443"]
    assert server["routes"][0]["match"] == [{"host": ["localhost"]}]
    (proxying,) = [
        handler
        for route in server["routes"][0]["handle"][0]["routes"]
        for handler in route["handle"]
        if handler["handler"] == "reverse_proxy"
    ]
    assert proxying["dynamic_upstreams"] == {
        "source": "a",
        "name": "web",
        "port": "8000",
        "refresh": 5_000_000_000,
    }


def test_tls_from_caddys_local_authority_and_http2(proxy):
    """The certificate for localhost verifies against Caddy's own root (and nothing else is
    trusted here), and the client and Caddy agree on HTTP/2 (ALPN h2)."""
    with (
        socket.create_connection(("127.0.0.1", proxy.https_port), timeout=10) as raw,
        proxy.tls().wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        certificate = tls.getpeercert()
        assert tls.selected_alpn_protocol() == "h2"
        assert tls.version() in {"TLSv1.2", "TLSv1.3"}
    assert ("DNS", "localhost") in certificate["subjectAltName"]
    issuer = dict(pair for entry in certificate["issuer"] for pair in entry)
    assert "Caddy Local Authority" in issuer["commonName"]
    # The system's roots alone do not trust it: the verification above was the local root's.
    with (
        socket.create_connection(("127.0.0.1", proxy.https_port), timeout=10) as raw,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        ssl.create_default_context().wrap_socket(raw, server_hostname="localhost")


def test_plain_http_is_redirected_to_https(proxy):
    connection = http.client.HTTPConnection("localhost", proxy.http_port, timeout=10)
    try:
        connection.request("GET", f"{PUBLIC_PAGE}?near=94105")
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    assert response.status == 308
    location = urlsplit(response.getheader("Location"))
    assert (location.scheme, location.hostname) == ("https", "localhost")
    assert (location.path, location.query) == (PUBLIC_PAGE, "near=94105")
    # Caddy 2.6 names no port (443 then, as in compose), later versions the one it serves.
    assert location.port in {None, proxy.https_port}


def test_the_app_sees_https_whatever_the_client_claims(proxy):
    """The nodes redirect plain HTTP themselves (SECURE_SSL_REDIRECT) and trust
    X-Forwarded-Proto: reached directly they redirect, through Caddy they answer, with HSTS,
    also when the client sends X-Forwarded-Proto: http itself (Caddy replaces it)."""
    for node in proxy.nodes:
        direct = node.get(PUBLIC_PAGE, headers={"Host": "localhost"})
        assert direct.status == 301
        assert direct.headers["location"] == f"https://localhost{PUBLIC_PAGE}"
    for headers in ({}, {"X-Forwarded-Proto": "http"}):
        response = proxy.get(PUBLIC_PAGE, headers=headers)
        assert response.status == 200, headers
        assert response.headers["strict-transport-security"].startswith("max-age="), headers


def test_rate_limits_count_the_address_caddy_saw(proxy):
    """The anonymous API's limit (2 a minute here, per node) counts the client's address as
    Caddy puts it in X-Forwarded-For: one client sending a new X-Forwarded-For each time is
    still stopped (5 requests over 2 nodes: one node sees 3), and another client, from
    another address, is not, though Caddy connects to the nodes from the same address."""
    statuses = [
        proxy.get(
            f"{API}?near=40.{index},-74.0",  # each its own answer, not the origin cache's
            headers={"X-Forwarded-For": f"203.0.113.{index}"},
            source="127.0.0.2",
        ).status
        for index in range(5)
    ]
    assert 429 in statuses, statuses
    assert set(statuses) <= {200, 429}, statuses
    assert proxy.get(f"{API}?near=41.0,-74.0", source="127.0.0.3").status == 200


def test_caddy_compresses_public_answers_only(proxy, transactional_db):
    """A public page: the app gzips it itself (ops.compression) and Caddy passes that on;
    for a client that takes only zstd, which the app leaves uncompressed, Caddy compresses.
    A signed-in page (private, no-store: what may hold a CSRF token) is compressed by
    neither."""
    plain = proxy.get(PUBLIC_PAGE, headers={"Accept-Encoding": "identity"})
    assert plain.status == 200 and "content-encoding" not in plain.headers
    assert plain.headers["cache-control"].startswith("public")

    # The app: gzip when asked for it, nothing for a client that takes only zstd.
    for encoding, expected in (("gzip", "gzip"), ("zstd", None)):
        direct = proxy.nodes[0].get(
            PUBLIC_PAGE, headers={"Accept-Encoding": encoding, "X-Forwarded-Proto": "https"}
        )
        assert direct.status == 200
        assert direct.headers.get("content-encoding") == expected, encoding

    # Through Caddy: the app's gzip as it is (decompressed once, the page), and zstd by Caddy.
    gzipped = proxy.get(PUBLIC_PAGE, headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(gzipped.body) == plain.body
    zstd = proxy.get(PUBLIC_PAGE, headers={"Accept-Encoding": "zstd"})
    assert zstd.headers["content-encoding"] == "zstd"
    assert zstd.body.startswith(b"\x28\xb5\x2f\xfd")  # a zstd frame (no decoder here)
    assert len(zstd.body) < len(plain.body) / 2

    client = Client()
    client.force_login(AccountFactory())
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    signed_in = proxy.get(PUBLIC_PAGE, headers={"Accept-Encoding": "gzip, zstd", "Cookie": cookie})
    assert signed_in.status == 200
    assert "private" in signed_in.headers["cache-control"]
    assert "no-store" in signed_in.headers["cache-control"]
    assert "content-encoding" not in signed_in.headers
    assert len(signed_in.body) > 1000  # large enough that Caddy would have compressed it


def served_by(proxy: Proxy, request_id: str) -> list[int]:
    """Which nodes logged the request with this id."""
    return [
        index
        for index, node in enumerate(proxy.nodes)
        if any(f'"{request_id}"' in line for line in node.log_lines())
    ]


def test_requests_reach_both_nodes_and_go_on_when_one_stops(proxy):
    ids = [f"proxy-spread-{number:03d}" for number in range(40)]
    for request_id in ids:
        assert proxy.get(PUBLIC_PAGE, headers={"X-Request-ID": request_id}).status == 200
    assert {index for request_id in ids for index in served_by(proxy, request_id)} == {0, 1}

    # The second node goes away at once (gunicorn's quick shutdown, as a crashed container),
    # while the name server still names it.
    stopped = proxy.nodes[1]
    stopped.process.send_signal(signal.SIGQUIT)
    stopped.process.wait(timeout=30)
    assert stopped.get("/healthz").error  # refused
    after = [f"proxy-after-{number:03d}" for number in range(20)]
    statuses = [proxy.get(PUBLIC_PAGE, headers={"X-Request-ID": i}).status for i in after]
    assert statuses == [200] * len(after)
    assert all(served_by(proxy, request_id) == [0] for request_id in after)
