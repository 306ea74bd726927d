"""`Idempotency-Key` on POST: the first successful response is stored with the key, the caller
(token or user) and a hash of the request (method, path, query, body); a retry with the same
key and request gets the same response (header `Idempotent-Replayed: true`) and creates nothing;
the same key with another request is refused with 422. The key is claimed before the operation runs, and the operation and the
record are written in one transaction: of two concurrent requests with one key the second waits
for the first and replays its response.

The replay runs after the view's role rule (DRF's permission classes, in `initial()`) but
instead of the handler, so it skips the checks the handler makes: the role that may write to a
list open to more roles (`create_input`), and the caller's organisations (the rows in its scope).
The record therefore stores what those checks read of the caller (`_access`: its role and
organisations), and a retry is replayed only while that is unchanged; a caller whose role or
organisations changed since is refused with 409 and gets nothing of the first answer."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from anvis.permissions import user_organisation_ids

from .errors import problem
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

IDEMPOTENCY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="A retried request with the same key and body returns the first response.",
)


def _scope(request: Any) -> str:
    token = getattr(request, "auth", None)
    if token is not None and hasattr(token, "pk"):
        return f"token:{token.pk}"
    return f"user:{request.user.pk}"


def _request_hash(request: Any) -> str:
    """Method, path, query and body: the query is part of the request (`POST webhooks/`
    takes the organisation there). Without a query the hash is what it always was, so the
    records stored before the query counted still replay."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    target = request.path
    if request.query_params:
        target += "?" + urlencode(sorted(request.query_params.lists()), doseq=True)
    return hashlib.sha256(f"{request.method} {target}\n{body}".encode()).hexdigest()


def _access(request: Any) -> str:
    """What the endpoint's checks read of the caller, hashed: its role and its organisations
    (a token's are its user's)."""
    user = request.user
    organisations = ",".join(str(pk) for pk in sorted(user_organisation_ids(user)))
    return hashlib.sha256(f"{user.role}|{organisations}".encode()).hexdigest()


def _replay(record: IdempotencyRecord, request_hash: str, access: str) -> Response:
    if record.access != access:
        return problem(
            status_code=409,
            code="idempotency_key_access_changed",
            title=_("The first response to this idempotency key cannot be returned."),
            detail=_(
                "Your role or organisations have changed since the first request with this key. "
                "Check whether it took effect, and send any new request with a new key."
            ),
        )
    if record.request_hash != request_hash:
        return problem(
            status_code=422,
            code="idempotency_key_reused",
            title=_("The idempotency key was used for another request."),
            detail=_("Use a new Idempotency-Key for a request with a different body or path."),
        )
    return Response(
        record.response_body, status=record.status_code, headers={"Idempotent-Replayed": "true"}
    )


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    @functools.wraps(handler)
    def wrapped(self: Any, request: Any, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return handler(self, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            return problem(
                status_code=400,
                code="idempotency_key_invalid",
                title=_("The request is not valid."),
                detail=_("The Idempotency-Key may be at most 255 characters."),
                errors={HEADER: [_("The Idempotency-Key may be at most 255 characters.")]},
            )
        scope = _scope(request)
        request_hash = _request_hash(request)
        access = _access(request)
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing is not None:
            return _replay(existing, request_hash, access)
        try:
            with transaction.atomic():
                # Claim the key first: a concurrent request with the same key waits on the
                # unique index until this transaction ends, then replays what it stored.
                record = IdempotencyRecord.objects.create(
                    key=key,
                    scope=scope,
                    method=request.method,
                    path=request.path[:255],
                    request_hash=request_hash,
                    access=access,
                    status_code=0,
                    response_body=None,
                )
                response = handler(self, request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    record.status_code = response.status_code
                    record.response_body = json.loads(
                        JSONRenderer().render(response.data) or b"null"
                    )
                    record.save(update_fields=["status_code", "response_body"])
                else:
                    record.delete()
        except IntegrityError:
            # A concurrent request with the same key won; ours was rolled back.
            existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
            if existing is None:
                raise
            return _replay(existing, request_hash, access)
        return response

    return wrapped


def write_endpoint(
    *, tag: str, summary: str, request: Any, responses: Any, parameters: Any = ()
) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """A write endpoint of the API: its schema (with the Idempotency-Key header) and the replay
    of a retried request, declared together so that no write can have one without the other."""

    def wrap(handler: Callable[..., Response]) -> Callable[..., Response]:
        return extend_schema(  # type: ignore[no-any-return]
            tags=[tag],
            summary=summary,
            request=request,
            responses=responses,
            parameters=[IDEMPOTENCY, *parameters],
        )(idempotent(handler))

    return wrap
