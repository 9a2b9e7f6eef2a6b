"""Shared schema pieces: request bodies refuse fields they do not know."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class StrictIn(Schema):
    """A request body; an unknown field is a 422 naming it, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class FieldErrorOut(Schema):
    value: Any = None
    message: str
    message_en: str


class ErrorOut(Schema):
    """The one error shape: ``fields`` names each refused value with its reason (zh-CN, English)."""

    code: str
    message: str
    message_en: str
    fields: dict[str, FieldErrorOut]
