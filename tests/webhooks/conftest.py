"""Webhook test fixtures: a real local receiver that verifies signatures on its own, and helpers.

The receiver is an http.server on 127.0.0.1 (a free port) in a thread. It answers from a script of
status codes (the last one repeats) and checks every request's Standard Webhooks signature with
an implementation written here, independent of the product's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def standard_webhooks_verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Per the spec: HMAC-SHA256 over "{id}.{timestamp}.{body}", keyed with the base64-decoded
    part of the secret after "whsec_"; the header holds space-separated "v1,<base64>" values."""
    key = base64.b64decode(secret.split("_", 1)[1])
    content = b"%s.%s.%s" % (
        headers["webhook-id"].encode(),
        headers["webhook-timestamp"].encode(),
        body,
    )
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    given = [part.split(",", 1)[1] for part in headers["webhook-signature"].split(" ")]
    return any(hmac.compare_digest(expected, candidate) for candidate in given)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signature_valid: bool


@dataclass
class Receiver:
    url: str
    script: list[int]
    secret: str = ""
    requests: list[Received] = field(default_factory=list)

    def next_status(self) -> int:
        index = min(len(self.requests), len(self.script) - 1)
        return self.script[index]


@pytest.fixture
def receiver() -> Iterator[Callable[[list[int]], Receiver]]:
    """`receiver([500, 500, 500, 200])` starts one; set `.secret` to verify signatures."""
    servers: list[ThreadingHTTPServer] = []

    def start(script: list[int]) -> Receiver:
        state = Receiver(url="", script=script)
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                with lock:
                    status = state.next_status()
                    valid = bool(state.secret) and standard_webhooks_verify(
                        state.secret, headers, body
                    )
                    state.requests.append(Received(headers, body, valid))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        state.url = f"http://127.0.0.1:{server.server_port}/hooks/samverkan"
        return state

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def make_endpoint() -> Callable[..., object]:
    """An endpoint as an organisation admin would have set it up (setup, not what is tested)."""
    from notifications.webhooks.models import WebhookEndpoint
    from notifications.webhooks.signing import secret_generate

    def make(organisation: object, url: str, kinds: list[str] | None = None) -> WebhookEndpoint:
        return WebhookEndpoint.objects.create(
            organisation=organisation, url=url, event_kinds=kinds or [], secret=secret_generate()
        )

    return make


@pytest.fixture
def fast_retries(settings) -> None:
    """Retries without waiting, so an in-process (eager) run goes through every attempt."""
    settings.WEBHOOK_RETRY_SCHEDULE = [0, 0, 0]


@dataclass
class StubResolver:
    """Answers for made-up host names, one answer per lookup (the last one repeats); every other
    name, and every literal address, goes to the real resolver."""

    answers: dict[str, list[list[str]]]
    lookups: list[str] = field(default_factory=list)

    def __call__(self, host: object, port: object, *args: object, **kwargs: object) -> list:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in self.answers:
            return _real_getaddrinfo(host, port, *args, **kwargs)
        script = self.answers[name]
        answer = script[min(self.lookups.count(name), len(script) - 1)]
        self.lookups.append(name)
        if not answer:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [_address_info(address, port) for address in answer]


def _address_info(address: str, port: object) -> tuple:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sockaddr = (
        (address, int(port or 0), 0, 0) if family == socket.AF_INET6 else (address, int(port or 0))
    )
    return (family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)


_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture
def dns(monkeypatch) -> Callable[[dict[str, list[list[str]]]], StubResolver]:
    """`dns({"hooks.example": [["8.8.8.8"], ["127.0.0.1"]]})`: the first lookup answers 8.8.8.8,
    every later one 127.0.0.1 (a rebinding name server). An empty answer: the name is unknown."""

    def install(answers: dict[str, list[list[str]]]) -> StubResolver:
        resolver = StubResolver(answers)
        monkeypatch.setattr(socket, "getaddrinfo", resolver)
        return resolver

    return install
