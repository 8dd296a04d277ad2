"""Citizens' experiences: the public shares without an account, a moderator decides, nothing
unmoderated and no contact address ever reaches a public page or a non-moderator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.choices import CaseStatus, Visibility
from citizens import services
from citizens.choices import ExperienceKind, ExperienceStatus
from citizens.models import Experience
from citizens.tasks import experience_contacts_purge, experience_replies_due_send
from notifications.choices import EventKind
from notifications.models import Event, Notification
from tests.citizens.test_identity_numbers import COORDINATION, PERSON, wrong

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Väntar på moderering: hemtjänsten kom aldrig på fredagen."
EMAIL = "kim.medborgare@example.org"


def _share_url(case) -> str:
    return reverse("case_experiences", args=[case.reference])


def _api_url(case) -> str:
    return f"/api/v1/public/cases/{case.reference}/experiences/"


def _submit(case, text: str = SECRET_TEXT, email: str = EMAIL) -> Experience:
    return services.experience_submit(
        case=case, kind=ExperienceKind.EXPERIENCE, text=text, contact_email=email
    )


def _post(client: Client, case, text: str = "Bra träffar i Slite.", **extra: str):
    body = {"kind": "experience", "text": text, "contact_email": "", "website": "", **extra}
    return client.post(_share_url(case), body, REMOTE_ADDR=extra.pop("ip", "198.51.100.7"))


# Sharing on the web, without an account


def test_anyone_shares_an_experience_that_waits_for_moderation(demo) -> None:
    before = Experience.objects.count()
    client = Client()
    response = _post(client, demo.public, contact_email=EMAIL)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "A moderator reads what you wrote" in page.content.decode()
    experience = Experience.objects.latest("pk")
    assert Experience.objects.count() == before + 1
    assert experience.status == ExperienceStatus.PENDING
    assert experience.contact_email == EMAIL


def test_a_valid_personnummer_is_refused_by_the_field_and_nothing_is_saved(demo) -> None:
    before = Experience.objects.count()
    text = f"Min mamma {PERSON[:6]}-{PERSON[6:]} fick ingen hjälp."
    response = _post(Client(), demo.public, text=text)
    assert response.status_code == 200
    body = response.content.decode()
    assert "This looks like a personal identity number" in body
    assert "we do not keep them" in body
    assert Experience.objects.count() == before


def test_a_samordningsnummer_is_refused_too(demo) -> None:
    response = _post(Client(), demo.public, text=f"Samordningsnummer {COORDINATION}")
    assert "This looks like a personal identity number" in response.content.decode()


def test_a_number_with_an_invalid_check_digit_is_accepted(demo) -> None:
    text = f"Ärendet {PERSON[:6]}-{wrong(PERSON)[6:]} hos kommunen."
    response = _post(Client(), demo.public, text=text)
    assert response.status_code == 302
    assert Experience.objects.filter(text=text).exists()


def test_a_filled_honeypot_gets_a_calm_thank_you_and_saves_nothing(demo) -> None:
    before = Experience.objects.count()
    client = Client()
    response = _post(client, demo.public, website="http://spam.example")
    assert response.status_code == 302
    assert "A moderator reads" in client.get(response["Location"]).content.decode()
    assert Experience.objects.count() == before


def test_twenty_from_one_address_in_a_minute_are_throttled_only_the_allowed_saved(demo) -> None:
    before = Experience.objects.count()
    client = Client()
    statuses = [
        _post(client, demo.public, text=f"Erfarenhet nummer {n}").status_code for n in range(20)
    ]
    assert statuses[:5] == [302] * 5
    assert set(statuses[5:]) == {429}
    assert Experience.objects.count() == before + 5
    refused = _post(client, demo.public, text="En till")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "Too many submissions" in refused.content.decode()
    # Another address is not held back.
    assert _post(client, demo.public, text="Från en annan", ip="203.0.113.9").status_code == 302


def test_the_web_form_and_the_api_share_one_limit(demo, api) -> None:
    client = Client()
    for n in range(3):
        assert _post(client, demo.public, text=f"Webb {n}").status_code == 302
    body = {"kind": "suggestion", "text": "Via API"}
    codes = [
        api(None)
        .post(_api_url(demo.public), body, format="json", REMOTE_ADDR="198.51.100.7")
        .status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]


@pytest.mark.parametrize("case_name", ["youth", "care"])
def test_a_restricted_case_has_no_experience_page(demo, case_name) -> None:
    case = getattr(demo, case_name)
    assert case.visibility == Visibility.RESTRICTED
    assert Client().get(_share_url(case)).status_code == 404
    assert _post(Client(), case).status_code == 404
    assert Client().get(_api_url(case)).status_code == 404


def test_a_draft_public_case_has_no_experience_page(demo) -> None:
    case = case_services.case_create(
        actor=demo.anna,
        title="Ny offentlig idé",
        summary="Utkast.",
        theme=demo.public.theme,
        visibility=Visibility.PUBLIC,
        coordinator=demo.anna,
        is_national=True,
    )
    assert case.status == CaseStatus.DRAFT
    assert Client().get(_share_url(case)).status_code == 404
    with pytest.raises(ValidationError):
        _submit(case)


# Nothing unmoderated, no contact address, anywhere public


def test_nothing_unmoderated_on_any_public_page_or_in_the_api(demo, api, client_for) -> None:
    _submit(demo.public)
    pages = [
        Client().get(_share_url(demo.public)),
        Client().get(reverse("case_detail", args=[demo.public.reference])),
        client_for(demo.eve).get(_share_url(demo.public)),
        client_for(demo.eve).get(reverse("case_detail", args=[demo.public.reference])),
    ]
    for page in pages:
        assert page.status_code == 200
        assert SECRET_TEXT not in page.content.decode()
    for client in (api(None), api(demo.eve), api(demo.carl)):
        listed = client.get(_api_url(demo.public)).content.decode()
        assert SECRET_TEXT not in listed
        moderation = client.get("/api/v1/experiences/").content.decode()
        assert SECRET_TEXT not in moderation and EMAIL not in moderation


def test_published_ones_appear_without_the_contact_address(demo, api) -> None:
    experience = _submit(demo.public)
    services.experience_publish(actor=demo.anna, experience=experience)
    page = Client().get(_share_url(demo.public)).content.decode()
    case_page = Client().get(reverse("case_detail", args=[demo.public.reference])).content.decode()
    listed = api(None).get(_api_url(demo.public))
    assert SECRET_TEXT in page and SECRET_TEXT in case_page
    assert EMAIL not in page and EMAIL not in case_page
    assert SECRET_TEXT in listed.content.decode() and EMAIL not in listed.content.decode()
    assert "contact_email" not in listed.json()["results"][0]


def test_only_the_moderators_see_the_contact_address(demo, api, client_for) -> None:
    experience = _submit(demo.public)
    queue = reverse("case_experience_queue", args=[demo.public.reference])
    assert EMAIL in client_for(demo.anna).get(queue).content.decode()
    # Others see nothing of the queue: on a public case they are sent to its public page.
    for client in (client_for(demo.eve), client_for(demo.carl), Client()):
        response = client.get(queue)
        assert response.status_code == 302
        assert response["Location"] == _share_url(demo.public)
        assert EMAIL not in client.get(response["Location"]).content.decode()
    restricted = reverse("case_experience_queue", args=[demo.youth.reference])
    assert client_for(demo.eve).get(restricted).status_code == 404
    assert client_for(demo.sara).get(restricted).status_code == 404
    detail = f"/api/v1/experiences/{experience.pk}/"
    assert api(demo.anna).get(detail).json()["contact_email"] == EMAIL
    assert api(demo.eve).get(detail).status_code == 404


# Moderation


def test_the_coordinator_is_told_of_a_submission_without_its_text(
    demo, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        experience = _submit(demo.public)
    event = Event.objects.get(kind=EventKind.EXPERIENCE_SUBMITTED, object_id=experience.pk)
    assert SECRET_TEXT not in str(event.payload) and EMAIL not in str(event.payload)
    assert Notification.objects.filter(event=event, recipient=demo.public.coordinator).exists()


def test_the_moderator_publishes_and_rejects_from_the_queue(demo, client_for) -> None:
    first, second = _submit(demo.public), _submit(demo.public, text="Reklam för mitt företag")
    client = client_for(demo.anna)
    queue = reverse("case_experience_queue", args=[demo.public.reference])
    client.post(queue, {"experience": first.pk, "action": "publish"})
    refused = client.post(
        queue,
        {"experience": second.pk, "action": "reject", f"reject-{second.pk}-rejection_reason": ""},
    )
    assert "This field is required" in refused.content.decode()
    client.post(
        queue,
        {
            "experience": second.pk,
            "action": "reject",
            f"reject-{second.pk}-rejection_reason": "Reklam.",
        },
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ExperienceStatus.PUBLISHED and first.moderated_by == demo.anna
    assert second.status == ExperienceStatus.REJECTED and second.rejection_reason == "Reklam."
    public = Client().get(_share_url(demo.public)).content.decode()
    assert first.text in public and second.text not in public


def test_a_rejection_reason_or_reply_with_a_personnummer_is_refused(demo) -> None:
    experience = _submit(demo.public)
    with pytest.raises(ValidationError):
        services.experience_reject(actor=demo.anna, experience=experience, reason=f"Av {PERSON}")
    with pytest.raises(ValidationError):
        services.experience_reply(actor=demo.anna, experience=experience, reply=f"Hej {PERSON}")
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.PENDING and experience.reply == ""


def test_only_the_case_managers_moderate(demo) -> None:
    experience = _submit(demo.public)
    for persona in (demo.carl, demo.eve, demo.gustav):
        with pytest.raises(PermissionDenied):
            services.experience_publish(actor=persona, experience=experience)


def test_a_reply_is_emailed_once_and_then_the_address_is_removed(demo) -> None:
    experience = _submit(demo.public)
    services.experience_reply(actor=demo.anna, experience=experience, reply="Tack, vi tar med det.")
    assert experience_replies_due_send() == 1
    assert experience_replies_due_send() == 0
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [EMAIL] and "Tack, vi tar med det." in sent.body
    experience.refresh_from_db()
    assert experience.contact_email == "" and experience.reply_sent_at is not None
    assert experience.text == SECRET_TEXT  # the experience itself stays


def test_a_reply_lost_by_its_sender_is_sent_after_the_lease(demo) -> None:
    experience = _submit(demo.public)
    services.experience_reply(actor=demo.anna, experience=experience, reply="Tack!")
    Experience.objects.filter(pk=experience.pk).update(reply_claimed_at=timezone.now())
    assert experience_replies_due_send() == 0  # another sender holds it
    Experience.objects.filter(pk=experience.pk).update(
        reply_claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert experience_replies_due_send() == 1 and len(mail.outbox) == 1


def test_contact_addresses_past_their_retention_are_removed(demo, settings) -> None:
    settings.CITIZENS_CONTACT_RETENTION_DAYS = 90
    old, recent = _submit(demo.public), _submit(demo.public)
    Experience.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=91))
    assert experience_contacts_purge() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.contact_email == "" and old.text == SECRET_TEXT
    assert recent.contact_email == EMAIL


def test_the_case_page_shows_counts_and_what_waits_to_moderators(demo, client_for) -> None:
    url = reverse("case_detail", args=[demo.public.reference])
    anna = client_for(demo.anna).get(url).content.decode()
    assert "1 waiting for moderation" in anna  # the demo's pending one
    assert "2 published experiences and suggestions" in anna
    eve = client_for(demo.eve).get(url).content.decode()
    assert "waiting for moderation" not in eve
    assert "Share an experience or a suggestion" in Client().get(url).content.decode()


def test_the_committee_queue_lists_what_waits_across_cases(demo, client_for) -> None:
    _submit(demo.public)
    page = client_for(demo.anna).get(reverse("experience_queue")).content.decode()
    assert SECRET_TEXT in page and EMAIL in page
    eve = client_for(demo.eve).get(reverse("experience_queue")).content.decode()
    assert SECRET_TEXT not in eve


# The API


def test_the_api_refuses_a_personnummer_with_a_field_error(demo, api) -> None:
    response = api(None).post(
        _api_url(demo.public), {"kind": "experience", "text": f"Jag är {PERSON}"}, format="json"
    )
    assert response.status_code == 400
    assert "personal identity number" in response.json()["text"][0]


def test_the_api_refuses_bad_input_with_field_errors(demo, api) -> None:
    response = api(None).post(
        _api_url(demo.public),
        {"kind": "rant", "text": "", "contact_email": "inte en adress"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"kind", "text", "contact_email"}


def test_the_api_moderator_publishes_and_replies(demo, api) -> None:
    experience = _submit(demo.public)
    client = api(demo.anna)
    published = client.post(f"/api/v1/experiences/{experience.pk}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = client.post(f"/api/v1/experiences/{experience.pk}/publish/")
    assert again.status_code == 400
    replied = client.post(
        f"/api/v1/experiences/{experience.pk}/reply/", {"reply": "Tack!"}, format="json"
    )
    assert replied.status_code == 200 and replied.json()["reply"] == "Tack!"


def test_a_case_queue_acts_only_on_its_own_case(demo, client_for) -> None:
    experience = _submit(demo.public)
    queue = reverse("case_experience_queue", args=[demo.youth.reference])
    response = client_for(demo.anna).post(queue, {"experience": experience.pk, "action": "publish"})
    assert response.status_code == 404
    experience.refresh_from_db()
    assert experience.status == ExperienceStatus.PENDING


def test_garbled_moderation_posts_change_nothing(demo, client_for) -> None:
    queue = reverse("case_experience_queue", args=[demo.public.reference])
    for value in ("", "abc", "9" * 40, "-1"):
        response = client_for(demo.anna).post(queue, {"experience": value, "action": "publish"})
        assert response.status_code == 200
    assert Experience.objects.filter(status=ExperienceStatus.PENDING).count() == 1


def test_a_follower_told_of_a_submission_reaches_a_page_without_it(
    demo, client_for, django_capture_on_commit_callbacks
) -> None:
    from notifications.registry import registered_path
    from notifications.services.follows import case_follow

    case_follow(case=demo.public, user=demo.eve)
    with django_capture_on_commit_callbacks(execute=True):
        experience = _submit(demo.public)
    event = Event.objects.get(kind=EventKind.EXPERIENCE_SUBMITTED, object_id=experience.pk)
    assert Notification.objects.filter(event=event, recipient=demo.eve).exists()
    client = client_for(demo.eve)
    landing = client.get(registered_path(event), follow=True)
    assert landing.status_code == 200
    assert SECRET_TEXT not in landing.content.decode()
    assert EMAIL not in landing.content.decode()


def test_an_empty_post_shows_the_errors_by_the_fields(demo) -> None:
    before = Experience.objects.count()
    response = Client().post(_share_url(demo.public), {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert Experience.objects.count() == before


def test_a_closed_public_case_shows_what_was_published_and_takes_nothing_new(demo) -> None:
    from cases.models import Case

    Case.objects.filter(pk=demo.public.pk).update(status=CaseStatus.CLOSED)
    page = Client().get(_share_url(demo.public)).content.decode()
    assert "no longer takes experiences" in page
    assert "Träffpunkten i Hemse" in page  # the demo's published experience
    before = Experience.objects.count()
    assert _post(Client(), demo.public).status_code == 200
    response = Client().post(_api_url(demo.public), {"kind": "experience", "text": "Hej"})
    assert response.status_code == 400
    assert Experience.objects.count() == before
