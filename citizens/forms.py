from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import ExperienceKind
from .identity_numbers import no_identity_number
from .models import REASON_MAX_LENGTH, REPLY_MAX_LENGTH, TEXT_MAX_LENGTH

# The field a person never sees (nor a screen reader hears); a robot that fills in every field
# fills it in too.
HONEYPOT = "website"


class ExperienceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to share?"),
        choices=ExperienceKind.choices,
        initial=ExperienceKind.EXPERIENCE,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Your experience or suggestion"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[no_identity_number],
        help_text=_(
            "Published after a moderator has read it. Do not write names or personal identity "
            "numbers, your own or anyone else's."
        ),
    )
    contact_email = forms.EmailField(label=_("Your e-mail address"), required=False)
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].help_text = _(
            "Only if you want a reply. It is never published, only the case's moderators see "
            "it, and it is removed when the reply has been sent (or after %(days)s days)."
        ) % {"days": settings.CITIZENS_CONTACT_RETENTION_DAYS}

    def caught(self) -> bool:
        """Did a robot fill in the field that people never see?"""
        return bool(self.data.get(HONEYPOT, "").strip())


class RejectForm(forms.Form):
    rejection_reason = forms.CharField(
        label=_("Why is it not published?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[no_identity_number],
        help_text=_("Seen only by the case's moderators."),
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply by e-mail"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_identity_number],
        help_text=_(
            "Sent to the address the sender left, which is then removed. The reply is not "
            "published."
        ),
    )
