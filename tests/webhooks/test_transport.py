from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from threading import Thread

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
