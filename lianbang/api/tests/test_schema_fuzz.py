"""schemathesis against our own OpenAPI document: no 5xx, and documented answers match the spec.

A bounded number of generated requests per operation, sent in-process through the WSGI app as a
district official holding a token, against a small district.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from lianbang.accounts.models import ApiToken, Assignment, Role, User
from lianbang.accounts.tokens import digest
from lianbang.conftest import Tree
from lianbang.registry.models import Household
from lianbang.wsgi import application

RAW_TOKEN = "lb_fuzz0000_schemathesis-generated-requests"
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Requests sent through the WSGI app would close the database connection at their end
    (Django does that between real requests); the test's transaction needs it open, as
    Django's own test client arranges."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_never_fails_on_generated_requests(
    case: schemathesis.Case, tree: Tree, household: Household
) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {_token(tree)}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )


def _token(tree: Tree) -> str:
    """One district administrator's token per test, with a raw value known to the test."""
    if not ApiToken.objects.filter(digest=digest(RAW_TOKEN)).exists():
        user = User.objects.create_user("fuzz", password="Lianbang@2026")
        Assignment.objects.create(user=user, unit=tree.district, role=Role.DISTRICT_ADMIN)
        ApiToken.objects.create(
            user=user,
            unit=tree.district,
            role=Role.DISTRICT_ADMIN,
            prefix="fuzz0000",
            digest=digest(RAW_TOKEN),
            expires_at=timezone.now() + timedelta(days=1),
        )
    return RAW_TOKEN
