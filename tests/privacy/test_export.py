"""A user downloads their own personal data as JSON from their account page."""

from __future__ import annotations

import json

from cases.models import ActionUpdate


def test_the_account_page_offers_the_download(demo, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(demo.petra)
    page = client.get("/account/").content.decode()
    assert 'href="/account/personal-data/"' in page


def test_the_download_holds_profile_memberships_updates_and_notifications(demo, client) -> None:  # type: ignore[no-untyped-def]
    ActionUpdate.objects.create(action=demo.actions.picture, author=demo.petra, text="Mitt eget")
    client.force_login(demo.petra)
    response = client.get("/account/personal-data/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(b"".join(response.streaming_content))
    assert data["profile"]["username"] == "petra"
    assert data["profile"]["email"] == demo.petra.email
    assert {"organisation": "Polismyndigheten", "role": "admin"} in data["memberships"]
    assert "Mitt eget" in [u["text"] for u in data["action_updates"]]
    assert len(data["notifications"]) == demo.petra.notifications.count()
    for section in ("measurements_reported", "status_change_reasons", "api_tokens"):
        assert isinstance(data[section], list)


def test_the_download_holds_nobody_elses_data(demo, client) -> None:  # type: ignore[no-untyped-def]
    ActionUpdate.objects.create(action=demo.actions.picture, author=demo.carl, text="Carls text")
    client.force_login(demo.petra)
    body = b"".join(client.get("/account/personal-data/").streaming_content).decode()
    assert "Carls text" not in body and demo.carl.email not in body


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/account/personal-data/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
