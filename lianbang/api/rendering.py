"""Rendering an answer the way django-ninja does, without validating it first."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """``data`` as ninja's JSON renderer writes it (same encoder, same media type), but without
    ninja validating it against the operation's response schema first.

    For large answers built field by field to that schema, where pydantic would check hundreds
    of rows on every request (the dashboard's drill-down): the operation still declares the
    schema for the OpenAPI document, and a test validates the answer against it."""
    body = json.dumps(data, cls=NinjaJSONEncoder, **JSONRenderer.json_dumps_params)
    media_type = f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}"
    return HttpResponse(body, status=status, content_type=media_type)
