"""What the Salesforce push tests share: the org pulled in, a rep's desk, and checks that
the fake and the file agree."""

from __future__ import annotations

from typing import Any

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.desk import Desk
from leadtui.store import Store
from tests import on_disk
from tests.conftest import NOW
from tests.crm.conftest import Running, rounds
from tests.crm.salesforce_org import connector, fill
from tests.crm.salesforce_parts import DATA, EVENT_FIELD, Fault

BATCH_PATH = f"{DATA}/composite/sobjects/Task/{EVENT_FIELD}"
ONE_TASK_PATH = f"{DATA}/sobjects/Task/{EVENT_FIELD}/"


@pytest.fixture
def pulled(salesforce: Running, team_file: Store, terms: Agreement) -> list[tuple[int, str]]:
    """The org pulled in: (lead id, Salesforce Lead id) of the first six Leads."""
    handed = fill(salesforce.fake, handed=6, with_marketing=0)
    rounds(team_file, connector(salesforce.url), terms).round(NOW)
    ids = team_file.lead_ids_by_key(handed)
    return [(ids[lead], lead) for lead in handed]


@pytest.fixture
def desk(team_file: Store, terms: Agreement) -> Desk:
    return Desk(team_file, terms, FixedClock(NOW), rep="dana")


def attempts_logged(team_file: Store) -> list[str]:
    return [
        row[0]
        for row in on_disk.rows(
            team_file, "SELECT id FROM events WHERE kind = 'attempt' ORDER BY seq"
        )
    ]


def agree(salesforce: Running, team_file: Store) -> None:
    """Every attempt logged is one Task in Salesforce, and the file knows it as made."""
    made = team_file.made_in_crm("salesforce")
    for event_id in attempts_logged(team_file):
        found = salesforce.fake.tasks_for(event_id)
        assert len(found) == 1, f"event {event_id} is in Salesforce {len(found)} times"
        assert made[event_id] == found[0]
    assert team_file.crm_counts("salesforce").waiting == 0


def task_of(salesforce: Running, event_id: str) -> dict[str, Any]:
    (task_id,) = salesforce.fake.tasks_for(event_id)
    return dict(salesforce.fake.tasks[task_id])


def down(times: int, path: str = BATCH_PATH, method: str = "PATCH") -> list[Fault]:
    """Salesforce down for the next `times` requests to `path`."""
    body = [{"message": "down", "errorCode": "SERVER_UNAVAILABLE"}]
    return [Fault(method, path, 503, body) for _ in range(times)]
