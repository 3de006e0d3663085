"""Downloads refuse internal addresses and stop at size and time limits."""

import http.server
import threading
import time
from unittest import mock

import pytest

from masthead.imports import fetch as fetch_module
from masthead.imports.errors import ItemError
from masthead.imports.fetch import Limits, fetch, resolve_public


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "::1", "10.0.0.8", "172.16.5.4", "192.168.1.1", "169.254.169.254"]
    + ["0.0.0.0", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "100.64.0.1"],  # noqa: S104
)
def test_internal_addresses_are_refused(host):
    with pytest.raises(ItemError, match="Refused to fetch"):
        resolve_public(host, 80)


def test_a_name_resolving_to_an_internal_address_is_refused():
    answer = [(2, 1, 6, "", ("10.9.8.7", 80))]
    with (
        mock.patch("socket.getaddrinfo", return_value=answer),
        pytest.raises(ItemError, match="10.9.8.7"),
    ):
        resolve_public("innocent.example.com", 80)


def test_public_address_is_allowed():
    answer = [(2, 1, 6, "", ("93.184.215.14", 443))]
    with mock.patch("socket.getaddrinfo", return_value=answer):
        assert resolve_public("public.example.com", 443) == "93.184.215.14"


@pytest.mark.parametrize("url", ["ftp://example.com/a.jpg", "file:///etc/passwd", "gopher://x/"])
def test_other_schemes_are_refused(url):
    with pytest.raises(ItemError, match="Only http and https"):
        fetch(url)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/big":
            self.send_response(200)
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"x" * 1024)
        elif self.path == "/slow":
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"x" * 10)
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/hop":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"hello")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://media.test:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def pretend_public():
    """Let the test server on 127.0.0.1 pass for a public host called media.test."""
    real = fetch_module.resolve_public

    def resolve(host, port):
        return "127.0.0.1" if host == "media.test" else real(host, port)

    with mock.patch.object(fetch_module, "resolve_public", resolve):
        yield


def test_download_within_limits(server, pretend_public):
    assert fetch(f"{server}/ok")[0] == b"hello"


def test_download_stops_at_the_size_limit(server, pretend_public):
    with pytest.raises(ItemError, match="larger than"):
        fetch(f"{server}/big", Limits(max_bytes=16 * 1024, timeout=5))


def test_download_stops_at_the_time_limit(server, pretend_public):
    started = time.monotonic()
    with pytest.raises(ItemError, match="longer than"):
        fetch(f"{server}/slow", Limits(timeout=0.5))
    assert time.monotonic() - started < 3  # the server takes 4 s to finish


def test_redirect_to_an_internal_address_is_refused(server, pretend_public):
    with pytest.raises(ItemError, match="Refused to fetch from 169.254.169.254"):
        fetch(f"{server}/hop")
