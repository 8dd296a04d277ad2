"""Who sees which page, and the everyday flows a user notices."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Action, ActionUpdate, CaseStatusChange, Measurement
from notifications.models import CaseFollow, Event, Notification
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def test_outsider_gets_the_404_page_for_a_restricted_case(demo, client_for):
    response = client_for(demo.eve).get(reverse("case_detail", args=[demo.care.reference]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and demo.care.title not in html
    assert '<a class="skip-link"' in html  # the site's own layout


def test_partner_cannot_see_the_restricted_care_case_even_by_its_actions(demo, client_for):
    action = Action.objects.filter(case=demo.care).first()
    client = client_for(demo.petra)
    assert client.get(reverse("case_detail", args=[demo.care.reference])).status_code == 404
    if action is not None:
        assert client.get(reverse("action_detail", args=[action.pk])).status_code == 404


def test_the_public_reads_public_cases_without_signing_in(demo, client):
    listing = client.get(reverse("case_list")).content.decode()
    assert demo.public.title in listing
    assert demo.youth.title not in listing
    page = client.get(reverse("case_detail", args=[demo.public.reference]))
    assert page.status_code == 200
    assert client.get(reverse("case_detail", args=[demo.youth.reference])).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_for_personal_pages(demo, client):
    for name in ["my_actions", "inbox", "notification_preferences", "case_create"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_partner_gets_the_403_page_for_editing_another_organisations_action(demo, client_for):
    not_police = (
        Action.objects.filter(case=demo.youth)
        .exclude(lead_organisation=demo.orgs.police)
        .exclude(contributors=demo.orgs.police)
    )
    action = not_police.first()
    client = client_for(demo.olle)  # observer: sees the case, changes nothing
    with nothing_written():
        response = client.post(reverse("action_edit", args=[action.pk]), {"title": "x"})
    assert response.status_code == 403
    assert "You may not do this" in response.content.decode()


def test_partner_cannot_register_or_edit_cases(demo, client_for):
    client = client_for(demo.petra)
    assert client.get(reverse("case_create")).status_code == 403
    assert client.get(reverse("case_edit", args=[demo.youth.reference])).status_code == 403


def test_header_shows_who_i_am_my_organisations_and_unread_count(demo, client_for):
    Notification.objects.filter(recipient=demo.petra).delete()  # the demo's own, for a clean count
    event = Event.objects.filter(case=demo.youth).first()
    Notification.objects.create(event=event, recipient=demo.petra)
    html = client_for(demo.petra).get(reverse("dashboard")).content.decode()
    assert "Signed in as Petra Persson" in html
    assert "Polismyndigheten" in html
    assert "1 unread" in html


def test_header_says_99_plus_past_99_unread(demo, client_for):
    """Every page's header counts the unread notifications only up to 100."""
    Notification.objects.filter(recipient=demo.petra).delete()
    events = list(Event.objects.all()[:100])
    assert len(events) == 100
    Notification.objects.bulk_create(Notification(event=e, recipient=demo.petra) for e in events)
    html = client_for(demo.petra).get(reverse("dashboard")).content.decode()
    assert "99+ unread" in html and "100 unread" not in html
    Notification.objects.filter(
        pk=Notification.objects.filter(recipient=demo.petra).first().pk
    ).delete()
    html = client_for(demo.petra).get(reverse("dashboard")).content.decode()
    assert "99 unread" in html and "99+" not in html


def test_sign_in_and_sign_out(demo, client):
    response = client.post(
        reverse("login"), {"username": "anna", "password": "samverkan-demo"}, follow=True
    )
    assert "Signed in as Anna Andersson" in response.content.decode()
    response = client.post(reverse("logout"), follow=True)
    assert "Sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(demo, client, mailoutbox):
    client.post(reverse("password_reset"), {"email": demo.anna.email})
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "ett-nytt-losenord-42", "new_password2": "ett-nytt-losenord-42"},
        follow=True,
    )
    assert "Your new password is set." in response.content.decode()
    assert client.login(username="anna", password="ett-nytt-losenord-42")


def test_coordinator_moves_the_case_with_a_reason_and_the_timeline_shows_it(demo, client_for):
    client = client_for(demo.carl)
    url = reverse("case_transition", args=[demo.youth.reference])
    response = client.post(url, {"to_status": "on_hold", "reason": "Väntar på budget"}, follow=True)
    assert response.status_code == 200
    assert CaseStatusChange.objects.filter(case=demo.youth, to_status="on_hold").exists()
    html = response.content.decode()
    assert "Väntar på budget" in html
    assert "Status: Active → On hold" in html  # labels, not codes


def test_timeline_names_organisations_and_people_not_ids(demo, client_for):
    client = client_for(demo.anna)
    action = demo.actions.picture
    data = {
        "title": action.title,
        "lead_organisation": action.lead_organisation_id,
        "status": action.status,
        "contributors": [demo.orgs.region_stockholm.pk],
        "version": action.version,
    }
    response = client.post(reverse("action_edit", args=[action.pk]), data)
    assert response.status_code == 302
    html = client.get(reverse("case_detail", args=[demo.youth.reference])).content.decode()
    assert "Contributing organisations:" in html
    assert "→ Region Stockholm" in html


def test_partner_posts_a_progress_update_that_blocks_the_action(demo, client_for):
    action = demo.actions.picture
    client = client_for(demo.anna)
    url = reverse("action_detail", args=[action.pk])
    response = client.post(url, {"text": "Väntar på data", "new_status": "blocked"}, follow=True)
    assert "Väntar på data" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "blocked"
    assert ActionUpdate.objects.filter(action=action, text="Väntar på data").exists()


def test_partner_reports_a_measurement_for_their_organisation(demo, client_for):
    outcome = demo.youth.outcomes.first()
    url = reverse("measurement_report", args=[outcome.pk])
    today = timezone.localdate().isoformat()  # the demo holds a value on each month's 1st
    data = {"organisation": demo.orgs.police.pk, "value": "42", "measured_on": today}
    response = client_for(demo.petra).post(url, data, follow=True)
    assert response.status_code == 200
    assert Measurement.objects.filter(outcome=outcome, value=42).exists()


def test_case_page_shows_the_chart_with_its_numbers_as_a_table(demo, client_for):
    html = client_for(demo.anna).get(reverse("case_detail", args=[demo.youth.reference]))
    html = html.content.decode()
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "<caption>Values of" in html


def test_following_and_unfollowing_a_case(demo, client_for):
    client = client_for(demo.olle)
    url = reverse("case_follow", args=[demo.youth.reference])
    client.post(url, {"follow": "1"})
    assert CaseFollow.objects.filter(user=demo.olle, case=demo.youth).exists()
    client.post(url, {"follow": "0"})
    assert not CaseFollow.objects.filter(user=demo.olle, case=demo.youth).exists()


def test_inbox_marks_one_and_all_notifications_read(demo, client_for):
    Notification.objects.filter(recipient=demo.carl).delete()  # the demo's own, for a clean count
    events = list(Event.objects.filter(case=demo.youth)[:3])
    notes = [Notification.objects.create(event=e, recipient=demo.carl) for e in events]
    client = client_for(demo.carl)
    html = client.get(reverse("inbox")).content.decode()
    from django.utils.html import escape

    from notifications.folding import fold

    # Newest first, each line names the thing and the change (a burst as one line).
    assert all(escape(line.message) in html for line in fold(list(reversed(events))))
    client.post(reverse("notification_read", args=[notes[0].pk]))
    assert Notification.objects.filter(recipient=demo.carl, read_at__isnull=True).count() == 2
    client.post(reverse("notification_read_all"))
    assert not Notification.objects.filter(recipient=demo.carl, read_at__isnull=True).exists()


def test_someone_elses_notification_cannot_be_marked_read(demo, client_for):
    note = Notification.objects.filter(recipient=demo.carl, read_at__isnull=True).first()
    client_for(demo.petra).post(reverse("notification_read", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is None


def test_preferences_are_saved(demo, client_for):
    client = client_for(demo.carl)
    data = {kind: "digest" for kind in ["case.created", "action.overdue"]}

    from notifications.preferences import PREFERENCE_KEYS

    data = {kind: "immediately" for kind in PREFERENCE_KEYS} | data
    client.post(reverse("notification_preferences"), data)
    from notifications.selectors import email_preferences

    assert email_preferences(demo.carl)["action.overdue"] == "digest"


def test_organisation_admin_sees_members_others_do_not(demo, client_for):
    url = reverse("organisation_detail", args=[demo.orgs.sodertalje.pk])
    assert "sara@demo" in client_for(demo.sara).get(url).content.decode()
    assert "sara@demo" not in client_for(demo.petra).get(url).content.decode()


def test_case_list_filters_by_status_and_text(demo, client_for):
    client = client_for(demo.anna)
    html = client.get(reverse("case_list"), {"q": "Unga"}).content.decode()
    assert demo.youth.title in html and demo.care.title not in html
    html = client.get(reverse("case_list"), {"status": "closed"}).content.decode()
    assert demo.youth.title not in html


def test_case_list_answers_htmx_with_the_results_only(demo, client_for):
    response = client_for(demo.anna).get(
        reverse("case_list"), {"q": "Unga"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert demo.youth.title in html and "<html" not in html


def test_error_pages_keep_the_sites_layout_even_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and 'class="skip-link"' in html
    assert html.count("<h1") == 1


def test_committee_dashboard_lists_the_cases_they_registered(demo, client_for):
    html = client_for(demo.anna).get(reverse("dashboard")).content.decode()
    assert demo.youth.title in html
