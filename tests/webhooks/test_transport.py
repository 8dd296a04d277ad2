from __future__ import annotations

import socket
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from threading import Thread
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError

from notifications.webhooks.models import http_url_validator
from notifications.webhooks.transport import Outcome, classify, post


@pytest.mark.parametrize(
    ("status_code", "outcome"),
    [
        (200, Outcome.DELIVERED),
        (204, Outcome.DELIVERED),
        (410, Outcome.GONE),
        (500, Outcome.RETRY),
        (503, Outcome.RETRY),
        (408, Outcome.RETRY),
        (429, Outcome.RETRY),
        (None, Outcome.RETRY),
        (400, Outcome.DEAD),
        (401, Outcome.DEAD),
        (404, Outcome.DEAD),
        (301, Outcome.DEAD),
    ],
)
def test_answers_are_delivered_retried_or_dead(status_code: int | None, outcome: Outcome) -> None:
    assert classify(status_code) == outcome


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/hook",
        "file:///etc/passwd",
        "gopher://example.org/",
        "javascript:alert(1)",
    ],
)
def test_non_http_urls_are_refused_by_validation(url: str) -> None:
    with pytest.raises(ValidationError):
        http_url_validator(url)


def test_https_urls_pass_validation() -> None:
    http_url_validator("https://hooks.example.se/samverkan?token=1")


def test_a_non_http_url_is_refused_at_send_time_without_a_request() -> None:
    response = post(url="file:///etc/passwd", body=b"{}", headers={})
    assert response.outcome == Outcome.DEAD
    assert response.status_code is None
    assert "http" in response.error


def test_a_closed_port_is_a_transient_connection_error() -> None:
    server = HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_port
    server.server_close()
    response = post(url=f"http://127.0.0.1:{port}/", body=b"{}", headers={})
    assert response.outcome == Outcome.RETRY
    assert response.status_code is None
    assert response.error


def test_redirects_are_not_followed(receiver) -> None:
    target = receiver([200])

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(307)
            self.send_header("Location", target.url)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Redirect)
    Thread(target=server.handle_request, daemon=True).start()
    response = post(url=f"http://127.0.0.1:{server.server_port}/", body=b"{}", headers={})
    server.server_close()
    assert response.status_code == 307
    assert response.outcome == Outcome.DEAD
    assert target.requests == []


def test_a_slow_receiver_times_out_as_a_transient_error(receiver, settings) -> None:
    settings.WEBHOOK_TIMEOUT = 0.3

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            time.sleep(1)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Slow)
    Thread(target=server.handle_request, daemon=True).start()
    response = post(url=f"http://127.0.0.1:{server.server_port}/", body=b"{}", headers={})
    assert response.outcome == Outcome.RETRY
    assert "timed out" in response.error.lower()
    assert response.duration_ms < 1000
    server.server_close()


def test_outside_development_a_loopback_receiver_is_refused_without_a_request(
    receiver, settings
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    hook = receiver([200])
    for url in (hook.url, hook.url.replace("127.0.0.1", "localhost")):
        response = post(url=url, body=b"{}", headers={})
        assert response.outcome == Outcome.DEAD
        assert "public" in response.error
    assert hook.requests == []


def test_a_host_with_any_non_public_address_is_refused_without_connecting(
    dns, settings, monkeypatch
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    dns({"mixed.example": [["8.8.8.8", "10.0.0.5"]], "gone.example": [[]]})
    monkeypatch.setattr(socket, "create_connection", _no_connection)
    for host in ("mixed.example", "[64:ff9b::7f00:1]", "192.88.99.1"):
        response = post(url=f"https://{host}/hook", body=b"{}", headers={})
        assert response.outcome == Outcome.DEAD
        assert "public" in response.error
    # A name that does not resolve now may resolve later (a name server outage): it is retried
    # with backoff like any network error, never dropped at the first try.
    response = post(url="https://gone.example/hook", body=b"{}", headers={})
    assert response.outcome == Outcome.RETRY
    assert "HostUnresolved" in response.error


def _no_connection(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"a connection was attempted: {args}")


def test_the_connection_goes_to_the_checked_address_not_to_a_second_lookup(
    dns, settings, monkeypatch
) -> None:
    """DNS rebinding: the name answers a public address when checked and a private one later.
    The request must go to the address that was checked; nothing connects anywhere here."""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    resolver = dns({"rebind.example": [["8.8.8.8"], ["127.0.0.1"]]})
    targets: list[object] = []

    def record(address: object, *args: object, **kwargs: object) -> None:
        targets.append(address)
        raise ConnectionRefusedError("refused by the test")

    monkeypatch.setattr(socket, "create_connection", record)
    response = post(url="http://rebind.example:8080/hook", body=b"{}", headers={})

    assert targets == [("8.8.8.8", 8080)]
    assert resolver.lookups == ["rebind.example"]
    assert response.outcome == Outcome.RETRY


def test_a_pinned_request_keeps_the_host_name_in_the_host_header(receiver, dns) -> None:
    hook = receiver([204])
    port = urlsplit(hook.url).port
    resolver = dns({"hooks.example": [["127.0.0.1"], ["127.0.0.2"]]})
    response = post(url=f"http://hooks.example:{port}/in?a=1", body=b"{}", headers={"X-A": "1"})
    assert response.outcome == Outcome.DELIVERED
    assert hook.requests[0].headers["host"] == f"hooks.example:{port}"
    assert hook.requests[0].headers["x-a"] == "1"
    assert resolver.lookups == ["hooks.example"]


def test_https_to_a_pinned_address_names_the_host_for_tls(dns) -> None:
    """The TLS handshake (SNI, and so the certificate check) is for the URL's host name, even
    though the connection goes to the address checked beforehand."""
    listener = socket.create_server(("127.0.0.1", 0))
    hello: list[bytes] = []

    def read_client_hello() -> None:
        connection, _ = listener.accept()
        with connection:
            hello.append(connection.recv(4096))

    Thread(target=read_client_hello, daemon=True).start()
    dns({"secure.example": [["127.0.0.1"]]})
    port = listener.getsockname()[1]
    response = post(url=f"https://secure.example:{port}/hook", body=b"{}", headers={})
    listener.close()
    assert response.status_code is None  # no certificate: the handshake fails, as it must
    assert b"secure.example" in hello[0]
