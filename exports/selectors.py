from __future__ import annotations

from django.http import Http404

from cases import access
from cases.access import AnyUser

from .models import MeasurementImport


def measurement_import_get_for_user(user: AnyUser, *, pk: int) -> MeasurementImport:
    """An import is its uploader's alone, and only while they still see its case."""
    found = MeasurementImport.objects.select_related("case").filter(pk=pk).first()
    if (
        found is None
        or found.created_by_id != user.pk
        or not access.can_view_case(user, found.case)
    ):
        raise Http404("No such import")
    return found
