from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Principle(models.TextChoices):
    """The eight principles of the Trust Delegation (Tillitsdelegationen), in its order."""

    TRUST = "trust", pgettext_lazy("trust principle", "Trust")
    CITIZEN_FOCUS = "citizen_focus", pgettext_lazy("trust principle", "Citizen focus")
    HOLISTIC_VIEW = "holistic_view", pgettext_lazy("trust principle", "Holistic view")
    ROOM_FOR_ACTION = "room_for_action", pgettext_lazy("trust principle", "Room for action")
    SUPPORT = "support", pgettext_lazy("trust principle", "Support")
    KNOWLEDGE = "knowledge", pgettext_lazy("trust principle", "Knowledge")
    OPENNESS = "openness", pgettext_lazy("trust principle", "Openness")
    LONG_TERM = "long_term", pgettext_lazy("trust principle", "Long-term perspective")


QUESTIONS = {
    Principle.TRUST: _(
        "We trust the other organisations in the case, and they trust us, to do our parts."
    ),
    Principle.CITIZEN_FOCUS: _(
        "The work starts from the needs of the people the case is for, not from our own "
        "organisations' boundaries."
    ),
    Principle.HOLISTIC_VIEW: _(
        "We see how our part fits the whole and take responsibility beyond our own remit."
    ),
    Principle.ROOM_FOR_ACTION: _(
        "Our people in the case have the mandate and room to act on what they learn."
    ),
    Principle.SUPPORT: _(
        "Our management and the other organisations give the support the work needs."
    ),
    Principle.KNOWLEDGE: _("We share knowledge and learn from each other's experience and data."),
    Principle.OPENNESS: _("Information flows openly; difficulties and mistakes can be raised."),
    Principle.LONG_TERM: _(
        "The collaboration is planned and resourced for the long term, beyond one project."
    ),
}
