"""Downloading a list as CSV or XLSX; the pages of a measurement import live in import_views."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from .registry import export_get
from .writers import csv_lines, xlsx_file

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(stem: str, extension: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem)
    return f"samverkan-{safe}-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_download(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    """The list `slug` as a file: rows read and written a chunk at a time, never all at once."""
    export = export_get(slug)
    if export is None or extension not in ("csv", "xlsx"):
        raise Http404("No such export")
    if export.login_required and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    rows = export.rows(request)  # checks access: a 404 here is the page's 404
    filename = _filename(export.name(request) or slug, extension)
    if extension == "csv":
        separator = "," if get_language() == "sv" else "."
        response: HttpResponse = StreamingHttpResponse(
            csv_lines(export.columns, rows, decimal_separator=separator), content_type=CSV_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        workbook = xlsx_file(export.columns, rows, title=str(export.title))
        response = FileResponse(
            workbook, as_attachment=True, filename=filename, content_type=XLSX_TYPE
        )
    response["Cache-Control"] = "private, no-store"
    return response
