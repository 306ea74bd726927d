"""API v1 endpoints. Every view declares its access rule with `api_access` (the roles of
`anvis.permissions`) and scopes its rows with `.restrict(user)`: an organisation token sees and
changes only its own organisation's rows (404 otherwise) and no endpoint serves it cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anvis.agreements.filters import ledger_query
from anvis.agreements.selectors import ledger
from anvis.agreements.tables import ledger_columns, ledger_file_name
from anvis.audit.services import (
    Purpose,
    citizen_subject,
    personal_data_read,
)
from anvis.cases.selectors import case_list, case_queryset
from anvis.core.exports import file_response, two_decimals
from anvis.permissions import (
    ALL_ROLES,
    LEAD,
    MUNICIPAL,
    OVERSIGHT,
    REPORTERS,
    STOCK_READERS,
    STOCK_WRITERS,
    Role,
)
from anvis.stock.filters import DwellingFilter
from anvis.stock.models import Dwelling
from anvis.vacancies import services as flow
from anvis.vacancies.disclosure import lease_warnings_for
from anvis.vacancies.models import GuaranteeClaim, Lease, Offer, Vacancy
from anvis.vacancies.selectors import vacancy_get
from anvis.vacancies.tables import VACANCY_COLUMNS
from anvis_core.quotas import Quarter
from anvis_core.quotas.ledger import LedgerFigures

from . import serializers as s
from .access import api_access
from .errors import validation_problem
from .filters import UserFilterBackend, VacancyFilter
from .idempotency import idempotent
from .models import WebhookDelivery, WebhookSubscription
from .services import (
    nominee_accept,
    stock_upsert,
    webhook_subscription_create,
    webhook_subscription_delete,
)

LEASE_WRITERS = frozenset({Role.ORGANISATION, Role.ALLOCATION_LEAD, Role.ADMIN})

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="A retried request with the same key and body returns the first response.",
)


# --- stock ----------------------------------------------------------------------------------------


@api_access(STOCK_READERS)
@extend_schema(tags=["stock"], summary="List dwellings (the stock list's filters)")
class DwellingList(generics.ListAPIView):
    serializer_class = s.DwellingSerializer
    filter_backends = [UserFilterBackend]
    filterset_class = DwellingFilter

    def get_queryset(self) -> Any:
        return (
            Dwelling.objects.restrict(self.request.user)
            .select_related("entrance__department")
            .order_by("pk")
        )


@api_access(STOCK_READERS, deny_status=404)
@extend_schema(tags=["stock"], summary="One dwelling", responses={200: s.DwellingSerializer})
class DwellingDetail(generics.RetrieveAPIView):
    serializer_class = s.DwellingSerializer

    def get_queryset(self) -> Any:
        return Dwelling.objects.restrict(self.request.user).select_related("entrance__department")


@api_access(STOCK_WRITERS)
class StockUpsert(APIView):
    @extend_schema(
        tags=["stock"],
        summary="Upsert dwellings in bulk (all or nothing)",
        request=s.StockUpsertSerializer,
        responses={200: s.StockUpsertResultSerializer},
        parameters=[IDEMPOTENCY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = s.StockUpsertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = [dict(item) for item in data.validated_data["items"]]
        result = stock_upsert(actor=request.user, items=items)
        if not result.ok:
            return validation_problem(result.errors, code="stock_invalid")
        return Response({"rows": result.rows, "created": result.created, "updated": result.updated})


# --- vacancies ------------------------------------------------------------------------------------


@api_access(ALL_ROLES)
class VacancyListCreate(generics.ListAPIView):
    serializer_class = s.VacancySerializer
    filter_backends = [UserFilterBackend]
    filterset_class = VacancyFilter

    def get_queryset(self) -> Any:
        return (
            Vacancy.objects.restrict(self.request.user)
            .select_related("dwelling__entrance")
            .order_by("-report_date", "-pk")
        )

    @extend_schema(tags=["vacancies"], summary="List vacancies")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["vacancies"],
        summary="Report a vacancy",
        request=s.VacancyCreateSerializer,
        responses={201: s.VacancyDetailSerializer},
        parameters=[IDEMPOTENCY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        if request.user.role not in REPORTERS:
            raise Http404
        data = s.VacancyCreateSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        values = data.validated_data
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
            .select_related("dwelling__entrance")
            .prefetch_related("events", Prefetch("offers", queryset=offers))
        )


@api_access(LEAD, deny_status=404)
class VacancyHandBack(APIView):
    """The municipality's system hands an accepted vacancy back to ordinary letting: the same
    service as the vacancy page's hand-back (void rent stops that day, the ledger counts it per
    the agreement, the organisation is told)."""

    @extend_schema(
        tags=["vacancies"],
        summary="Hand an accepted dwelling back to ordinary letting, with a reason",
        request=s.HandBackSerializer,
        responses={200: s.VacancyDetailSerializer},
        parameters=[IDEMPOTENCY],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        data = s.HandBackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vacancy = get_object_or_404(Vacancy.objects.restrict(request.user), pk=pk)
        vacancy = flow.vacancy_hand_back(
            actor=request.user, vacancy=vacancy, reason=data.validated_data["reason"]
        )
        detail = VacancyDetail(request=request, kwargs={"pk": vacancy.pk}, format_kwarg=None)
        fresh = detail.get_queryset().get(pk=vacancy.pk)
        return Response(s.VacancyDetailSerializer(fresh, context={"request": request}).data)


# --- offers: the organisation's answer to a nominee -----------------------------------------------


@api_access(ALL_ROLES)
class OfferList(generics.ListAPIView):
    serializer_class = s.OfferSerializer

    def get_queryset(self) -> Any:
        return (
            Offer.objects.restrict(self.request.user)
            .select_related("vacancy", "case__citizen")
            .order_by("-offered_on", "-pk")
        )

    @extend_schema(tags=["offers"], summary="List offers on the caller's dwellings")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["offers"],
        summary="Offer an accepted vacancy to a citizen (municipal systems), through the one "
        "placement gate",
        request=s.OfferCreateSerializer,
        responses={201: s.OfferSerializer},
        parameters=[IDEMPOTENCY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        if request.user.role not in MUNICIPAL:
            raise Http404
        data = s.OfferCreateSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        case = case_queryset(user=request.user).filter(number=values["case"]).first()
        if case is None:
            return validation_problem({"case": [_("No case with this number.")]})
        offer = flow.offer_create(
            actor=request.user,
            vacancy=values["vacancy"],
            case=case,
            response_working_days=values.get("response_working_days"),
            viewing_at=values.get("viewing_at"),
            soft_confirmed=values["soft_confirmed"],
            override_reason=values.get("override_reason", ""),
        )
        return Response(s.OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


@api_access(ALL_ROLES, deny_status=404)
@extend_schema(tags=["offers"], summary="One offer", responses={200: s.OfferSerializer})
class OfferDetail(generics.RetrieveAPIView):
    serializer_class = s.OfferSerializer

    def get_queryset(self) -> Any:
        return Offer.objects.restrict(self.request.user).select_related("vacancy", "case__citizen")


@api_access(REPORTERS, deny_status=404)
class OfferAnswer(APIView):
    @extend_schema(
        tags=["offers"],
        summary="Accept the nominee, or reject on a legal ground",
        request=s.NomineeAnswerSerializer,
        responses={200: s.OfferSerializer},
        parameters=[IDEMPOTENCY],
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        offer = get_object_or_404(Offer.objects.restrict(request.user), pk=pk)
        self.check_object_permissions(request, offer)
        data = s.NomineeAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["answer"] == "accept":
            offer = nominee_accept(actor=request.user, offer=offer, note=values.get("note", ""))
        else:
            offer = flow.offer_reject(
                actor=request.user,
                offer=offer,
                ground=values["ground"],
                note=values.get("note", ""),
            )
        return Response(s.OfferSerializer(offer, context={"request": request}).data)


# --- leases and guarantee claims ------------------------------------------------------------------


@api_access(ALL_ROLES)
class LeaseListCreate(generics.ListAPIView):
    serializer_class = s.LeaseSerializer

    def get_queryset(self) -> Any:
        return Lease.objects.restrict(self.request.user).order_by("-starts_on", "-pk")

    @extend_schema(tags=["leases"], summary="List leases")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["leases"],
        summary="Register the lease and move-in of an accepted offer",
        request=s.LeaseCreateSerializer,
        responses={201: s.LeaseResultSerializer},
        parameters=[IDEMPOTENCY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        if request.user.role not in LEASE_WRITERS:
            raise Http404
        data = s.LeaseCreateSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = flow.lease_register(
            actor=request.user,
            offer=values["offer"],
            signed_on=values["signed_on"],
            starts_on=values["starts_on"],
            move_in_on=values["move_in_on"],
        )
        # The warnings are social data (whether a support plan exists): municipal callers only.
        warnings = lease_warnings_for(request.user, result.warnings, values["offer"])
        body = {"lease": s.LeaseSerializer(result.lease).data, "warnings": list(warnings)}
        return Response(body, status=status.HTTP_201_CREATED)


@api_access(ALL_ROLES)
class ClaimListCreate(generics.ListAPIView):
    serializer_class = s.GuaranteeClaimSerializer

    def get_queryset(self) -> Any:
        return GuaranteeClaim.objects.restrict(self.request.user).order_by("-submitted_on", "-pk")

    @extend_schema(tags=["guarantee claims"], summary="List guarantee claims")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["guarantee claims"],
        summary="Submit a guarantee claim on a lease",
        request=s.GuaranteeClaimCreateSerializer,
        responses={201: s.GuaranteeClaimSerializer},
        parameters=[IDEMPOTENCY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        if request.user.role not in REPORTERS:
            raise Http404
        data = s.GuaranteeClaimCreateSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        claim = flow.guarantee_claim_submit(
            actor=request.user,
            lease=values["lease"],
            kind=values["kind"],
            event_date=values["event_date"],
            amount=values["amount"],
            description=values["description"],
        )
        return Response(s.GuaranteeClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


# --- ledger ---------------------------------------------------------------------------------------


def _figures(f: LedgerFigures) -> dict[str, Any]:
    return {
        "eligible": f.eligible,
        "expected": two_decimals(f.expected),
        "offered": f.offered,
        "accepted": f.accepted,
        "declined": f.declined,
        "expired": f.expired,
        "pending": f.pending,
        "ordinary": f.ordinary,
        "withdrawn": f.withdrawn,
        "extra": f.extra,
        "blocked": f.blocked,
        "balance": two_decimals(f.balance),
    }


LEDGER_PARAMS = [
    OpenApiParameter("agreement", OpenApiTypes.INT, required=True),
    OpenApiParameter("quarter", OpenApiTypes.STR, description="YYYY-Qn; default: this quarter"),
    OpenApiParameter("level", OpenApiTypes.STR, enum=["organisation", "department"]),
]


def _ledger_view(request: Request) -> Any:
    """The ledger the query asks for, read by the page's own parser (`ledger_query`)."""
    query = ledger_query(request.query_params, user=request.user)
    if query.unknown_agreement:
        raise Http404
    errors = dict(query.errors)
    if query.agreement is None and "agreement" not in errors:
        errors["agreement"] = [_("Choose an agreement (its id).")]
    if errors:
        raise serializers.ValidationError(errors)
    today = timezone.localdate()
    return ledger(
        user=request.user,
        agreement=query.agreement,
        quarter=query.quarter or Quarter.of(today),
        level=query.level,
        today=today,
    )


@api_access(OVERSIGHT)
class LedgerView(APIView):
    @extend_schema(
        tags=["ledger"],
        summary="The agreement's ledger for a quarter (and cumulative)",
        parameters=LEDGER_PARAMS,
        responses={200: s.LedgerSerializer},
    )
    def get(self, request: Request) -> Response:
        view = _ledger_view(request)
        body = {
            "agreement": view.agreement.pk,
            "quarter": str(view.quarter),
            "level": view.level,
            "rows": [
                {
                    "key": row.key,
                    "label": row.label,
                    "organisation": row.organisation,
                    "quarter": _figures(row.line.quarter),
                    "cumulative": _figures(row.line.cumulative),
                }
                for row in view.rows
            ],
            "total_quarter": _figures(view.total_quarter),
            "total_cumulative": _figures(view.total_cumulative),
        }
        return Response(s.LedgerSerializer(body).data)


# --- exports --------------------------------------------------------------------------------------

FILETYPE = OpenApiParameter(
    "filetype", OpenApiTypes.STR, enum=["csv", "xlsx"], description="Default csv."
)
FILE_RESPONSES = {
    (200, "text/csv"): OpenApiTypes.BINARY,
    (
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ): OpenApiTypes.BINARY,
}


def _filetype(request: Request) -> str:
    value = request.query_params.get("filetype", "csv")
    if value not in ("csv", "xlsx"):
        raise serializers.ValidationError({"filetype": [_("Choose csv or xlsx.")]})
    return value


def _d(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


class ExportView(APIView):
    """Files are Django responses; errors are problem+json whatever the Accept header says."""

    def perform_content_negotiation(self, request: Any, force: bool = False) -> Any:
        renderer = JSONRenderer()
        return renderer, renderer.media_type


@api_access(STOCK_READERS)
class DwellingExport(ExportView):
    @extend_schema(
        tags=["exports"],
        summary="The stock list as CSV or XLSX",
        parameters=[FILETYPE],
        responses=FILE_RESPONSES,
    )
    def get(self, request: Request) -> HttpResponse:
        filetype = _filetype(request)
        qs = Dwelling.objects.restrict(request.user).select_related(
            "entrance__department__organisation"
        )
        filterset = DwellingFilter(request.query_params, queryset=qs, user=request.user)
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        headers = [
            _("Housing organisation"), _("CVR"), _("Department no."), _("Department"),
            _("Address"), _("Postcode"), _("City"), _("Floor"), _("Door"), _("Type"),
            _("Rooms"), _("m²"), _("Rent (kr)"), _("Step-free"), _("Elevator"), _("Wheelchair"),
        ]  # fmt: skip
        rows = (
            [
                d.entrance.department.organisation.name,
                d.entrance.department.organisation.cvr,
                d.entrance.department.number,
                d.entrance.department.name,
                d.entrance.street,
                d.entrance.postal_code,
                d.entrance.city,
                d.floor,
                d.door,
                d.get_dwelling_type_display(),
                d.rooms,
                d.area_m2,
                d.rent,
                d.step_free,
                d.elevator,
                d.wheelchair,
            ]
            for d in filterset.qs.order_by("pk").iterator(chunk_size=2000)
        )
        return file_response(name="bestand", filetype=filetype, headers=headers, rows=rows)


@api_access(ALL_ROLES)
class VacancyExport(ExportView):
    @extend_schema(
        tags=["exports"],
        summary="The vacancy list as CSV or XLSX",
        parameters=[FILETYPE],
        responses=FILE_RESPONSES,
    )
    def get(self, request: Request) -> HttpResponse:
        filetype = _filetype(request)
        qs = Vacancy.objects.restrict(request.user).select_related(
            "organisation", "dwelling__entrance"
        )
        filterset = VacancyFilter(request.query_params, queryset=qs, user=request.user)
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        return file_response(
            name="ledige-boliger",
            filetype=filetype,
            columns=VACANCY_COLUMNS,
            items=filterset.qs.order_by("-report_date", "-pk"),
        )


@api_access(OVERSIGHT)
class LedgerExport(ExportView):
    @extend_schema(
        tags=["exports"],
        summary="The ledger as CSV or XLSX",
        parameters=[*LEDGER_PARAMS, FILETYPE],
        responses=FILE_RESPONSES,
    )
    def get(self, request: Request) -> HttpResponse:
        filetype = _filetype(request)
        view = _ledger_view(request)
        return file_response(
            name=ledger_file_name(view),
            filetype=filetype,
            columns=ledger_columns(view),
            items=view.rows,
        )


@api_access(MUNICIPAL, deny_status=404)
class CaseExport(ExportView):
    @extend_schema(
        tags=["exports"],
        summary="The case list as CSV or XLSX (municipal roles; logged as personal-data access)",
        parameters=[FILETYPE],
        responses=FILE_RESPONSES,
    )
    def get(self, request: Request) -> HttpResponse:
        filetype = _filetype(request)
        cases = list(case_list(user=request.user))
        personal_data_read(
            user=request.user,
            subjects=[citizen_subject(case.citizen) for case in cases],
            what="case.export",
            purpose=Purpose.EXPORT,
            path=request.path,
        )
        headers = [
            _("Case number"), _("Citizen reference"), _("Status"), _("Opened"),
            _("Waiting since"), _("Priority"), _("Urgent"), _("Caseworker"),
        ]  # fmt: skip
        rows = [
            [
                c.number,
                c.citizen.reference,
                c.get_status_display(),
                _d(c.opened_on),
                _d(c.waiting_since),
                c.priority_total,
                c.urgent,
                c.caseworker.get_full_name() if c.caseworker else "",
            ]
            for c in cases
        ]
        return file_response(name="sager", filetype=filetype, headers=headers, rows=rows)


# --- webhooks -------------------------------------------------------------------------------------


def _own_organisation(request: Request, raw: Any) -> Any:
    from anvis.stock.models import HousingOrganisation

    orgs = HousingOrganisation.objects.restrict(request.user)
    token = getattr(request, "auth", None)
    if getattr(token, "organisation_id", None):
        return orgs.get(pk=token.organisation_id)
    if raw in (None, ""):
        if orgs.count() == 1:
            return orgs.get()
        raise serializers.ValidationError({"organisation": [_("Choose the housing organisation.")]})
    try:
        return orgs.get(pk=int(raw))
    except (ValueError, TypeError, HousingOrganisation.DoesNotExist):
        raise Http404 from None


@api_access(REPORTERS)
class WebhookListCreate(generics.ListAPIView):
    serializer_class = s.WebhookSubscriptionSerializer

    def get_queryset(self) -> Any:
        from anvis.stock.models import HousingOrganisation

        orgs = HousingOrganisation.objects.restrict(self.request.user)
        return WebhookSubscription.objects.filter(organisation__in=orgs, active=True).order_by("pk")

    @extend_schema(tags=["webhooks"], summary="The organisation's webhook subscriptions")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["webhooks"],
        summary="Subscribe to signed status-change events (the secret is shown once)",
        request=s.WebhookSubscriptionCreateSerializer,
        responses={201: s.WebhookSubscriptionCreatedSerializer},
        parameters=[
            IDEMPOTENCY,
            OpenApiParameter(
                "organisation",
                OpenApiTypes.INT,
                description="Only for users of several organisations; a token has one.",
            ),
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = s.WebhookSubscriptionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = _own_organisation(request, request.query_params.get("organisation"))
        subscription = webhook_subscription_create(
            actor=request.user,
            organisation=organisation,
            url=data.validated_data["url"],
            event_types=data.validated_data.get("event_types", []),
        )
        return Response(
            s.WebhookSubscriptionCreatedSerializer(subscription).data,
            status=status.HTTP_201_CREATED,
        )


def _subscription(request: Request, pk: int) -> WebhookSubscription:
    from anvis.stock.models import HousingOrganisation

    orgs = HousingOrganisation.objects.restrict(request.user)
    return get_object_or_404(WebhookSubscription.objects.filter(organisation__in=orgs), pk=pk)


@api_access(REPORTERS, deny_status=404)
class WebhookDetail(APIView):
    @extend_schema(
        tags=["webhooks"],
        summary="End a subscription",
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        webhook_subscription_delete(actor=request.user, subscription=_subscription(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@api_access(REPORTERS, deny_status=404)
@extend_schema(tags=["webhooks"], summary="The delivery log of a subscription")
class WebhookDeliveries(generics.ListAPIView):
    serializer_class = s.WebhookDeliverySerializer
    queryset = WebhookDelivery.objects.none()

    def get_queryset(self) -> Any:
        subscription = _subscription(self.request, self.kwargs["pk"])
        return subscription.deliveries.order_by("-created_at", "-pk")


@api_access(public=True)
@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Every other path under /api/ answers 404 as problem+json, not as an HTML page."""

    authentication_classes: list[Any] = []
    throttle_classes: list[Any] = []

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise Http404
