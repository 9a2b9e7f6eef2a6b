"""Shared schema pieces: request bodies refuse fields they do not know."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class StrictIn(Schema):
    """A request body; an unknown field is a 422 naming it, not silently dropped."""

    model_config = ConfigDict(extra="forbid")
