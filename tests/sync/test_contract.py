"""The running server keeps its own OpenAPI contract: schemathesis generates requests
for every operation (bounded, so the suite stays quick) and checks each answer: no
server error, a documented status, a body that fits the documented schema."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.config import CacheConfig, SchemathesisConfig

from tests.sync.servers import Running


@pytest.fixture
def api_schema(server: Running, tmp_path: Path) -> schemathesis.BaseSchema:
    # What schemathesis keeps between runs goes under ./.schemathesis unless its cache is
    # given a directory: this test's files stay in its tmp_path, not in the checkout.
    kept = CacheConfig(directory=str(tmp_path / "schemathesis"))
    config = SchemathesisConfig(cache=kept)
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json", config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_contract(case: schemathesis.Case, server: Running) -> None:
    response = case.call(headers={"Authorization": f"Bearer {server.tokens['morgan']}"})
    excluded = _lost_on_the_wire(case, response.request)
    if response.status_code == 413:  # refused, by size: schemathesis does not list 413
        excluded = [negative_data_rejection]
    if _only_out_of_range(response):
        excluded = [*excluded, positive_data_acceptance]
    case.validate_response(response, excluded_checks=excluded)


def _only_out_of_range(response: object) -> bool:
    """JSON Schema has no bounds for a date-time: a time outside 1970-2199 fits the schema
    (whose description names the range) and is refused, rightly, with a 422 that says so."""
    if getattr(response, "status_code", 0) != 422:
        return False
    try:
        problems = response.json()["detail"]  # type: ignore[attr-defined]
    except (ValueError, KeyError, TypeError):
        return False
    if not isinstance(problems, list):
        return False
    return bool(problems) and all(
        isinstance(problem, dict) and "outside the dates leadtui keeps" in str(problem.get("msg"))
        for problem in problems
    )


def _lost_on_the_wire(case: schemathesis.Case, sent: object) -> list[object]:
    """A query made invalid only by an extra parameter that has no value on the wire
    ({"": []}) reaches the server as a valid one: that request is not refused, rightly."""
    if case.meta is None or not case.meta.is_negative_at("query"):
        return []
    query = dict(parse_qsl(urlsplit(str(getattr(sent, "url", ""))).query))
    known = set(query) <= {"since", "limit"} and all(v.isdigit() for v in query.values())
    return [negative_data_rejection] if known and set(case.query or {}) - set(query) else []
