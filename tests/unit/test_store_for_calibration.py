"""The closed history calibration learns from, as the store reads it: won and lost
leads, their card, and their activities counted up to the hand-off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leadtui.cli.calibrate import LEAD_COLUMNS, _from_store
from leadtui.store import Store
from tests.conftest import make_lead

HANDED = datetime(2026, 9, 1, 15, tzinfo=UTC)


def _closed(store: Store, outcome: str, *, handed: bool = True, **card: object) -> int:
    lead_id = store.add_lead(make_lead(**card)).id or 0
    if handed:
        store.became_mql(lead_id, at=HANDED, score=70, fit=30, engagement=40)
    store.close_deal(lead_id, "dana", at=HANDED + timedelta(days=20), outcome=outcome)
    return lead_id


def _did(store: Store, lead_id: int, kind: str, *days: int) -> None:
    store.bulk_insert(
        "activities",
        ("lead_id", "kind", "at", "detail"),
        [(lead_id, kind, int((HANDED + timedelta(days=day)).timestamp()), "") for day in days],
    )


def test_the_history_counts_activities_up_to_the_hand_off(store: Store) -> None:
    won = _closed(store, "won", title="VP of IT", employees=450)
    lost = _closed(store, "lost", title="Intern", employees=12, industry="Retail")
    never_handed = _closed(store, "lost", handed=False, title="Student")
    open_lead = store.add_lead(make_lead(email="still.open@example.com")).id or 0
    _did(store, won, "pricing_page", -3, -1, 2)  # the visit after the hand-off is not counted
    _did(store, lost, "webinar_attended", -5)
    _did(store, never_handed, "pricing_page", -2, 10, 25)  # counted up to its close
    _did(store, open_lead, "pricing_page", -1)
    _did(store, won, "roi-calculator", -1)  # not one word: left out of the history

    assert store.closed_after_hand_off() == [won, lost]
    history = _from_store(store)
    assert history.columns == [*LEAD_COLUMNS, "pricing_page", "webinar_attended"]
    assert history.outcomes == [True, False, False]
    picked = [
        (row["title"], row["employees"], row["pricing_page"], row["webinar_attended"])
        for row in history.rows
    ]
    assert picked == [
        ("VP of IT", "450", "2", "0"),
        ("Intern", "12", "0", "1"),
        ("Student", "450", "2", "0"),
    ]


def test_a_kind_of_activity_is_a_value_not_sql(store: Store) -> None:
    won = _closed(store, "won")
    _did(store, won, "x' OR 1=1 --", -1)
    _did(store, won, "webinar_attended", -2, -1)
    kinds = store.activity_kinds()
    assert kinds == ["webinar_attended", "x' OR 1=1 --"]
    assert store.closed_history(["title"], kinds) == [("won", "VP of IT", 2, 1)]


def test_only_fields_of_the_card_can_be_asked_for(store: Store) -> None:
    _closed(store, "won")
    for asked in ("stage FROM leads; DROP TABLE leads --", "owner", "uid"):
        with pytest.raises(ValueError, match="a lead's card has no field named"):
            store.closed_history([asked], [])
    assert store.closed_history(["title", "country"], []) == [("won", "VP of IT", "United States")]
