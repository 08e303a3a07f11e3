"""Moments from anywhere in 1970-2199, and just outside it, through import, rescore, lead
show, the reports and a sync round with a real team server: no exception, nothing lost.
Inside the range everything is taken; outside it, refused where it comes in."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadtui.cli import main
from leadtui.core import moments
from leadtui.core.agreement import Agreement
from leadtui.core.models import AttemptOutcome, Channel, Rep, Role
from leadtui.importing import import_activities, import_leads
from leadtui.server import tokens
from leadtui.server.app import make_server
from leadtui.server.on_file import FileTeam
from leadtui.store import Store
from leadtui.sync import TeamServer, sync_once
from tests import on_disk
from tests.sync.servers import serve_in_thread

NOW = datetime(2026, 11, 17, 16, 40, tzinfo=UTC)
EDGES = [
    moments.EARLIEST,
    moments.EARLIEST - timedelta(seconds=1),
    moments.LATEST.replace(microsecond=0),
    moments.LATEST + timedelta(seconds=1),
    datetime(1900, 1, 1, tzinfo=UTC),
    datetime(9999, 12, 31, tzinfo=UTC),
]
MOMENT = st.one_of(
    st.sampled_from(EDGES),
    st.datetimes(
        min_value=datetime(1970, 1, 1),
        max_value=datetime(2199, 12, 31, 23, 59, 59),
        timezones=st.just(UTC),
    ).map(lambda moment: moment.replace(microsecond=0)),
)


class Team:
    """A team server on 127.0.0.1 over its own file, for the whole test."""

    def __init__(self, folder: Path, terms: Agreement) -> None:
        with Store(folder / "team.db") as team:
            team.save_rep(Rep(id="dana", name="Dana Whitfield"))
            team.save_rep(Rep(id="morgan", name="Morgan Blake", role=Role.LEAD))
            self.tokens = {rep: tokens.issue(team, rep) for rep in ("dana", "morgan")}
        self.home = FileTeam(Store(folder / "team.db"), terms)
        self.url, self.running, self.thread = serve_in_thread(make_server(self.home))

    def stop(self) -> None:
        self.running.should_exit = True
        self.thread.join(timeout=10)
        self.home.close()


@pytest.fixture
def team(tmp_path: Path, terms: Agreement) -> Iterator[Team]:
    running = Team(tmp_path, terms)
    yield running
    running.stop()


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _run(*args: str) -> int:
    return main(list(args))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(times=st.lists(MOMENT, min_size=1, max_size=4))
def test_any_moment_goes_through_every_door(
    team: Team, terms: Agreement, times: list[datetime], capsys: pytest.CaptureFixture[str]
) -> None:
    kept = [moments.in_range(moment) for moment in times]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        leads = work / "leads.csv"
        rows = [
            f"lead{n}@granite.com,Lead {n},Granite,VP of IT,web_form,{_iso(at)},{_iso(at)}"
            for n, at in enumerate(times)
        ]
        leads.write_text(
            "Email,Name,Company,Title,Lead Source,Created Date,MQL Date\n" + "\n".join(rows) + "\n",
            encoding="utf-8",
        )
        activities = work / "activities.csv"
        activities.write_text(
            "email,kind,at\n"
            + "".join(
                f"lead{n}@granite.com,pricing_page,{_iso(at)}\n" for n, at in enumerate(times)
            ),
            encoding="utf-8",
        )
        db = work / "dana.db"
        with Store(db) as store:
            store.use(terms)
            taken = import_leads(store, leads, agreement=terms, now=NOW)
            assert (taken.imported, taken.rejected) == (sum(kept), len(kept) - sum(kept))
            visits = import_activities(store, activities, agreement=terms, now=NOW)
            assert visits.imported == sum(kept)
            store.rescore(terms, NOW)
            lead_ids = [row[0] for row in on_disk.rows(store, "SELECT id FROM leads")]
        capsys.readouterr()
        assert _run("--db", str(db), "rescore", "--at", _iso(NOW)) == 0
        for lead_id in lead_ids:
            assert _run("--db", str(db), "lead", "show", str(lead_id)) == 0
        for at, inside in zip(times, kept, strict=True):
            day = at.date()
            since, until = str(max(day, moments.EARLIEST.date())), str(day)
            code = _run("--db", str(db), "report", "sla", "--since", since, "--until", until)
            assert code == (0 if inside else 2)
        assert "Traceback" not in capsys.readouterr().err

        # Marketing hands the same moments over through the server; the rep pulls them,
        # logs an attempt on each, and pushes: every attempt lands, none twice.
        as_lead = {"Authorization": f"Bearer {team.tokens['morgan']}"}
        for at, inside in zip(times, kept, strict=True):
            card = {
                "uid": str(uuid.uuid4()),
                "name": "Ada",
                "created_at": _iso(at),
                "mql_at": _iso(at),
            }
            sent = httpx.post(f"{team.url}/leads", json={"leads": [card]}, headers=as_lead)
            assert sent.status_code == (200 if inside else 422), sent.text
        with Store(work / "rep.db") as rep, TeamServer(team.url, team.tokens["dana"]) as remote:
            rep.use(terms)
            sync_once(rep, remote, NOW)
            mine = [row[0] for row in on_disk.rows(rep, "SELECT id FROM leads WHERE stage = 'mql'")]
            assert len(mine) == sum(kept)  # what came in through the server, pulled
            for lead_id in mine:
                lead = rep.lead(lead_id)
                rep.claim(lead_id, "dana", at=NOW, expected_version=lead.version)
                rep.log_attempt(
                    lead_id, "dana", at=NOW, channel=Channel.CALL, outcome=AttemptOutcome.VOICEMAIL
                )
            sync_once(rep, remote, NOW)
            assert rep.waiting_to_sync() == 0
            ours = {event.id for event in rep.events() if event.actor == "dana"}
        on_server = {event.id for event in team.home.store.events()}
        assert ours <= on_server
