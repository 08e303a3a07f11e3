"""The running server keeps its own OpenAPI contract: schemathesis generates requests
for every operation (bounded, so the suite stays quick) and checks each answer: no
server error, a documented status, a body that fits the documented schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.sync.servers import Running


@pytest.fixture
def api_schema(server: Running) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_contract(case: schemathesis.Case, server: Running) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {server.tokens['morgan']}"})
