from __future__ import annotations

from django import template
from django.http import QueryDict
from django.urls import reverse

from exports.registry import export_get

register = template.Library()


@register.inclusion_tag("exports/_download_links.html")
def export_links(slug: str, query: str = "", **params: object) -> dict[str, object]:
    """ "Download CSV / XLSX" links for the list `slug` that keep the page's filters (`query`,
    without its page number) and add `params` (such as the case the list belongs to)."""
    values = QueryDict(query, mutable=True)
    values.pop("page", None)
    for name, value in params.items():
        values[name] = str(value)
    suffix = f"?{values.urlencode()}" if values else ""
    export = export_get(slug)
    return {
        "title": export.title if export else slug,
        "csv_url": reverse("export_download", args=[slug, "csv"]) + suffix,
        "xlsx_url": reverse("export_download", args=[slug, "xlsx"]) + suffix,
    }
