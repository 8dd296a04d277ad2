"""How a decision reads in its case's timeline."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

TIMELINE_TEXT_LENGTH = 200


def decision_label(record: Any) -> str:
    """'Decision 2026:17 (revokes 2026:14): text…' for a decision's history record."""
    text = " ".join(str(record.text).split())
    if len(text) > TIMELINE_TEXT_LENGTH:
        text = text[: TIMELINE_TEXT_LENGTH - 1] + "…"
    values = {"reference": f"{record.year}:{record.number}", "text": text}
    if record.revokes_id:
        revokes = record.revokes
        values["revokes"] = f"{revokes.year}:{revokes.number}" if revokes else ""
        return _("Decision %(reference)s (revokes %(revokes)s): %(text)s") % values
    return _("Decision %(reference)s: %(text)s") % values
