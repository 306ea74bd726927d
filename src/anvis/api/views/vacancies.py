"""API v1: vacancies (list, report, one vacancy, hand-back, let, download)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anvis.common.exports import file_response
from anvis.permissions import ALL_ROLES, LEAD, REPORTERS
from anvis.vacancies import services as flow
from anvis.vacancies.models import Offer, Vacancy
from anvis.vacancies.selectors import vacancy_get
from anvis.vacancies.tables import VACANCY_COLUMNS

from .. import serializers as s
from ..access import api_access
from ..filters import UserFilterBackend, VacancyFilter
from ..idempotency import write_endpoint
from .common import ExportView, body, create_input, export_schema, filetype, filtered


@api_access(ALL_ROLES)
@extend_schema_view(get=extend_schema(tags=["vacancies"], summary="List vacancies"))
class VacancyListCreate(generics.ListAPIView):
    serializer_class = s.VacancySerializer
    filter_backends = [UserFilterBackend]
    filterset_class = VacancyFilter

    def get_queryset(self) -> Any:
        return (
            Vacancy.objects.restrict(self.request.user)
            .select_related("dwelling__entrance", "turn_record")
            .order_by("-report_date", "-pk")
        )

    @write_endpoint(
        tag="vacancies",
        summary="Report a vacancy",
        request=s.VacancyCreateSerializer,
        responses={201: s.VacancyDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        values = create_input(request, s.VacancyCreateSerializer, roles=REPORTERS)
        vacancy = flow.vacancy_report(
            actor=request.user,
            dwelling=values["dwelling"],
            notice_date=values["notice_date"],
            available_from=values["available_from"],
            rent_at_letting=values.get("rent_at_letting"),
            remarks=values.get("remarks", ""),
            source=values["source"],
        )
        vacancy = vacancy_get(user=request.user, pk=vacancy.pk)
        return Response(
            s.VacancyDetailSerializer(vacancy, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@api_access(ALL_ROLES, deny_status=404)
@extend_schema(
    tags=["vacancies"],
    summary="A vacancy: status, timeline and offers",
    responses={200: s.VacancyDetailSerializer},
)
class VacancyDetail(generics.RetrieveAPIView):
    serializer_class = s.VacancyDetailSerializer

    def get_queryset(self) -> Any:
        offers = Offer.objects.restrict(self.request.user).select_related(
            "case__citizen"
        )  # none for the steering group
        return (
            Vacancy.objects.restrict(self.request.user)
            .select_related("dwelling__entrance", "turn_record")
            .prefetch_related("events", Prefetch("offers", queryset=offers))
        )


@api_access(LEAD, deny_status=404)
class VacancyHandBack(APIView):
    """The municipality's system hands an accepted vacancy back to ordinary letting: the same
    service as the vacancy page's hand-back (void rent stops that day, the ledger counts it per
    the agreement, the organisation is told)."""

    @write_endpoint(
        tag="vacancies",
        summary="Hand an accepted dwelling back to ordinary letting, with a reason",
        request=s.HandBackSerializer,
        responses={200: s.VacancyDetailSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        values = body(request, s.HandBackSerializer)
        vacancy = get_object_or_404(Vacancy.objects.restrict(request.user), pk=pk)
        vacancy = flow.vacancy_hand_back(
            actor=request.user, vacancy=vacancy, reason=values["reason"]
        )
        return _detail_response(request, vacancy)


@api_access(REPORTERS, deny_status=404)
class VacancyLet(APIView):
    """The organisation's system reports a vacancy on its own turn as let through its own
    waiting list: the same service and rule as the vacancy page's "Udlejet" action
    (`vacancies.services.vacancy_let_ordinary`), so the dwelling can be reported vacant again."""

    @write_endpoint(
        tag="vacancies",
        summary="Let a vacancy on the organisation's own turn through its own waiting list",
        request=s.LetOrdinarySerializer,
        responses={200: s.VacancyDetailSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        # Another organisation's vacancy is not found whatever the body holds, as on the page.
        vacancy = get_object_or_404(Vacancy.objects.restrict(request.user), pk=pk)
        self.check_object_permissions(request, vacancy)
        values = body(request, s.LetOrdinarySerializer)
        vacancy = flow.vacancy_let_ordinary(
            actor=request.user, vacancy=vacancy, starts_on=values["starts_on"]
        )
        return _detail_response(request, vacancy)


def _detail_response(request: Request, vacancy: Vacancy) -> Response:
    """The vacancy after a write, as `GET vacancies/{id}/` shows it."""
    detail = VacancyDetail(request=request, kwargs={"pk": vacancy.pk}, format_kwarg=None)
    fresh = detail.get_queryset().get(pk=vacancy.pk)
    return Response(s.VacancyDetailSerializer(fresh, context={"request": request}).data)


@api_access(ALL_ROLES)
class VacancyExport(ExportView):
    @export_schema("The vacancy list as CSV or XLSX")
    def get(self, request: Request) -> HttpResponse:
        kind = filetype(request)
        qs = Vacancy.objects.restrict(request.user).select_related(
            "organisation", "dwelling__entrance", "turn_record"
        )
        return file_response(
            name="ledige-boliger",
            filetype=kind,
            columns=VACANCY_COLUMNS,
            items=filtered(VacancyFilter, request, qs).order_by("-report_date", "-pk"),
        )
