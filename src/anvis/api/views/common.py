"""What the API's views share: the validated body of a write request, the file-export base and
the problem+json 404 for unknown paths."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from ..access import api_access
from ..filters import refuse_unknown_parameters


def body(
    request: Request,
    serializer_class: type[serializers.Serializer],  # type: ignore[type-arg]
    **kwargs: Any,
) -> dict[str, Any]:
    """The validated body of a write request; an invalid one is answered 400 with the errors
    of its fields (problem+json)."""
    data = serializer_class(data=request.data, **kwargs)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def create_input(
    request: Request,
    serializer_class: type[serializers.Serializer],  # type: ignore[type-arg]
    *,
    roles: Collection[Any],
) -> dict[str, Any]:
    """The validated body of a create request. A caller whose role may read the list but not
    write to it gets 404, as for a row it may not see; the serializer scopes its related rows
    to the caller (`user=`)."""
    if request.user.role not in roles:
        raise Http404
    return body(request, serializer_class, user=request.user)


# --- file exports ---------------------------------------------------------------------------------

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


def filetype(request: Request) -> str:
    value = request.query_params.get("filetype", "csv")
    if value not in ("csv", "xlsx"):
        raise serializers.ValidationError({"filetype": [_("Choose csv or xlsx.")]})
    return value


def filtered(filterset_class: Any, request: Request, queryset: Any) -> Any:
    """The rows of a download, filtered by the list's own FilterSet (400 on a bad query)."""
    refuse_unknown_parameters(request.query_params, {"filetype", *filterset_class.base_filters})
    filterset = filterset_class(request.query_params, queryset=queryset, user=request.user)
    if not filterset.is_valid():
        raise serializers.ValidationError(filterset.errors)
    return filterset.qs


def export_schema(summary: str, *parameters: OpenApiParameter) -> Any:
    """The schema of a file download: its parameters and the `filetype` choice."""
    return extend_schema(
        tags=["exports"],
        summary=summary,
        parameters=[*parameters, FILETYPE],
        responses=FILE_RESPONSES,
    )


class ExportView(APIView):
    """Files are Django responses; errors are problem+json whatever the Accept header says."""

    def perform_content_negotiation(self, request: Any, force: bool = False) -> Any:
        renderer = JSONRenderer()
        return renderer, renderer.media_type


# --- unknown paths --------------------------------------------------------------------------------


@api_access(public=True)
@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Every other path under /api/ answers 404 as problem+json, not as an HTML page."""

    authentication_classes: list[Any] = []
    throttle_classes: list[Any] = []

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise Http404
