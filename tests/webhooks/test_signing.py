from __future__ import annotations

import base64

from notifications.webhooks import signing

from .conftest import standard_webhooks_verify


def test_signature_matches_the_standard_webhooks_reference_example() -> None:
    # The example of the Standard Webhooks / Svix documentation.
    assert (
        signing.signature(
            secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            message_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp=1614265330,
            body=b'{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_headers_verify_with_an_independent_implementation() -> None:
    secret = signing.secret_generate()
    body = b'{"type":"action.update_posted"}'
    headers = signing.headers(secret=secret, message_id="42", timestamp=1767225600, body=body)
    assert headers["webhook-id"] == "42"
    assert headers["webhook-timestamp"] == "1767225600"
    assert headers["Content-Type"] == "application/json"
    assert standard_webhooks_verify(secret, headers, body)


def test_a_changed_body_or_another_secret_fails_verification() -> None:
    secret = signing.secret_generate()
    headers = signing.headers(secret=secret, message_id="7", timestamp=1767225600, body=b"{}")
    assert not standard_webhooks_verify(secret, headers, b'{"x":1}')
    assert not standard_webhooks_verify(signing.secret_generate(), headers, b"{}")


def test_generated_secrets_are_whsec_with_32_random_bytes() -> None:
    first, second = signing.secret_generate(), signing.secret_generate()
    assert first.startswith("whsec_") and first != second
    assert len(base64.b64decode(first.removeprefix("whsec_"))) == 32
