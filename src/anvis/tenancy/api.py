"""API v1: tenancy events. The housing organisation reports its events (with an
Idempotency-Key a retried request returns the first answer); municipal systems receive them as
the webhook `tenancy.event_reported`. Lists show each caller only what it may see: an
organisation token its own organisation's reports (never the notes of the municipality's
events, which it does not get at all)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from anvis.api.access import api_access
from anvis.api.fields import WholeNumberField
from anvis.api.idempotency import write_endpoint
from anvis.api.serializers import PrimaryKeyRelatedField
from anvis.audit.services import Purpose, citizens_read
from anvis.permissions import TENANCY_FOLLOWERS, is_municipal
from anvis.vacancies.models import Lease

from . import services
from .models import NOTE_MAX, EventKind, MoveOutReason, Side, Source, TenancyEvent
from .selectors import agreement_leases


class TenancyEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    lease = WholeNumberField(source="tenancy.lease_id", read_only=True)

    class Meta:
        model = TenancyEvent
        fields = [
            "id",
            "lease",
            "kind",
            "side",
            "event_date",
            "reported_on",
            "amount",
            "months",
            "eviction_date",
            "move_out_reason",
            "source",
        ]


class TenancyEventCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    lease = PrimaryKeyRelatedField(queryset=Lease.objects.none())
    kind = serializers.ChoiceField(choices=EventKind.choices)
    event_date = serializers.DateField()
    amount = WholeNumberField(
        required=False, allow_null=True, min_value=1, max_value=services.MAX_ARREARS
    )
    months = WholeNumberField(
        required=False, allow_null=True, min_value=1, max_value=services.MAX_MONTHS
    )
    eviction_date = serializers.DateField(required=False, allow_null=True)
    move_out_reason = serializers.ChoiceField(
        choices=MoveOutReason.choices, required=False, allow_blank=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lease"].queryset = agreement_leases().restrict(user)


@api_access(TENANCY_FOLLOWERS)
class TenancyEventListCreate(generics.ListAPIView):
    serializer_class = TenancyEventSerializer

    def get_queryset(self) -> Any:
        qs = TenancyEvent.objects.restrict(self.request.user).select_related("tenancy")
        if not is_municipal(self.request.user):
            return qs.filter(side=Side.ORGANISATION).order_by("-reported_on", "-pk")
        qs = qs.select_related("tenancy__case__citizen")  # logged: `paginate_queryset`
        return qs.order_by("-reported_on", "-pk")

    def paginate_queryset(self, queryset: Any) -> Any:
        """The page of events; a municipal caller reads whose tenancy each is (the lease, and
        with it the case), so the tenants on the page are logged as the tenancy page logs them:
        one access row each, one INSERT per answer."""
        page = super().paginate_queryset(queryset)
        if page is not None and is_municipal(self.request.user):
            citizens = {e.tenancy.case.citizen_id: e.tenancy.case.citizen for e in page}
            citizens_read(
                self.request, citizens.values(), what="tenancy.events", purpose=Purpose.TENANCY
            )
        return page

    @extend_schema(tags=["tenancies"], summary="List tenancy events")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @write_endpoint(
        tag="tenancies",
        summary="Report a tenancy event (arrears, demand, cancellation, move-out, …)",
        request=TenancyEventCreateSerializer,
        responses={201: TenancyEventSerializer},
    )
    def post(self, request: Request) -> Response:
        data = TenancyEventCreateSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            event = services.tenancy_event_report(
                actor=request.user,
                lease=v["lease"],
                data=services.EventInput.from_values(v),
                source=Source.API,
            )
        except PermissionDenied:
            # The lease is the caller's (the field is restricted); the kind is the other side's.
            raise serializers.ValidationError(
                {"kind": [_("Your role cannot report this event.")]}
            ) from None
        return Response(TenancyEventSerializer(event).data, status=status.HTTP_201_CREATED)
