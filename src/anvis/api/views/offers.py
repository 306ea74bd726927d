"""API v1: what follows an accepted vacancy: offers and the organisation's answer to a
nominee, leases and guarantee claims."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anvis.cases.selectors import case_queryset
from anvis.permissions import ALL_ROLES, MUNICIPAL, REPORTERS, Role
from anvis.vacancies import services as flow
from anvis.vacancies.disclosure import lease_warnings_for
from anvis.vacancies.models import GuaranteeClaim, Lease, Offer

from .. import serializers as s
from ..access import api_access
from ..errors import validation_problem
from ..idempotency import write_endpoint
from ..services import nominee_accept
from .common import body, create_input

LEASE_WRITERS = frozenset({Role.ORGANISATION, Role.ALLOCATION_LEAD, Role.ADMIN})


@api_access(ALL_ROLES)
@extend_schema_view(
    get=extend_schema(tags=["offers"], summary="List offers on the caller's dwellings")
)
class OfferList(generics.ListAPIView):
    serializer_class = s.OfferSerializer

    def get_queryset(self) -> Any:
        return (
            Offer.objects.restrict(self.request.user)
            .select_related("vacancy", "case__citizen")
            .order_by("-offered_on", "-pk")
        )

    @write_endpoint(
        tag="offers",
        summary="Offer an accepted vacancy to a citizen (municipal systems), through the one "
        "placement gate",
        request=s.OfferCreateSerializer,
        responses={201: s.OfferSerializer},
    )
    def post(self, request: Request) -> Response:
        values = create_input(request, s.OfferCreateSerializer, roles=MUNICIPAL)
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
        body = s.OfferSerializer(offer, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


@api_access(ALL_ROLES, deny_status=404)
@extend_schema(tags=["offers"], summary="One offer", responses={200: s.OfferSerializer})
class OfferDetail(generics.RetrieveAPIView):
    serializer_class = s.OfferSerializer

    def get_queryset(self) -> Any:
        return Offer.objects.restrict(self.request.user).select_related("vacancy", "case__citizen")


@api_access(REPORTERS, deny_status=404)
class OfferAnswer(APIView):
    @write_endpoint(
        tag="offers",
        summary="Accept the nominee, or reject on a legal ground",
        request=s.NomineeAnswerSerializer,
        responses={200: s.OfferSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        offer = get_object_or_404(Offer.objects.restrict(request.user), pk=pk)
        self.check_object_permissions(request, offer)
        values = body(request, s.NomineeAnswerSerializer)
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


@api_access(ALL_ROLES)
@extend_schema_view(get=extend_schema(tags=["leases"], summary="List leases"))
class LeaseListCreate(generics.ListAPIView):
    serializer_class = s.LeaseSerializer

    def get_queryset(self) -> Any:
        return Lease.objects.restrict(self.request.user).order_by("-starts_on", "-pk")

    @write_endpoint(
        tag="leases",
        summary="Register the lease and move-in of an accepted offer",
        request=s.LeaseCreateSerializer,
        responses={201: s.LeaseResultSerializer},
    )
    def post(self, request: Request) -> Response:
        values = create_input(request, s.LeaseCreateSerializer, roles=LEASE_WRITERS)
        result = flow.lease_register(
            actor=request.user,
            offer=values["offer"],
            signed_on=values["signed_on"],
            starts_on=values["starts_on"],
            move_in_on=values["move_in_on"],
        )
        # The warnings are social data (whether a support plan exists): municipal callers only.
        warnings = lease_warnings_for(request.user, result.warnings, values["offer"])
        body = {
            "lease": s.LeaseSerializer(result.lease, context={"request": request}).data,
            "warnings": list(warnings),
            # Money between the parties: both may read it, as on the page.
            "corrections": list(result.corrections),
        }
        return Response(body, status=status.HTTP_201_CREATED)


@api_access(LEASE_WRITERS, deny_status=404)
class LeaseCancel(APIView):
    """The lease was cancelled before the tenant moved in: the same service as the vacancy
    page's "Lejeaftalen ophævet før indflytning" (`vacancies.services.lease_cancel`)."""

    @write_endpoint(
        tag="leases",
        summary="Record that a lease was cancelled before move-in (the dwelling can be offered "
        "again, the void rent runs again)",
        request=s.LeaseCancelSerializer,
        responses={200: s.LeaseCancelResultSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        # Another organisation's lease is not found, as on the page, whatever the body holds.
        lease = get_object_or_404(Lease.objects.restrict(request.user), pk=pk)
        values = body(request, s.LeaseCancelSerializer)
        try:
            result = flow.lease_cancel(
                actor=request.user,
                lease=lease,
                cancelled_on=values["cancelled_on"],
                reason=values["reason"],
            )
        except PermissionDenied:
            raise Http404 from None
        return Response(
            {
                "lease": s.LeaseSerializer(result.lease, context={"request": request}).data,
                "corrections": list(result.corrections),
            }
        )


@api_access(ALL_ROLES)
@extend_schema_view(get=extend_schema(tags=["guarantee claims"], summary="List guarantee claims"))
class ClaimListCreate(generics.ListAPIView):
    serializer_class = s.GuaranteeClaimSerializer

    def get_queryset(self) -> Any:
        return GuaranteeClaim.objects.restrict(self.request.user).order_by("-submitted_on", "-pk")

    @write_endpoint(
        tag="guarantee claims",
        summary="Submit a guarantee claim on a lease",
        request=s.GuaranteeClaimCreateSerializer,
        responses={201: s.GuaranteeClaimSerializer},
    )
    def post(self, request: Request) -> Response:
        values = create_input(request, s.GuaranteeClaimCreateSerializer, roles=REPORTERS)
        claim = flow.guarantee_claim_submit(
            actor=request.user,
            lease=values["lease"],
            kind=values["kind"],
            event_date=values["event_date"],
            amount=values["amount"],
            description=values["description"],
        )
        return Response(s.GuaranteeClaimSerializer(claim).data, status=status.HTTP_201_CREATED)
