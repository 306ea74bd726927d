"""The API's JSON parser: limits are checked before any parsing.

* A body larger than `ANVIS_API_MAX_BODY_BYTES` (default 1 MiB) is refused with **413**, from
  the `Content-Length` header when it is given, and in any case before more than the limit
  (plus one byte) has been read.
* JSON nested deeper than `ANVIS_API_MAX_JSON_DEPTH` (default 32 arrays/objects) is refused with
  a **400** problem naming the limit (`code: json_too_deep`). The depth is counted by a flat
  scan of the raw bytes (brackets outside strings), so Python's recursive JSON decoder never sees
  a document that could exhaust its recursion limit (a `RecursionError`, then a 500).
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_JSON_DEPTH = 32

_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")
_QUOTE = ord('"')
_BACKSLASH = ord("\\")


def max_body_bytes() -> int:
    return int(getattr(settings, "ANVIS_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def max_json_depth() -> int:
    return int(getattr(settings, "ANVIS_API_MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH))


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = _("The request body is larger than the limit.")


class JsonTooDeep(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "json_too_deep"
    default_detail = _("The JSON document is nested deeper than the limit.")


def json_depth_exceeds(data: bytes, limit: int) -> bool:
    """Is any array or object in `data` nested deeper than `limit`? One pass, no recursion.

    Brackets inside JSON strings do not count (a backslash escapes the next byte). The scan does
    not validate the document; the decoder does that afterwards.
    """
    depth = 0
    in_string = False
    escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _BACKSLASH:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > limit:
                return True
        elif byte in _CLOSE:
            depth -= 1
    return False


def _declared_length(parser_context: dict[str, Any] | None) -> int | None:
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", None) or {}
    try:
        return int(meta.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


class LimitedJSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = max_body_bytes()
        too_large = RequestTooLarge(
            _("The request body is larger than %(limit)s bytes.") % {"limit": limit}
        )
        declared = _declared_length(parser_context)
        if declared is not None and declared > limit:
            raise too_large
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise too_large
        depth = max_json_depth()
        if json_depth_exceeds(data, depth):
            raise JsonTooDeep(
                _("The JSON document is nested deeper than %(depth)s levels.") % {"depth": depth}
            )
        return super().parse(io.BytesIO(data), media_type, parser_context)
