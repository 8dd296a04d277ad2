"""A file over the limit is refused by a real server before the client has sent the body.

The client announces a body larger than ATTACHMENT_MAX_BYTES, sends only its first part (the
CSRF token, the title, the file's header and a little of its content), and then waits: the
answer (413, with the error by the file field, or the API's JSON 413) must come while most of the
announced body was never sent, so the server cannot have read it.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from documents.models import Attachment

BOUNDARY = "samverkanboundary"
CSRF = "a" * 32  # the cookie's secret, sent as is in the form (Django accepts it unmasked)
SENT_OF_FILE = 64 * 1024


def _first_part(title: str) -> bytes:
    lines = [
        f"--{BOUNDARY}",
        'Content-Disposition: form-data; name="csrfmiddlewaretoken"',
        "",
        CSRF,
        f"--{BOUNDARY}",
        'Content-Disposition: form-data; name="title"',
        "",
        title,
        f"--{BOUNDARY}",
        'Content-Disposition: form-data; name="file"; filename="stor.pdf"',
        "Content-Type: application/pdf",
        "",
        "",
    ]
    return "\r\n".join(lines).encode() + b"%PDF-1.4\n" + b"x" * SENT_OF_FILE


def _send_partly(url: str, path: str, headers: dict[str, str], announced: int) -> bytes:
    """Send the headers and the first part only; return what the server answers meanwhile."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        head = [f"POST {path} HTTP/1.1", f"Host: {parts.hostname}:{parts.port}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        head += [f"Content-Length: {announced}", "Connection: close", "", ""]
        sock.sendall("\r\n".join(head).encode() + _first_part("För stor"))
        answer = b""
        while not _complete(answer):
            if b"\r\n\r\n" in answer:
                sock.settimeout(3)  # a body without Content-Length: what arrives in 3 s
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            answer += chunk
        return answer


def _complete(answer: bytes) -> bool:
    """Whether the whole response arrived (the server may keep the connection open)."""
    head, separator, body = answer.partition(b"\r\n\r\n")
    if not separator:
        return False
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def _session(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.django_db(transaction=True)
def test_the_form_answers_413_with_the_error_by_the_file_before_the_body_is_sent(
    live_server, transactional_demo, settings
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
    announced = 30 * 1024 * 1024
    demo = transactional_demo
    path = reverse("attachment_add", kwargs={"kind": "case", "pk": demo.youth.pk})
    cookies = f"sessionid={_session(demo.carl)}; csrftoken={CSRF}; django_language=en"
    answer = _send_partly(
        live_server.url,
        path,
        {
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Cookie": cookies,
            "Referer": live_server.url + path,
        },
        announced,
    )
    status_line, _, body = answer.partition(b"\r\n")
    assert status_line.split()[1] == b"413", answer[:300]
    assert len(_first_part("För stor")) < announced // 100  # the server saw under 1 %
    # The form comes back with the title kept and the error by the file field.
    page = body.decode(errors="replace")
    assert 'id="id_file_errors"' in page
    assert "The file is too large: at most 25 MB." in page
    assert 'value="För stor"' in page
    assert not Attachment.objects.filter(title="För stor").exists()


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_413_before_the_body_is_sent(live_server, transactional_demo) -> None:
    from agencies.services import api_token_create

    _token, secret = api_token_create(user=transactional_demo.carl, name="upload")
    answer = _send_partly(
        live_server.url,
        "/api/v1/attachments/",
        {
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Authorization": f"Bearer {secret}",
        },
        30 * 1024 * 1024,
    )
    assert answer.split(b"\r\n", 1)[0].split()[1] == b"413", answer[:300]
    assert b"too large" in answer
