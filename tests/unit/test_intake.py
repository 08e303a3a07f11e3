"""The one intake door fed plain lead records, with no CSV file in sight: the same leads
and events as the import of the same rows, one lead per key, whole cards or partial
ones, and all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from leadtui.core.agreement import Agreement
from leadtui.core.intake import CONTACT_FIELDS, LeadRecord
from leadtui.core.models import Lead, Stage
from leadtui.core.wire import WireLead
from leadtui.importing import import_leads
from leadtui.store import Store
from leadtui.store.errors import Clash
from tests import on_disk
from tests.conftest import NOW

ROWS = (
    "Lead ID,Email,First Name,Last Name,Job Title,Company,Number of Employees,"
    "Annual Revenue,Lead Source,Created Date,MQL Date,Favourite Colour",
    "L-1,ines@granite.com,Ines,Martin,VP of IT,Granite Precision,450,$20M,web_form,"
    "2026-10-01,2026-11-02T09:30,blue",
    ",kim@northwind.com,Kim,Ode,Director of Operations,Northwind,1200,,trade_show,2026-10-05,,",
    "L-3,,Bo,Lund,CIO,Acme,,,paid_search,2026-10-07,2026-11-03,green",
)


def _day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


RECORDS = [
    LeadRecord(
        external_id="L-1",
        email="ines@granite.com",
        name="Ines Martin",
        title="VP of IT",
        company="Granite Precision",
        employees=450,
        revenue=20_000_000.0,
        source="web_form",
        created_at=_day("2026-10-01"),
        mql_at=_day("2026-11-02T09:30"),
        custom={"Favourite Colour": "blue"},
    ),
    LeadRecord(
        email="kim@northwind.com",
        name="Kim Ode",
        title="Director of Operations",
        company="Northwind",
        employees=1200,
        source="trade_show",
        created_at=_day("2026-10-05"),
    ),
    LeadRecord(
        external_id="L-3",
        name="Bo Lund",
        title="CIO",
        company="Acme",
        source="paid_search",
        created_at=_day("2026-10-07"),
        mql_at=_day("2026-11-03"),
        custom={"Favourite Colour": "green"},
    ),
]


def _landed(store: Store) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """Every lead's row (but its random uid) and every event (but its random id)."""
    with on_disk.connected(store) as conn:
        cursor = conn.execute("SELECT * FROM leads ORDER BY id")
        names = [column[0] for column in cursor.description]
        leads = [{k: v for k, v in zip(names, row, strict=True) if k != "uid"} for row in cursor]
    events = on_disk.rows(
        store, "SELECT lead_id, kind, actor, at, payload FROM events ORDER BY seq"
    )
    return leads, events


def test_records_land_as_the_import_of_the_same_rows(terms: Agreement, tmp_path: Path) -> None:
    csv_file = tmp_path / "leads.csv"
    csv_file.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    with Store(tmp_path / "from_csv.db") as from_csv, Store(tmp_path / "plain.db") as plain:
        imported = import_leads(from_csv, csv_file, agreement=terms, now=NOW)
        taken = plain.intake(RECORDS, actor="import", now=NOW, agreement=terms)
        assert (taken.imported, taken.updated, taken.handed) == (3, 0, 2)
        assert (imported.imported, imported.updated, imported.handed) == (3, 0, 2)
        assert taken.new_mqls == imported.new_mqls
        csv_leads, csv_events = _landed(from_csv)
        leads, events = _landed(plain)
        assert leads == csv_leads
        assert events == csv_events
        assert [lead["stage"] for lead in leads] == ["mql", "nurturing", "mql"]
        assert [kind for _, kind, *_ in events].count("became_mql") == 2
        factors = "SELECT lead_id, label, points FROM score_factors ORDER BY lead_id, label"
        assert on_disk.rows(plain, factors) == on_disk.rows(from_csv, factors)
        assert on_disk.rows(plain, factors)  # scored, not merely equal and empty


def test_records_with_one_key_are_one_lead_and_a_blank_keeps_what_the_lead_has(
    store: Store, terms: Agreement
) -> None:
    first = LeadRecord(email="ana@acme.com", title="Analyst", phone="+1 312 555 0100")
    later = LeadRecord(email="ana@acme.com", title="CIO", mql_at=NOW)
    taken = store.intake([first, later], actor="import", now=NOW, agreement=terms)
    assert (taken.imported, taken.updated, taken.handed) == (1, 1, 1)
    lead = store.lead(1)
    assert (lead.title, lead.phone, lead.stage) == ("CIO", "+1 312 555 0100", Stage.MQL)
    again = store.intake([later], actor="import", now=NOW, agreement=terms)
    assert (again.imported, again.updated, again.handed) == (0, 1, 0)  # with sales already
    assert len(store.events(1)) == 1


def test_whole_cards_clear_what_they_leave_out_and_keep_the_scores_sent(store: Store) -> None:
    card = LeadRecord(
        uid="mkt-1",
        name="Ines",
        phone="+1 312 555 0199",
        email="i@g.com",
        created_at=NOW,
        mql_at=NOW,
        score=88,
        fit=40,
        engagement=48,
    )
    store.intake([card], actor="morgan", now=NOW, whole_cards=True)
    shorter = LeadRecord(uid="mkt-1", name="Ines Martin", created_at=NOW)
    taken = store.intake([shorter], actor="morgan", now=NOW, whole_cards=True)
    assert (taken.imported, taken.updated, taken.handed) == (0, 1, 0)
    lead = store.lead_by_uid("mkt-1")
    assert lead is not None
    assert (lead.name, lead.phone, lead.email) == ("Ines Martin", "", "")
    assert (lead.score, lead.fit, lead.engagement, lead.stage) == (88, 40, 48, Stage.MQL)
    assert [event.payload for event in store.events(lead.id or 0)] == [
        {"score": 88, "fit": 40, "engagement": 48}
    ]


def test_an_intake_with_one_bad_record_lands_nothing(store: Store, terms: Agreement) -> None:
    store.intake(
        [LeadRecord(uid="mkt-1", external_id="crm-77", name="Ines", created_at=NOW)],
        actor="morgan",
        now=NOW,
        whole_cards=True,
    )
    before = _landed(store)
    good = [
        LeadRecord(uid="mkt-1", external_id="crm-77", name="Ines Martin", created_at=NOW),
        LeadRecord(uid="mkt-2", name="Kim", created_at=NOW, mql_at=NOW),
    ]
    taken_already = LeadRecord(uid="mkt-3", external_id="crm-77", name="Bo", created_at=NOW)
    with pytest.raises(Clash, match="external id 'crm-77' is lead mkt-1's"):
        store.intake([*good, taken_already], actor="morgan", now=NOW, agreement=terms)
    assert _landed(store) == before  # no card changed, no lead added, no event logged
    twice = [
        LeadRecord(uid="mkt-4", external_id="crm-88", created_at=NOW),
        LeadRecord(uid="mkt-5", external_id="crm-88", created_at=NOW),
    ]
    with pytest.raises(Clash, match="external id 'crm-88' is lead mkt-4's"):
        store.intake(twice, actor="morgan", now=NOW, whole_cards=True)
    assert _landed(store) == before
    # A card that gives up its external id frees it for the next one in the same intake.
    moved = [
        LeadRecord(uid="mkt-1", external_id="crm-78", created_at=NOW),
        LeadRecord(uid="mkt-6", external_id="crm-77", created_at=NOW),
    ]
    assert store.intake(moved, actor="morgan", now=NOW, whole_cards=True).imported == 1


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"name": "Ines"}, "nothing to know the lead by"),
        ({"email": "a@b.com", "name": "In\x00es"}, "name"),
        ({"email": "a@b.com", "title": "x" * 100_001}, "title"),
        ({"email": "a@b.com", "employees": 10_000_001}, "employees"),
        ({"email": "a@b.com", "revenue": -1.0}, "revenue"),
        ({"email": "a@b.com", "employees": "450"}, "employees"),
        ({"email": "a@b.com", "mql_at": datetime(2200, 1, 1, tzinfo=UTC)}, "mql_at"),
        ({"email": "a@b.com", "created_at": datetime(2026, 11, 17)}, "created_at"),
        ({"email": "a@b.com", "phone": "+1 312 555 0199", "version": 3}, "version"),
        ({"email": "a@b.com", "owner": "da\x00na"}, "owner"),
        ({"email": "a@b.com", "stage": Stage.WON}, "'won' is not one a source hands over"),
    ],
)
def test_a_record_is_bounded_where_it_is_made(fields: dict[str, Any], where: str) -> None:
    with pytest.raises(ValidationError) as refused:
        LeadRecord.model_validate(fields)
    assert where in str(refused.value)


def test_the_contact_fields_are_those_of_a_lead_a_card_and_a_record(store: Store) -> None:
    columns = {row[1] for row in on_disk.rows(store, "PRAGMA table_info(leads)")}
    for names in (Lead.model_fields, WireLead.model_fields, LeadRecord.model_fields, columns):
        assert set(CONTACT_FIELDS) <= set(names)
    kept_apart = {"uid", "created_at", "score", "fit", "engagement"}
    assert set(WireLead.model_fields) - kept_apart == set(CONTACT_FIELDS)


def test_new_leads_get_canonical_random_uids() -> None:
    import uuid

    from leadtui.core.models import new_uids

    made = list(new_uids(2_000))
    assert len(set(made)) == 2_000
    assert all(str(uuid.UUID(uid)) == uid and uuid.UUID(uid).version == 4 for uid in made)
    assert all(uuid.UUID(uid).variant == uuid.RFC_4122 for uid in made)


def test_a_record_that_says_where_its_lead_stands_is_handed_over_claimed_and_moved(
    store: Store, terms: Agreement
) -> None:
    records = [
        LeadRecord(
            external_id="c-1", stage=Stage.QUALIFIED, owner="dana", created_at=_day("2026-10-01")
        ),
        LeadRecord(external_id="c-2", stage=Stage.WORKING, owner="priya"),  # no rep: the pool
        LeadRecord(external_id="c-3", stage=Stage.MQL, mql_at=_day("2026-11-02")),
        LeadRecord(external_id="c-4", owner="dana"),  # an owner alone hands nothing over
    ]
    summary = store.intake(records, actor="hubspot", now=NOW, agreement=terms)
    assert (summary.imported, summary.handed) == (4, 3)
    leads = {lead.external_id: lead for lead in map(store.lead, range(1, 5))}
    qualified = leads["c-1"]
    assert (qualified.stage, qualified.owner, qualified.mql_at) == (
        Stage.QUALIFIED,
        "dana",
        _day("2026-10-01"),  # no hand-off time: when it was made
    )
    assert [(e.kind.value, e.actor) for e in store.events(qualified.id or 0)] == [
        ("became_mql", "hubspot"),
        ("claimed", "hubspot"),
        ("qualified", "hubspot"),
    ]
    assert (leads["c-2"].stage, leads["c-2"].owner, leads["c-2"].mql_at) == (Stage.MQL, None, NOW)
    assert (leads["c-3"].stage, leads["c-3"].mql_at) == (Stage.MQL, _day("2026-11-02"))
    assert (leads["c-4"].stage, leads["c-4"].owner) == (Stage.NURTURING, None)
    # Once with sales, a lead takes no stage and no owner from a source again.
    again = [LeadRecord(external_id="c-3", stage=Stage.DISQUALIFIED, owner="marcus")]
    assert store.intake(again, actor="hubspot", now=NOW, agreement=terms).handed == 0
    assert (store.lead(3).stage, store.lead(3).owner) == (Stage.MQL, None)


def test_a_file_imported_again_does_not_hand_back_a_lead_the_rep_returned(
    store: Store, terms: Agreement
) -> None:
    handed = LeadRecord(external_id="L-9", email="ines@granite.com", mql_at=_day("2026-11-02"))
    assert store.intake([handed], actor="import", now=NOW, agreement=terms).handed == 1
    store.claim(1, "dana", at=NOW, expected_version=store.lead(1).version)
    store.return_to_nurture(1, "dana", at=NOW, reason="not_now")
    again = store.intake([handed], actor="import", now=NOW, agreement=terms)
    assert (again.handed, store.lead(1).stage) == (0, Stage.RETURNED_TO_NURTURE)
    # A later hand-off in the source is a new one.
    later = handed.model_copy(update={"mql_at": NOW})
    assert store.intake([later], actor="import", now=NOW, agreement=terms).handed == 1
    assert store.lead(1).stage is Stage.MQL
