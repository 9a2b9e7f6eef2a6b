"""Shared schema pieces: request bodies refuse fields they do not know."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, field_validator


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return any(_holds_nul(v) for v in value)
    return False


class StrictIn(Schema):
    """A request body; an unknown field is a 422 naming it, not silently dropped, and so is a
    text holding a NUL character (PostgreSQL text cannot store one: the write would fail)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        if _holds_nul(value):
            raise ValueError("must not contain NUL characters")
        return value


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
