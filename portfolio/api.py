"""The portfolio's figures in the API (/api/v1/portfolio/…): the committee's full version and a
public one over public cases (no flags, no person named). Read-only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from cases.choices import CaseStatus
from cases.models import Case

from . import geo, selectors
from .collaboration import SECTORS, key_figures, partners, sector_matrix
from .flags import FLAGS, flags_of

MAX_ID = 2**63 - 1


def _ordering_choices() -> list[str]:
    return [f"{sign}{key}" for key in selectors.ORDERINGS for sign in ("", "-")]


class PortfolioQuerySerializer(serializers.Serializer):
    """The portfolio's filters and order; an unknown value is a 400 naming its parameter."""

    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    theme = serializers.SlugField(required=False, max_length=50, help_text="A theme's slug.")
    region = serializers.ChoiceField(
        choices=[area.code for area in geo.counties()], required=False, help_text="Länskod."
    )
    lead_kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    lead = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="The lead organisation's id."
    )
    coordinator = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="The coordinator's user id."
    )
    flag = serializers.ChoiceField(
        choices=["needs_committee", *FLAGS], required=False, help_text="Committee only."
    )
    overdue = serializers.BooleanField(
        required=False, default=False, help_text="Only cases with an overdue action."
    )
    blocked = serializers.BooleanField(
        required=False, default=False, help_text="Only cases with a blocked action."
    )
    ordering = serializers.ChoiceField(choices=_ordering_choices(), required=False)


class PublicPortfolioQuerySerializer(PortfolioQuerySerializer):
    coordinator = None
    flag = None


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PublicPortfolioRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    theme = serializers.CharField(source="theme.slug")
    is_national = serializers.BooleanField()
    regions = serializers.SerializerMethodField(help_text="Länskoder the case concerns.")
    lead_organisation = serializers.SerializerMethodField()
    overdue_actions = serializers.IntegerField(source="overdue_count")
    blocked_actions = serializers.IntegerField(source="blocked_count")
    open_actions = serializers.IntegerField(source="open_count")
    outcomes_measured = serializers.IntegerField(help_text="Outcomes with an approved value.")
    outcomes_on_track = serializers.IntegerField()
    on_track_share = serializers.FloatField(allow_null=True)
    last_activity_at = serializers.DateTimeField()
    days_since_activity = serializers.IntegerField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_regions(self, row: Case) -> list[str]:
        return [area.code for area in selectors.case_regions(row)]

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_lead_organisation(self, row: Case) -> dict[str, Any] | None:
        if row.lead_id is None:
            return None
        return {"id": row.lead_id, "name": row.lead_name, "kind": row.lead_kind}


class PortfolioRowSerializer(PublicPortfolioRowSerializer):
    coordinator = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField(help_text="Why the case needs the committee.")
    needs_committee = serializers.BooleanField()

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_coordinator(self, row: Case) -> dict[str, Any] | None:
        person = row.coordinator
        if person is None:
            return None
        return {"id": person.pk, "name": person.get_full_name() or person.get_username()}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_flags(self, row: Case) -> list[str]:
        return [flag.key for flag in flags_of(row)]


class PortfolioCaseList(generics.ListAPIView):
    """Every case with its figures and the flags of the cases that need the committee
    (committee only; the public version is /api/v1/portfolio/public/cases/)."""

    public = False
    permission_classes = [IsAuthenticated]
    serializer_class = PortfolioRowSerializer
    query_serializer: type[serializers.Serializer] = PortfolioQuerySerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Case]:
        cases = selectors.portfolio_cases(self.request.user, public=self.public)
        # A plain dict: read as form input, an empty `theme=` would be silently ignored, and
        # the schema promises a 400 for it.
        query = self.query_serializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        rows = selectors.portfolio_filter(selectors.portfolio_rows(cases), filters)
        return selectors.portfolio_order(rows, filters.get("ordering"))

    @extend_schema(parameters=[PortfolioQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PublicPortfolioCaseList(PortfolioCaseList):
    """The public cases with their figures; open to everyone."""

    public = True
    permission_classes = [AllowAny]
    serializer_class = PublicPortfolioRowSerializer
    query_serializer = PublicPortfolioQuerySerializer

    @extend_schema(parameters=[PublicPortfolioQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AreaCountSerializer(serializers.Serializer):
    code = serializers.CharField(source="area.code")
    name = serializers.CharField(source="area.name")
    active_cases = serializers.IntegerField(source="count")


class CountiesSerializer(serializers.Serializer):
    counties = AreaCountSerializer(many=True)
    national = serializers.IntegerField(help_text="Active cases of national scope.")


class MunicipalitiesSerializer(serializers.Serializer):
    county = serializers.CharField(help_text="Länskod.")
    name = serializers.CharField()
    county_wide = serializers.IntegerField(help_text="Active cases scoped to the whole region.")
    municipalities = AreaCountSerializer(many=True)


class SectorPairSerializer(serializers.Serializer):
    first = serializers.CharField()
    second = serializers.CharField()
    shared_cases = serializers.IntegerField(source="cases")
    shared_actions = serializers.IntegerField(source="actions")


class KeyFiguresSerializer(serializers.Serializer):
    actions = serializers.IntegerField()
    actions_with_two_or_more_organisations = serializers.IntegerField(source="actions_shared")
    actions_shared_share = serializers.FloatField(allow_null=True)
    cases = serializers.IntegerField()
    cases_with_three_or_more_sectors = serializers.IntegerField(source="cases_three_sectors")
    cases_three_sectors_share = serializers.FloatField(allow_null=True)


class CollaborationSerializer(serializers.Serializer):
    sectors = serializers.ListField(child=serializers.CharField())
    pairs = SectorPairSerializer(many=True)
    key_figures = KeyFiguresSerializer()


class PartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    kind = serializers.CharField()
    shared_cases = serializers.IntegerField()
    shared_actions = serializers.IntegerField()


class _Portfolio(APIView):
    """The committee's version; the `Public…` subclasses cover public cases for everyone."""

    public = False
    permission_classes = [IsAuthenticated]

    def cases(self) -> QuerySet[Case]:
        return selectors.portfolio_cases(self.request.user, public=self.public)


class CountyCounts(_Portfolio):
    """Active cases per län (all 21), and those of national scope."""

    @extend_schema(responses={200: CountiesSerializer})
    def get(self, request: Request) -> Response:
        cases = self.cases()
        data = {
            "counties": selectors.county_counts(cases),
            "national": selectors.national_count(cases),
        }
        return Response(CountiesSerializer(data).data)


class MunicipalityCounts(_Portfolio):
    """Active cases per municipality of one län (404 for a code that names no län)."""

    @extend_schema(responses={200: MunicipalitiesSerializer})
    def get(self, request: Request, code: str) -> Response:
        cases = self.cases()  # the full portfolio is refused before any county is looked up
        county = geo.county(code)
        if county is None:
            raise Http404("No such county")
        data = {
            "county": county.code,
            "name": county.name,
            "county_wide": selectors.county_wide_count(cases, county.code),
            "municipalities": selectors.municipality_counts(cases, county.code),
        }
        return Response(MunicipalitiesSerializer(data).data)


class Collaboration(_Portfolio):
    """Shared cases and actions for every pair of sectors, and the key figures."""

    @extend_schema(responses={200: CollaborationSerializer})
    def get(self, request: Request) -> Response:
        cases = self.cases()
        data = {
            "sectors": [sector.value for sector in SECTORS],
            "pairs": sector_matrix(cases),
            "key_figures": key_figures(cases),
        }
        return Response(CollaborationSerializer(data).data)


class Partners(generics.ListAPIView):
    """The organisations working with one organisation, most shared cases first."""

    public = False
    permission_classes = [IsAuthenticated]
    serializer_class = PartnerSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Organisation]:
        cases = selectors.portfolio_cases(self.request.user, public=self.public)
        pk = int(self.kwargs["pk"])
        organisation = Organisation.objects.filter(pk=pk).first() if pk <= MAX_ID else None
        if organisation is None:
            raise Http404("No such organisation")
        return partners(cases, organisation)


class PublicCountyCounts(CountyCounts):
    public = True
    permission_classes = [AllowAny]


class PublicMunicipalityCounts(MunicipalityCounts):
    public = True
    permission_classes = [AllowAny]


class PublicCollaboration(Collaboration):
    public = True
    permission_classes = [AllowAny]


class PublicPartners(Partners):
    public = True
    permission_classes = [AllowAny]
