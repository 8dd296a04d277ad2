"""The attachments section of an owner's page (a case, an action): its newest files."""

from __future__ import annotations

from typing import Any

from django import template

from documents import access, selectors
from documents.owners import owner_kind_of

register = template.Library()

SECTION_ROWS = 10


@register.inclusion_tag("documents/_attachment_section.html", takes_context=True)
def attachments_section(context: dict[str, Any], owner: Any) -> dict[str, Any]:
    """The owner was access-checked by its page; one query for its newest files (+1 to know
    whether there are more)."""
    user = context["request"].user
    kind = owner_kind_of(owner).kind
    rows = list(selectors.owner_attachments(owner)[: SECTION_ROWS + 1])
    return {
        "attachments": rows[:SECTION_ROWS],
        "more": len(rows) > SECTION_ROWS,
        "owner": owner,
        "owner_kind": kind,
        "case": owner_kind_of(owner).case_of(owner),
        "can_attach": access.can_attach(user, owner, kind),
    }
