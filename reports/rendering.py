"""HTML templates to PDF with WeasyPrint, in the language asked for.

The templates under `templates/reports/` render the report as HTML; `static/css/report.css`
lays it out on A4 pages. Charts are the case page's inline SVG (cases/views/charts.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

STYLESHEET = "css/report.css"


def _viewer_context(viewer: Any) -> dict[str, Any]:
    # `{% person %}` reads the viewer from the request: names only for those who may read them.
    return {"request": SimpleNamespace(user=viewer), "user": viewer}


def render_html(template: str, context: dict[str, Any], viewer: Any, language: str) -> str:
    with translation.override(language):
        return render_to_string(template, {**context, **_viewer_context(viewer)})


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import CSS, HTML  # a heavy import, only where PDFs are made

    stylesheet = CSS(filename=finders.find(STYLESHEET))
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(stylesheets=[stylesheet])
    return document.write_pdf(), len(document.pages)


def report_language(requested: str | None) -> str:
    """The language asked for if the product speaks it, else the active one."""
    known = {code for code, _name in settings.LANGUAGES}
    if requested in known:
        return requested  # type: ignore[return-value]
    active = translation.get_language() or settings.LANGUAGE_CODE
    return active if active in known else settings.LANGUAGE_CODE


def render_in_parts(
    parts: Iterable[Callable[[], str]], on_part: Callable[[int], None] | None = None
) -> SafeString:
    """Join the HTML of parts rendered one by one, reporting after each (a progress bar)."""
    html = []
    for number, part in enumerate(parts, start=1):
        html.append(part())
        if on_part is not None:
            on_part(number)
    return mark_safe("".join(html))  # each part was rendered (and escaped) by a template
