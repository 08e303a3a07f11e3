"""Keyset pages walk the queue in order, without gaps or repeats, and use the indexes."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from leadtui.core.agreement import Agreement
from leadtui.core.models import Stage
from leadtui.store import Due, Filter, Store, View
from tests import on_disk
from tests.conftest import NOW, make_lead


def _fill(store: Store, count: int) -> None:
    rng = random.Random(3)
    owners = [None, "dana", "marcus"]
    for number in range(count):
        lead = store.add_lead(make_lead(email=f"lead{number}@example.com"))
        assert lead.id is not None
        # few distinct scores, so ties on score and on MQL time are common
        store.became_mql(lead.id, at=NOW, score=rng.choice([40, 61, 61, 75]), fit=30, engagement=0)
        owner = rng.choice(owners)
        if owner:
            store.claim(lead.id, owner, at=NOW, expected_version=1)
        if number % 9 == 0:
            store.disqualify(lead.id, "dana", at=NOW, reason="bad_data")


def _walk(store: Store, view: View, rep: str | None, size: int) -> list[int]:
    seen: list[int] = []
    page = store.queue_page(view, rep=rep, limit=size)
    seen += [lead.id for lead in page.leads]
    while page.next is not None:
        page = store.queue_page(view, rep=rep, after=page.next, limit=size)
        seen += [lead.id for lead in page.leads]
    return seen


def test_pages_match_one_sorted_query(store: Store) -> None:
    _fill(store, 120)
    for view, rep, where in (
        (View.ALL, None, ""),
        (View.MINE, "dana", "AND owner = 'dana'"),
        (View.UNASSIGNED, None, "AND owner IS NULL"),
    ):
        expected = [
            row[0]
            for row in on_disk.rows(
                store,
                "SELECT id FROM leads WHERE stage IN ('mql', 'working', 'accepted') "
                f"{where} ORDER BY score DESC, mql_at, id",
            )
        ]
        assert expected, view
        for size in (1, 7, 50, 500):
            assert _walk(store, view, rep, size) == expected, (view, size)


def test_queue_queries_use_the_partial_indexes(store: Store) -> None:
    _fill(store, 30)
    on_disk.run(store, "ANALYZE")
    for sql in (
        "SELECT * FROM leads WHERE stage IN ('mql', 'working', 'accepted') "
        "ORDER BY score DESC, mql_at, id LIMIT 10",
        "SELECT * FROM leads WHERE stage IN ('mql', 'working', 'accepted') AND owner = 'dana' "
        "ORDER BY score DESC, mql_at, id LIMIT 10",
    ):
        plan = " ".join(str(row[-1]) for row in on_disk.rows(store, f"EXPLAIN QUERY PLAN {sql}"))
        assert "leads_queue" in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # no sort: the index gives the order


def test_counts_in_one_query(store: Store) -> None:
    _fill(store, 90)
    counts = store.counts("dana")
    rows = on_disk.rows(
        store,
        "SELECT owner, count(*) FROM leads WHERE stage IN ('mql', 'working', 'accepted') "
        "GROUP BY owner",
    )
    by_owner = {owner: number for owner, number in rows}
    assert counts.open == sum(by_owner.values())
    assert counts.unassigned == by_owner[None]
    assert counts.mine == by_owner["dana"]
    assert counts.by_owner == {"dana": by_owner["dana"], "marcus": by_owner["marcus"]}
    assert counts.by_stage["mql"] == by_owner[None]


def test_urgent_leads_come_first_by_deadline_unless_snoozed(store: Store) -> None:
    _fill(store, 120)
    rng = random.Random(9)
    base = int(NOW.timestamp())
    with on_disk.connected(store) as conn:
        for (lead_id,) in conn.execute("SELECT id FROM leads").fetchall():
            due = rng.choice([None, base - 3600, base + 600, base + 1200, base + 86400])
            snoozed = rng.choice([None, None, None, base - 60, base + 7200])
            conn.execute(
                "UPDATE leads SET next_due_at = ?, snoozed_until = ? WHERE id = ?",
                (due, snoozed, lead_id),
            )
    soon = base + 1800
    for view, rep, where in (
        (View.ALL, None, ""),
        (View.MINE, "dana", "AND owner = 'dana'"),
        (View.UNASSIGNED, None, "AND owner IS NULL"),
    ):
        open_leads = on_disk.rows(
            store,
            "SELECT id, score, mql_at, next_due_at, snoozed_until FROM leads "
            f"WHERE stage IN ('mql', 'working', 'accepted') {where}",
        )

        def is_urgent(r: tuple[int, int, int, int | None, int | None]) -> bool:
            awake = r[4] is None or r[4] <= base
            return r[3] is not None and r[3] <= soon and awake

        urgent = sorted((r for r in open_leads if is_urgent(r)), key=lambda r: (r[3], r[0]))
        rest = sorted(
            (r for r in open_leads if not is_urgent(r)), key=lambda r: (-r[1], r[2], r[0])
        )
        expected = [r[0] for r in urgent + rest]
        snoozed_due = [r for r in rest if r[3] is not None and r[3] <= soon]
        assert urgent and rest and snoozed_due, view
        for size in (1, 7, 50, 500):
            seen: list[int] = []
            ask = {"rep": rep, "limit": size, "soon": _at(soon), "now": _at(base)}
            page = store.queue_page(view, **ask)  # type: ignore[arg-type]
            seen += [lead.id for lead in page.leads]
            while page.next is not None:
                page = store.queue_page(view, after=page.next, **ask)  # type: ignore[arg-type]
                seen += [lead.id for lead in page.leads]
            assert seen == expected, (view, size)


def test_a_filter_narrows_the_view_and_pages_still_follow_the_order(store: Store) -> None:
    _fill(store, 120)
    with on_disk.connected(store) as conn:
        for number, (lead_id,) in enumerate(conn.execute("SELECT id FROM leads").fetchall()):
            source = ("web_form", "trade_show", "webinar")[number % 3]
            conn.execute("UPDATE leads SET source = ? WHERE id = ?", (source, lead_id))
    expected = [
        row[0]
        for row in on_disk.rows(
            store,
            "SELECT id FROM leads WHERE stage = 'working' AND source = 'trade_show' "
            "ORDER BY score DESC, mql_at, id",
        )
    ]
    assert len(expected) > 7
    only = Filter(source="trade_show", stage=Stage.WORKING)
    seen: list[int] = []
    page = store.queue_page(View.ALL, limit=7, only=only)
    seen += [lead.id for lead in page.leads]
    while page.next is not None:
        page = store.queue_page(View.ALL, after=page.next, limit=7, only=only)
        seen += [lead.id for lead in page.leads]
    assert seen == expected
    hostile = Filter(source="x' OR '1'='1")  # a value, never SQL
    assert store.queue_page(View.ALL, only=hostile).leads == []


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_changes_under_the_agreement_move_the_deadline(store: Store, terms: Agreement) -> None:
    from leadtui.core.calendar import BusinessCalendar
    from leadtui.core.models import AttemptOutcome, Channel
    from leadtui.core.sla import spacing

    store.use(terms)
    lead = store.add_lead(make_lead())
    lead_id = lead.id or 0
    store.became_mql(lead_id, at=NOW, score=70, fit=30, engagement=40)
    calendar = BusinessCalendar(terms.sla)
    first_due = calendar.add(NOW, timedelta(minutes=terms.sla.first_touch_target("web_form")))

    def due() -> int | None:
        return on_disk.value(store, "SELECT next_due_at FROM leads WHERE id = ?", (lead_id,))

    assert due() == int(first_due.timestamp())
    store.claim(lead_id, "dana", at=NOW, expected_version=1)
    store.log_attempt(
        lead_id, "dana", at=NOW, channel=Channel.CALL, outcome=AttemptOutcome.VOICEMAIL
    )
    # The next step a spacing after the attempt, not after the hand-off.
    assert due() == int(calendar.add(NOW, spacing(calendar, terms.sla)).timestamp())
    store.log_attempt(
        lead_id, "dana", at=NOW, channel=Channel.EMAIL, outcome=AttemptOutcome.REPLIED
    )
    assert due() is None  # connected: nothing more is owed
    on_disk.run(store, "UPDATE leads SET next_due_at = 1 WHERE id = ?", (lead_id,))
    assert store.refresh_due(terms) == 1 and due() is None


def test_urgency_counts_breached_and_due_soon_leads_awake_in_the_view(store: Store) -> None:
    _fill(store, 90)
    base = int(NOW.timestamp())
    rng = random.Random(4)
    with on_disk.connected(store) as conn:
        for (lead_id,) in conn.execute("SELECT id FROM leads").fetchall():
            conn.execute(
                "UPDATE leads SET next_due_at = ?, snoozed_until = ? WHERE id = ?",
                (
                    rng.choice([None, base - 60, base + 60, base + 9000]),
                    rng.choice([None, None, base + 600]),
                    lead_id,
                ),
            )
    rows = on_disk.rows(
        store,
        "SELECT next_due_at FROM leads WHERE stage IN ('mql', 'working', 'accepted') "
        "AND owner = 'dana' AND next_due_at IS NOT NULL "
        "AND (snoozed_until IS NULL OR snoozed_until <= ?)",
        (base,),
    )
    breached = sum(1 for (due,) in rows if due < base)
    due_soon = sum(1 for (due,) in rows if base <= due <= base + 1800)
    assert breached and due_soon
    got = store.urgency(View.MINE, "dana", now=_at(base), soon=_at(base + 1800))
    assert got == (breached, due_soon)


def test_search_finds_by_name_company_or_email_and_treats_wildcards_as_text(
    store: Store,
) -> None:
    for name, company, email in (
        ("Ana Ruiz", "100% Steel", "ana@steel.example"),
        ("Bo Chen", "Acme_Works", "bo@acme.example"),
        ("Cy Diaz", "AcmeXWorks", "cy@acmex.example"),
        ("Di O'Neil", "Quote's Ltd", "di@quotes.example"),
    ):
        store.add_lead(make_lead(name=name, company=company, email=email))
    assert [row.name for row in store.search("acme")] == ["Bo Chen", "Cy Diaz"]
    assert [row.name for row in store.search("acme_")] == ["Bo Chen"]  # _ is not a wildcard
    assert [row.name for row in store.search("100%")] == ["Ana Ruiz"]
    assert [row.name for row in store.search("o'neil")] == ["Di O'Neil"]
    assert [row.name for row in store.search("steel.example")] == ["Ana Ruiz"]
    assert store.search("'; DROP TABLE leads; --") == []
    assert store.counts().open == 0 and len(store.search("")) == 4


def test_a_filter_by_sla_state_splits_the_view(store: Store) -> None:
    _fill(store, 60)
    base = int(NOW.timestamp())
    rng = random.Random(2)
    with on_disk.connected(store) as conn:
        for (lead_id,) in conn.execute("SELECT id FROM leads").fetchall():
            due = rng.choice([None, base - 60, base + 60, base + 9000])
            # A connect ends the cadence: nothing is due on a connected lead.
            connected = base - 3600 if due is None and rng.random() < 0.5 else None
            conn.execute(
                "UPDATE leads SET next_due_at = ?, snoozed_until = ?, first_connect_at = ? "
                "WHERE id = ?",
                (due, rng.choice([None, None, base + 600]), connected, lead_id),
            )
    everyone = {row.id for row in store.queue_page(View.ALL, limit=500).leads}
    parts = []
    for due in Due:
        page = store.queue_page(
            View.ALL, limit=500, now=_at(base), soon=_at(base + 1800), only=Filter(due=due)
        )
        assert page.leads, due
        parts.append({row.id for row in page.leads})
    assert set().union(*parts) == everyone and sum(map(len, parts)) == len(everyone)
    connected = on_disk.rows(
        store,
        "SELECT id FROM leads WHERE first_connect_at IS NOT NULL "
        f"AND (snoozed_until IS NULL OR snoozed_until <= {base}) "
        "AND stage IN ('mql', 'working', 'accepted')",
    )
    assert parts[list(Due).index(Due.CONNECTED)] == {lead_id for (lead_id,) in connected}


def test_todays_work_comes_before_tomorrows(store: Store) -> None:
    """The queue is "what to do now": due now first by deadline, then what is due later
    today by score, then the rest by score (a step tomorrow, nothing owed, snoozed),
    page after page, across every page size."""
    _fill(store, 150)
    rng = random.Random(17)
    base = int(NOW.timestamp())
    soon, today = base + 1800, base + 5 * 3600
    choices = [None, base - 3600, base + 600, base + 3 * 3600, base + 4 * 3600, base + 86400]
    with on_disk.connected(store) as conn:
        for (lead_id,) in conn.execute("SELECT id FROM leads").fetchall():
            snoozed = rng.choice([None, None, None, None, base + 7200])
            conn.execute(
                "UPDATE leads SET next_due_at = ?, snoozed_until = ? WHERE id = ?",
                (rng.choice(choices), snoozed, lead_id),
            )
    open_leads = on_disk.rows(
        store,
        "SELECT id, score, mql_at, next_due_at, snoozed_until FROM leads "
        "WHERE stage IN ('mql', 'working', 'accepted')",
    )

    def tier_of(r: tuple[int, int, int, int | None, int | None]) -> int:
        awake = r[4] is None or r[4] <= base
        if r[3] is None or not awake:
            return 2
        return 0 if r[3] <= soon else (1 if r[3] <= today else 2)

    tiers = [[r for r in open_leads if tier_of(r) == n] for n in range(3)]
    assert all(tiers), "every tier has leads"
    expected = [r[0] for r in sorted(tiers[0], key=lambda r: (r[3], r[0]))]
    for later in tiers[1:]:
        expected += [r[0] for r in sorted(later, key=lambda r: (-r[1], r[2], r[0]))]
    ask = {"limit": 0, "soon": _at(soon), "now": _at(base), "today": _at(today)}
    for size in (1, 6, 50, 500):
        ask["limit"] = size
        seen: list[int] = []
        page = store.queue_page(View.ALL, **ask)  # type: ignore[arg-type]
        seen += [lead.id for lead in page.leads]
        while page.next is not None:
            page = store.queue_page(View.ALL, after=page.next, **ask)  # type: ignore[arg-type]
            seen += [lead.id for lead in page.leads]
        assert seen == expected, size


def test_the_pool_hands_out_leads_still_in_time_before_stale_ones(store: Store) -> None:
    """With `stale`, a lead whose deadline passed before it comes after every lead that
    can still be reached in time, by score; the tiers still split the view."""
    _fill(store, 120)
    rng = random.Random(23)
    base = int(NOW.timestamp())
    soon, today, stale = base + 1800, base + 5 * 3600, base - 10 * 3600
    choices = [None, base - 30 * 86400, base - 20 * 3600, base - 3600, base + 600, base + 86400]
    with on_disk.connected(store) as conn:
        for (lead_id,) in conn.execute("SELECT id FROM leads").fetchall():
            conn.execute(
                "UPDATE leads SET next_due_at = ?, snoozed_until = NULL WHERE id = ?",
                (rng.choice(choices), lead_id),
            )
    ask = {"soon": _at(soon), "now": _at(base), "today": _at(today), "stale": _at(stale)}
    everyone = store.queue_page(View.ALL, limit=1000, **ask).leads  # type: ignore[arg-type]
    late = [row for row in everyone if row.next_due_at and row.next_due_at < _at(stale)]
    assert late and len(late) < len(everyone)
    assert everyone[-len(late) :] == sorted(late, key=lambda r: (-r.score, r.mql_at, r.id))
    assert everyone[0].next_due_at is not None and everyone[0].next_due_at >= _at(stale)
    for size in (1, 9, 1000):
        seen: list[int] = []
        page = store.queue_page(View.ALL, limit=size, **ask)  # type: ignore[arg-type]
        seen += [lead.id for lead in page.leads]
        while page.next is not None:
            page = store.queue_page(View.ALL, after=page.next, limit=size, **ask)  # type: ignore[arg-type]
            seen += [lead.id for lead in page.leads]
        assert seen == [row.id for row in everyone], size
