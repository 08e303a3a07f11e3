"""The threshold planner on a history worked out by hand: scores replayed with decay, a
cap and a negative signal over two weeks, two reps and a team lead, and the hand-offs
before the weeks that say how each score converts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtui.cli import main
from leadtui.core.agreement import Agreement, parse
from leadtui.core.models import Activity, Rep, Role
from leadtui.core.planning import Conversion, bandwidth, plan, with_threshold
from leadtui.core.replay import replay
from leadtui.core.scoring import score
from leadtui.reports.plan import last_weeks, threshold_plan
from leadtui.store import Store
from tests.conftest import NOW, make_lead

CHICAGO = ZoneInfo("America/Chicago")
AT = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
AGREEMENT = """
name = "planning test"
fit_hurdle = 20
mql_threshold = 50

[required]
fields = ["name", "email"]
free_mail_domains = ["gmail.com"]

[[fit]]
label = "manufacturer"
field = "industry"
any_of = ["Manufacturing"]
points = 30

[[fit]]
label = "VP"
field = "title"
matches = "VP"
points = 10

[[engagement]]
label = "visited the pricing page"
kind = "pricing_page"
points = 20
cap = 30
half_life_days = 7

[[engagement]]
label = "requested a demo"
kind = "demo_request"
points = 40
cap = 40
half_life_days = 70

[[negative]]
label = "unsubscribed"
kind = "unsubscribe"
points = -15

[reasons]
return_to_nurture = { not_now = "Not now" }
disqualify = { bad_data = "Bad data" }

[sla]
time_zone = "America/Chicago"
working_days = ["mon", "tue", "wed", "thu", "fri"]
opens = 08:00:00
closes = 18:00:00
first_touch_minutes = { default = 60 }
cadence = { calls = 3, emails = 2, over_business_days = 10 }
"""


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(month=month, day=day, hour=hour, year=2026, tzinfo=CHICAGO)


# Each scripted lead: its card, when it arrived, and what it did. The weeks planned are
# Mon 2 Nov to Sun 15 Nov (NOW is Tuesday 17 Nov); thresholds from the hurdle, 20.
MANUFACTURER = {"industry": "Manufacturing", "title": "Engineer"}  # fit 30
VP = {"industry": "Manufacturing", "title": "VP of IT"}  # fit 40
SCRIPT = {
    # 40 + 20 on 3 Nov: first reaches 41-60 in week 1.
    "l1": (VP, at(10, 1), [("pricing_page", at(11, 3))]),
    # 30 + 20 = 50 on 3 Nov; a week (one half-life) later 20 x 0.5 + 20 = 30 (the cap):
    # 60 on 10 Nov. So 31-50 in week 1, 51-60 in week 2.
    "l2": (
        MANUFACTURER,
        at(10, 1),
        [("pricing_page", at(11, 3, 12)), ("pricing_page", at(11, 10, 12))],
    ),
    # 30 + 40 = 70 on 12 Nov (week 2); unsubscribing after does not take it back.
    "l3": (MANUFACTURER, at(10, 1), [("demo_request", at(11, 12)), ("unsubscribe", at(11, 13))]),
    # Unsubscribed first: 30 - 15 + 40 = 55 on 5 Nov (week 1).
    "l4": (MANUFACTURER, at(10, 1), [("unsubscribe", at(11, 4)), ("demo_request", at(11, 5))]),
    # 80 on 20 Oct, before the weeks: handed over then at 21-80. On 4 Nov the demo has
    # decayed to 34 (40 x 0.5^(15 d / 70 d)): 40 + 34 + 20 = 94, so 81-94 in week 1.
    "l5": (VP, at(10, 1), [("demo_request", at(10, 20)), ("pricing_page", at(11, 4))]),
    # Fit 10, under the hurdle: never, however engaged.
    "l6": ({"industry": "Retail", "title": "VP"}, at(10, 1), [("demo_request", at(11, 5))]),
    # A free-mail address: not complete, never.
    "l7": (VP | {"email": "someone@gmail.com"}, at(10, 1), [("demo_request", at(11, 5))]),
    # Arrives on 10 Nov with fit 40: 20-40 in week 2.
    "l8": (VP, at(11, 10), []),
    # Arrives after the weeks: not counted.
    "l9": (VP, at(11, 16), [("demo_request", at(11, 16, 11))]),
    # 50 in the last hour of the weeks; the demo the next day is after them.
    "l10": (
        MANUFACTURER,
        at(10, 1),
        [("pricing_page", at(11, 15, 23)), ("demo_request", at(11, 16))],
    ),
}
# Leads first reaching each threshold in the weeks, worked out above:
# 20-30: l8; 31-40: l2 l3 l4 l8 l10; 41-50: l1 l2 l3 l4 l10; 51-55: l1 l2 l3 l4;
# 56-60: l1 l2 l3; 61-70: l3; 71-80: none; 81-94: l5; 95 and up: none.
FIRST_REACHED = {20: 1, 30: 1, 31: 5, 40: 5, 41: 5, 50: 5, 51: 4, 55: 4, 56: 3, 60: 3}
FIRST_REACHED |= {61: 1, 70: 1, 71: 0, 80: 0, 81: 1, 94: 1, 95: 0}
# Levelled: the most any threshold at or above brings.
REACHED = FIRST_REACHED | {20: 5, 30: 5, 71: 1, 80: 1}


@pytest.fixture
def terms() -> Agreement:
    return parse(AGREEMENT, "planning test")


@pytest.fixture
def planned(store: Store, terms: Agreement) -> Store:
    store.save_rep(Rep(id="dana", name="Dana Whitfield", capacity=3))
    store.save_rep(Rep(id="marcus", name="Marcus Lee", capacity=1))
    store.save_rep(Rep(id="morgan", name="Morgan Blake", role=Role.LEAD, capacity=15))
    ids = {}
    for key, (card, arrived, _) in SCRIPT.items():
        email = card.get("email", f"{key}@graniteprecision.com")
        lead = store.add_lead(make_lead(name=key, created_at=arrived, **(card | {"email": email})))
        ids[key] = lead.id
    store.bulk_insert(
        "activities",
        ("lead_id", "kind", "at"),
        [
            (ids[key], kind, int(when.timestamp()))
            for key, (_, _, done) in SCRIPT.items()
            for kind, when in done
        ],
    )
    # Hand-offs before the weeks: 30 at score 50 of which 15 became SQLs, 30 at 70 of
    # which 24 did. Band 50 converts at 0.5, band 70 at 0.8; the bands between and
    # beyond borrow from the nearest (60: 39 of 60 = 0.65; 90: 0.8; 20-40: 0.5).
    for number in range(60):
        handed = store.add_lead(make_lead(name=f"h{number}", email=f"h{number}@acme.com"))
        assert handed.id is not None
        high = number >= 30
        store.became_mql(handed.id, at=at(10, 5), score=70 if high else 50, fit=40, engagement=10)
        if number % 30 < (24 if high else 15):
            store.claim(handed.id, "dana", at=at(10, 5, 11), expected_version=1)
            checks = {"decision_maker": True, "budget": True, "need": True, "timing": True}
            store.qualify(handed.id, "dana", at=at(10, 6), checklist=checks)
    store.rescore(terms, NOW)  # the fit of every lead under the agreement
    return store


def test_the_weeks_planned_are_whole_weeks_before_this_one() -> None:
    weeks = last_weeks(NOW, CHICAGO, 2)
    assert weeks.words() == "Mon 02 Nov to Sun 15 Nov 2026"


def test_volume_per_threshold_bandwidth_and_suggestion(planned: Store, terms: Agreement) -> None:
    found = threshold_plan(planned, terms, NOW, weeks=2)
    rows = {row.threshold: row for row in found.plan.rows}
    # Two reps (the team lead does not work leads) at 3 + 1 open leads, a cadence of 10
    # business days in a 5-day week: 4 x 5 / 10 = 2 new leads a week.
    team = found.plan.bandwidth
    assert (team.reps, team.capacity, team.cadence_days, team.working_days) == (2, 4, 10, 5)
    assert team.per_week == 2
    for threshold, count in {20: 5, 50: 5, 55: 4, 60: 3, 70: 1, 80: 1}.items():
        assert rows[threshold].mqls == count / 2, threshold
    # 50 brings 2.5 a week, over the bandwidth; 51 brings 2: the lowest that fits.
    assert found.plan.suggested is not None
    assert found.plan.suggested.threshold == 51
    assert found.plan.suggested.mqls == 2
    assert found.plan.in_force.threshold == 50
    assert rows[50].load == 1.25
    # At 55: l1 at 60 (0.65), l2 at 60 (0.65), l3 at 70 (0.8), l4 at 55 (0.5), in 2 weeks.
    assert found.plan.history == 60
    assert rows[55].sqls == pytest.approx((0.65 + 0.65 + 0.8 + 0.5) / 2)
    assert rows[55].few_leads is False  # band 50 has 30 hand-offs
    assert rows[60].few_leads is True  # band 60 has none
    # l7 (free mail) and l6 (under the hurdle) are not read; l9 arrived after the weeks.
    assert found.plan.replayed == 7  # l1-l5, l8, l10


def test_first_reached_and_by_week(planned: Store, terms: Agreement) -> None:
    weeks = last_weeks(NOW, CHICAGO, 2)
    starts = [int(weeks.start), int(weeks.start + 7 * 86_400)]
    volume = replay(
        planned.arrivals(weeks.first, weeks.last, terms),
        terms,
        floor=20,
        weeks=starts,
        until=weeks.end,
    )
    for threshold, count in FIRST_REACHED.items():
        assert volume.first_reached(threshold) == count, threshold
    for threshold, count in REACHED.items():
        assert volume.reached(threshold) == count, threshold
    assert volume.weekly(55) == (2, 2)  # l1 and l4 in the first week, l2 and l3 in the second
    assert volume.weekly(35) == (2, 3)  # l2 l4; l3 l8 l10
    assert volume.highest == 94


def test_what_if_we_hire(planned: Store, terms: Agreement) -> None:
    # Four reps at the team's mean capacity (2): 8 x 5 / 10 = 4 a week; everything fits.
    found = threshold_plan(planned, terms, NOW, weeks=2, reps=4)
    assert found.plan.bandwidth.per_week == 4
    assert found.plan.suggested is not None and found.plan.suggested.threshold == 20
    # One rep at 1 open lead: half a lead a week; only 61 and up (one lead) brings no more.
    alone = threshold_plan(planned, terms, NOW, weeks=2, reps=1, capacity=1)
    assert alone.plan.bandwidth.per_week == 0.5
    assert alone.plan.suggested is not None and alone.plan.suggested.threshold == 61


def test_without_enough_history_volume_only(store: Store, terms: Agreement) -> None:
    found = threshold_plan(store, terms, NOW, weeks=2)
    assert found.plan.enough_history is False
    assert all(row.sqls is None for row in found.plan.rows)


def test_the_proposal_changes_the_threshold_line_only() -> None:
    proposed = with_threshold(AGREEMENT, 51)
    assert parse(proposed).mql_threshold == 51
    changed = [
        (old, new)
        for old, new in zip(AGREEMENT.splitlines(), proposed.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [("mql_threshold = 50", "mql_threshold = 51")]


# -- properties over random histories --------------------------------------------------

START = int(datetime(2026, 11, 2, 6, tzinfo=UTC).timestamp())
KINDS = st.sampled_from(["pricing_page", "demo_request", "unsubscribe", "other"])
OFFSET = st.integers(-30 * 86_400, 21 * 86_400)  # from 30 days before to a week after
LEAD = st.tuples(
    st.sampled_from([10, 30, 40]),
    OFFSET,
    st.lists(st.tuples(KINDS, OFFSET), max_size=6),
)
CARDS = {10: {"industry": "Retail", "title": "VP"}, 30: MANUFACTURER, 40: VP}


def _replayed(leads: list, terms: Agreement):  # type: ignore[no-untyped-def]
    arrivals = [
        (fit, START + arrived, [(kind, START + when) for kind, when in done])
        for fit, arrived, done in leads
    ]
    weeks = [START, START + 7 * 86_400]
    return replay(arrivals, terms, floor=20, weeks=weeks, until=START + 14 * 86_400)


@settings(max_examples=60, deadline=None)
@given(st.lists(LEAD, max_size=12))
def test_volume_never_rises_as_the_threshold_rises(leads: list) -> None:  # type: ignore[type-arg]
    terms = parse(AGREEMENT)
    volume = _replayed(leads, terms)
    counts = [volume.reached(threshold) for threshold in range(20, 130)]
    assert counts == sorted(counts, reverse=True)


@settings(max_examples=60, deadline=None)
@given(LEAD)
def test_the_replay_agrees_with_the_scorer_at_every_moment(lead: tuple) -> None:  # type: ignore[type-arg]
    """Against the agreement's own scorer, asked at the lead's arrival and at each
    activity: the first moment in the weeks its score reached each threshold."""
    terms = parse(AGREEMENT)
    fit, arrived, done = lead
    card = make_lead(created_at=datetime.fromtimestamp(START + arrived, UTC), **CARDS[fit])
    happened = [
        Activity(lead_id=1, kind=kind, at=datetime.fromtimestamp(START + when, UTC))
        for kind, when in done
    ]
    until = START + 14 * 86_400
    moments = sorted({START + arrived} | {START + w for _, w in done if w > arrived})
    moments = [m for m in moments if m < until]
    best, first_reached = 19, {}
    for moment in moments:
        total = score(card, happened, terms, datetime.fromtimestamp(moment, UTC)).total
        for threshold in range(best + 1, total + 1):
            first_reached[threshold] = moment
        best = max(best, total)
    expected = {t for t, when in first_reached.items() if when >= START and fit >= 20}
    volume = _replayed([lead], terms)
    assert {t for t in range(20, 200) if volume.first_reached(t)} == expected


def test_more_reps_never_suggest_a_higher_bar(planned: Store, terms: Agreement) -> None:
    suggested = [
        threshold_plan(planned, terms, NOW, weeks=2, reps=reps, capacity=1).plan.suggested
        for reps in range(1, 8)
    ]
    bars = [row.threshold for row in suggested if row is not None]
    assert len(bars) == 7 and bars == sorted(bars, reverse=True)
    assert bars[0] > bars[-1]


def test_conversion_borrows_from_the_nearest_bands() -> None:
    conversion = Conversion.of([(55, True)] * 5 + [(52, False)] * 5 + [(75, True)] * 10)
    assert conversion.rate(50) == 0.5  # 10 leads: enough on its own
    assert conversion.rate(60) == 0.75  # none: 50 and 70 together, 15 of 20
    assert conversion.few(60) and not conversion.few(50)


def test_a_team_without_reps_gets_no_suggestion(terms: Agreement) -> None:
    team = bandwidth([], terms)
    assert team.per_week == 0
    volume = replay([], terms, floor=20, weeks=[START], until=START + 7 * 86_400)
    found = plan(volume, terms, team, Conversion.of([]), weeks=1, replayed=0)
    assert found.suggested is None
    with pytest.raises(ValueError, match="give --capacity"):
        bandwidth([], terms, reps=3)


# -- the command line ------------------------------------------------------------------


@pytest.fixture
def in_force(planned: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    agreement = tmp_path / "agreement.toml"
    agreement.write_text(AGREEMENT, "utf-8")
    monkeypatch.setenv("LEADTUI_AGREEMENT", str(agreement))
    return agreement


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_prints_the_plan(
    planned: Store, in_force: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(planned.path)
    code, out, err = _run(capsys, "--db", db, "plan", "threshold", "--weeks", "2", "--at", AT)
    assert code == 0, err
    lines = out.splitlines()
    assert (
        lines[0]
        == "Threshold plan, last 2 weeks (hand-offs replayed Mon 02 Nov to Sun 15 Nov 2026)"
    )
    assert "2 reps, 4 open leads at capacity, cadence 10 business days" in lines[1]
    assert "-> ~2 new MQLs a week (4 x 5 / 10)" in lines[1]
    row = next(line for line in lines if line.split()[:1] == ["51"])
    assert row.split()[:3] == ["51", "2", "100%"] and "<- suggested" in row
    assert "<- in force" in next(line for line in lines if line.split()[:1] == ["50"])
    assert lines[-2].startswith("suggested: 51 (the lowest threshold whose volume fits")
    assert lines[-1].startswith("against 50 in force: raising it to 51 means -0.5 MQLs")


def test_json_and_csv_have_the_same_figures(
    planned: Store, in_force: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(planned.path)
    code, out, _ = _run(
        capsys, "--db", db, "plan", "threshold", "--weeks", "2", "--at", AT, "--format", "json"
    )
    assert code == 0
    found = json.loads(out)
    assert (found["suggested"], found["in_force"]) == (51, 50)
    assert found["bandwidth"]["mqls_per_week"] == 2
    by_threshold = {row["threshold"]: row for row in found["rows"]}
    assert by_threshold[55]["mqls_per_week"] == 2 and by_threshold[20]["mqls_per_week"] == 2.5
    code, out, _ = _run(
        capsys, "--db", db, "plan", "threshold", "--weeks", "2", "--at", AT, "--format", "csv"
    )
    header, *rows = out.splitlines()
    assert header.startswith("threshold,mqls_per_week,vs_bandwidth")
    assert len(rows) == len(found["rows"])


def test_propose_writes_the_suggested_threshold_for_agreement_apply(
    planned: Store, in_force: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(planned.path)
    out_file = tmp_path / "proposed.toml"
    code, out, err = _run(
        capsys,
        "--db",
        db,
        "plan",
        "threshold",
        "--weeks",
        "2",
        "--at",
        AT,
        "--propose",
        "--out",
        str(out_file),
    )
    assert code == 0, err
    assert "-mql_threshold = 50\n+mql_threshold = 51" in out
    assert f"agreement apply {out_file}" in out
    assert parse(out_file.read_text("utf-8")).mql_threshold == 51
    code, _, err = _run(capsys, "--db", db, "agreement", "check", str(out_file))
    assert code == 0, err


def test_bad_options_are_one_line(
    planned: Store, in_force: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(planned.path)
    code, _, err = _run(capsys, "--db", db, "plan", "threshold", "--weeks", "0")
    assert code != 0 and "--weeks" in err
    code, _, err = _run(capsys, "--db", db, "plan", "threshold", "--out", "x.toml")
    assert code == 1 and err.strip() == "leadtui: --out goes with --propose"
