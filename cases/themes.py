"""The themes Samverkan ships with; a data migration loads them, and the demo makes sure of them."""

from __future__ import annotations

THEMES = [
    ("youth-crime", "Ungdomsbrottslighet", "Youth crime"),
    ("care-queues", "Vårdköer", "Care queues"),
    ("mental-health", "Psykisk hälsa", "Mental health"),
    ("elderly-care", "Äldreomsorg och ensamhet", "Elderly care and loneliness"),
    ("school-completion", "Fullföljda studier", "School completion"),
    ("integration", "Etablering och integration", "Integration"),
    ("climate-adaptation", "Klimatanpassning", "Climate adaptation"),
    ("housing", "Boende och hemlöshet", "Housing and homelessness"),
]


def ensure_themes_and_committee(theme_model: type, group_model: type, committee: str) -> None:
    """Create the committee group and the themes if missing (idempotent)."""
    group_model.objects.get_or_create(name=committee)
    for slug, name, name_en in THEMES:
        theme_model.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})
