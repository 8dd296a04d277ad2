"""Issue 8, API: body depth and size limits, throttled bad tokens, no-store, trusted proxies."""

from __future__ import annotations

import io
import time

import pytest
from django.conf import settings as django_settings
from django.test import Client
from rest_framework.test import APIClient

from tests.helpers import nothing_written

DEEP_JSON = "[" * 10_000 + "]" * 10_000
SHALLOW_BUT_OVER_NUL_RECURSION = '{"title": ' + "[" * 320 + "]" * 320 + "}"
HUNDRED_MB = 100 * 1024 * 1024


def _json_endpoints(demo) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [
        ("post", "/api/v1/cases/"),
        ("patch", f"/api/v1/actions/{demo.actions.picture.pk}/"),
        ("post", "/api/v1/tokens/"),
    ]


def _send(client: APIClient, method: str, path: str, body: bytes | str, content_type: str):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    response = getattr(client, method)(path, data=body, content_type=content_type)
    return response, time.monotonic() - started


@pytest.mark.parametrize("body", [DEEP_JSON, SHALLOW_BUT_OVER_NUL_RECURSION])
def test_deeply_nested_json_answers_400_quickly_on_every_json_endpoint(demo, api, body) -> None:
    client = api(demo.anna)
    for method, path in _json_endpoints(demo):
        with nothing_written():
            response, elapsed = _send(client, method, path, body, "application/json")
        assert response.status_code == 400, (path, response.status_code)
        assert "nested" in response.json()["detail"]
        assert elapsed < 3, (path, elapsed)


def test_json_nested_within_the_limit_is_still_parsed(demo, api) -> None:
    body = '{"name": "ok", "extra": ' + "[" * 20 + "]" * 20 + "}"
    response = api(demo.sara).post("/api/v1/tokens/", data=body, content_type="application/json")
    assert response.status_code == 201


def test_brackets_inside_strings_do_not_count_as_nesting(demo, api) -> None:
    body = '{"name": "' + "[{" * 40 + '\\"]"}'
    response = api(demo.sara).post("/api/v1/tokens/", data=body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["name"].startswith("[{[{")


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_100_mb_body_answers_413_quickly_on_every_endpoint_and_parser(
    demo, api, content_type
) -> None:
    client = api(demo.anna)
    body = b"[" * HUNDRED_MB if content_type == "application/json" else b"a=" + b"b" * HUNDRED_MB
    if content_type.startswith("multipart"):
        content_type += "; boundary=xyz"
    for method, path in _json_endpoints(demo):
        with nothing_written():
            response, elapsed = _send(client, method, path, body, content_type)
        assert response.status_code == 413, (path, content_type, response.status_code)
        assert response["Content-Type"] == "application/json"
        assert "too large" in response.json()["detail"]
        assert elapsed < 5, (path, elapsed)


@pytest.mark.parametrize(
    ("body", "depth"),
    [
        (b"{}", 1),
        (b'{"a": [1, {"b": [[]]}]}', 5),
        (b'{"a": "[[[[{{{{"}', 1),
        (b'{"a": "\\"[[[["}', 1),  # an escaped quote does not end the string
        (b'["\\\\", [[]]]', 3),  # an escaped backslash does not escape the quote
        (b'"unterminated [[[[', 0),
        (b"[" * 100, 100),
    ],
)
def test_json_depth_counts_only_brackets_outside_strings(body: bytes, depth: int) -> None:
    from config.api.parsers import json_depth

    assert json_depth(body) == depth


def test_the_depth_scan_of_a_hostile_megabyte_stays_fast() -> None:
    from config.api.parsers import json_depth

    for body in (b"[" * 1_000_000, b'"\\"' * 330_000, b'"' + b'\\"' * 500_000):
        started = time.monotonic()
        json_depth(body)
        assert time.monotonic() - started < 2


def test_a_body_without_content_length_is_cut_off_at_the_limit(settings) -> None:
    from config.api.parsers import RequestTooLarge, StrictJSONParser

    settings.API_MAX_BODY_BYTES = 1000
    stream = io.BytesIO(b'{"a": "' + b"x" * 5000 + b'"}')
    with pytest.raises(RequestTooLarge):
        StrictJSONParser().parse(stream, "application/json", {"request": None})


def test_form_and_multipart_bodies_with_nesting_or_nul_still_answer_400(demo, api) -> None:
    client = api(demo.sara)
    response = client.post(
        "/api/v1/tokens/", data="name=a%00b", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    response = client.post("/api/v1/tokens/", {"name": "multipart token"}, format="multipart")
    assert response.status_code == 201


# Cache-Control on authenticated answers


def test_authenticated_api_answers_are_never_stored_by_caches(demo, api) -> None:
    client = api(demo.carl)
    for path in ("/api/v1/me/", "/api/v1/cases/", f"/api/v1/cases/{demo.youth.pk}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], path
        vary = {part.strip().lower() for part in response["Vary"].split(",")}
        assert {"authorization", "cookie"} <= vary, path


def test_session_authenticated_api_answers_are_never_stored_either(demo) -> None:
    client = APIClient()
    client.force_login(demo.carl)
    response = client.get("/api/v1/me/")
    assert "no-store" in response["Cache-Control"]


def test_an_answer_to_a_bad_token_is_not_stored_either(demo, api) -> None:
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION="Bearer sam_wrong")
    assert "no-store" in client.get("/api/v1/cases/")["Cache-Control"]


# Invalid bearer tokens are throttled per client address


def _limit_bad_tokens(settings, rate: str) -> None:  # type: ignore[no-untyped-def]
    rates = {**django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "bad_tokens": rate}
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_guessing_bearer_tokens_is_stopped_with_429_and_retry_after(demo, api, settings) -> None:
    _limit_bad_tokens(settings, "3/minute")
    client = api(None)
    codes = []
    for attempt in range(5):
        client.credentials(HTTP_AUTHORIZATION=f"Bearer sam_guess-{attempt}")
        codes.append(client.get("/api/v1/cases/"))
    assert [r.status_code for r in codes] == [401, 401, 401, 429, 429]
    assert 0 < int(codes[-1]["Retry-After"]) <= 60


def test_after_the_limit_a_valid_token_from_that_address_still_signs_in(
    demo, api, settings
) -> None:
    """A forgotten script with a token that ended at a password change must not lock every
    integration behind the same address out; the guesser keeps getting 429."""
    _limit_bad_tokens(settings, "2/minute")
    guesser = api(None)
    guesser.credentials(HTTP_AUTHORIZATION="Bearer sam_guess")
    assert [guesser.get("/api/v1/cases/").status_code for _ in range(3)] == [401, 401, 429]
    assert api(demo.anna).get("/api/v1/cases/").status_code == 200
    assert guesser.get("/api/v1/cases/").status_code == 429


def test_a_json_body_in_another_charset_is_refused_not_parsed_blind(demo, api) -> None:
    """UTF-16 would hide brackets from the depth scan (it reads UTF-8): JSON is UTF-8 only."""
    depth = 600
    body = ('{"note": "丢", "direction": ' + "[" * depth + "]" * depth + "}").encode("utf-16")
    response = api(demo.carl).generic(
        "POST", "/api/v1/outcomes/", body, content_type="application/json; charset=utf-16"
    )
    assert response.status_code == 415
    assert (
        api(demo.carl)
        .generic("POST", "/api/v1/outcomes/", b"{}", content_type="application/json; charset=UTF-8")
        .status_code
        == 400
    )


def test_valid_tokens_never_count_as_failures(demo, api, settings) -> None:
    _limit_bad_tokens(settings, "2/minute")
    client = api(demo.anna)
    codes = [client.get("/api/v1/me/").status_code for _ in range(5)]
    assert codes == [200] * 5


def test_throttles_let_requests_through_when_the_cache_is_down(
    demo, api, settings, caplog, monkeypatch
) -> None:
    from config.api import throttling

    monkeypatch.setattr(throttling, "_last_logged", 0.0)  # an earlier test's line may be recent
    _limit_bad_tokens(settings, "1/minute")
    client = api(demo.anna)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert client.get("/api/v1/me/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Bearer sam_guess")
    assert [client.get("/api/v1/me/").status_code for _ in range(2)] == [401, 401]
    assert "throttle" in caplog.text.lower()


# X-Forwarded-* only from a trusted proxy


def test_forwarded_proto_from_an_untrusted_address_is_ignored(demo, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    client = Client()
    response = client.get(
        "/accounts/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_forwarded_proto_from_a_trusted_proxy_is_honoured(demo, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    client = Client()
    response = client.get(
        "/accounts/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.0.0.5"
    )
    assert response.status_code == 200


def test_a_spoofed_forwarded_for_does_not_escape_the_throttle(demo, api, settings) -> None:
    _limit_bad_tokens(settings, "2/minute")
    settings.TRUSTED_PROXIES = []
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION="Bearer sam_guess")
    codes = [
        client.get("/api/v1/cases/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]
    assert codes == [401, 401, 429, 429]


def test_behind_a_trusted_proxy_each_client_address_counts_separately(demo, api, settings) -> None:
    _limit_bad_tokens(settings, "2/minute")
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION="Bearer sam_guess")

    def via_proxy(forwarded_for: str) -> int:
        return client.get(
            "/api/v1/cases/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    # The proxy appends the real client; what the client itself claimed (left) is not trusted.
    assert [via_proxy(f"1.2.3.{n}, 198.51.100.7") for n in range(3)] == [401, 401, 429]
    assert via_proxy("198.51.100.8") == 401


def test_review_texts_take_strings_only(demo, api) -> None:
    from cases.models import Measurement

    value = Measurement.objects.filter(outcome__case=demo.youth, review_state="submitted").first()
    client = api(demo.carl)
    with nothing_written():
        response = client.post(
            f"/api/v1/measurements/{value.pk}/return/", {"comment": 0}, format="json"
        )
    assert response.status_code == 400
    assert "comment" in response.json()


def test_an_empty_delivery_state_filter_is_refused_not_ignored(demo, api) -> None:
    response = api(demo.sara).get("/api/v1/webhook-deliveries/?state=")
    assert response.status_code == 400
    assert "state" in response.json()
