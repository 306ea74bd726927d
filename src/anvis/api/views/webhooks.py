"""API v1: a housing organisation's webhook subscriptions and their delivery log."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anvis.permissions import REPORTERS

from .. import serializers as s
from ..access import api_access
from ..idempotency import write_endpoint
from ..models import WebhookDelivery, WebhookSubscription
from ..services import webhook_subscription_create, webhook_subscription_delete
from .common import body


def _organisations(request: Request) -> Any:
    from anvis.stock.models import HousingOrganisation

    return HousingOrganisation.objects.restrict(request.user)


def _own_organisation(request: Request, raw: Any) -> Any:
    orgs = _organisations(request)
    token = getattr(request, "auth", None)
    if getattr(token, "organisation_id", None):
        return orgs.get(pk=token.organisation_id)
    if raw in (None, ""):
        if orgs.count() == 1:
            return orgs.get()
        raise serializers.ValidationError({"organisation": [_("Choose the housing organisation.")]})
    try:
        return orgs.get(pk=int(raw))
    except (ValueError, TypeError, orgs.model.DoesNotExist):
        raise Http404 from None


def _subscriptions(request: Request) -> Any:
    return WebhookSubscription.objects.filter(organisation__in=_organisations(request))


@api_access(REPORTERS)
@extend_schema_view(
    get=extend_schema(tags=["webhooks"], summary="The organisation's webhook subscriptions")
)
class WebhookListCreate(generics.ListAPIView):
    serializer_class = s.WebhookSubscriptionSerializer

    def get_queryset(self) -> Any:
        return _subscriptions(self.request).filter(active=True).order_by("pk")

    @write_endpoint(
        tag="webhooks",
        summary="Subscribe to signed status-change events (the secret is shown once)",
        request=s.WebhookSubscriptionCreateSerializer,
        responses={201: s.WebhookSubscriptionCreatedSerializer},
        parameters=[
            OpenApiParameter(
                "organisation",
                OpenApiTypes.INT,
                description="Only for users of several organisations; a token has one.",
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        values = body(request, s.WebhookSubscriptionCreateSerializer)
        organisation = _own_organisation(request, request.query_params.get("organisation"))
        subscription = webhook_subscription_create(
            actor=request.user,
            organisation=organisation,
            url=values["url"],
            event_types=values.get("event_types", []),
        )
        return Response(
            s.WebhookSubscriptionCreatedSerializer(subscription).data,
            status=status.HTTP_201_CREATED,
        )


def _subscription(request: Request, pk: int) -> WebhookSubscription:
    return get_object_or_404(_subscriptions(request), pk=pk)


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
