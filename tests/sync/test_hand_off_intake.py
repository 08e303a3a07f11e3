"""Marketing's hand-off to the file's team server (a real server on 127.0.0.1) and a CSV
import of the same leads go through the one intake door: the leads they keep read the
same, but for the scores (marketing's as sent, or the agreement's)."""

from __future__ import annotations

from pathlib import Path

import httpx

from leadtui.core.agreement import Agreement
from leadtui.core.intake import CONTACT_FIELDS
from leadtui.core.models import PROJECTION_FIELDS, Lead, Rep, Role, Stage
from leadtui.importing import import_leads
from leadtui.server import tokens
from leadtui.server.app import make_server
from leadtui.server.on_file import FileTeam
from leadtui.store import Store
from tests import on_disk
from tests.conftest import NOW
from tests.sync.servers import serve_in_thread

CARDS = [
    {
        "uid": "mkt-1",
        "external_id": "L-1",
        "name": "Ines Martin",
        "title": "VP of IT",
        "company": "Granite Precision",
        "email": "ines@granite.com",
        "employees": 450,
        "source": "web_form",
        "created_at": "2026-10-01T00:00:00Z",
        "mql_at": "2026-11-02T09:30:00Z",
        "score": 88,
        "fit": 40,
        "engagement": 48,
    },
    {
        "uid": "mkt-2",
        "external_id": "L-2",
        "name": "Kim Ode",
        "title": "Analyst",
        "company": "Northwind",
        "email": "kim@northwind.com",
        "source": "trade_show",
        "created_at": "2026-10-05T00:00:00Z",
    },
]
ROWS = (
    "Lead ID,Name,Title,Company,Email,Employees,Lead Source,Created Date,MQL Date",
    "L-1,Ines Martin,VP of IT,Granite Precision,ines@granite.com,450,web_form,2026-10-01,"
    "2026-11-02T09:30",
    "L-2,Kim Ode,Analyst,Northwind,kim@northwind.com,,trade_show,2026-10-05,",
)
# Each door's own: marketing's scores as sent, or the agreement's.
SCORED = {"score", "fit", "engagement", "mql_score"}


def _read(lead: Lead) -> dict[str, object]:
    names = [*CONTACT_FIELDS, "created_at", *(set(PROJECTION_FIELDS) - SCORED)]
    return {name: getattr(lead, name) for name in names}


def _by_external_id(store: Store) -> dict[str, dict[str, object]]:
    ids = [row[0] for row in on_disk.rows(store, "SELECT id FROM leads ORDER BY id")]
    leads = [store.lead(lead_id) for lead_id in ids]
    return {str(lead.external_id): _read(lead) for lead in leads}


def test_a_hand_off_and_an_import_of_the_same_leads_read_the_same(
    terms: Agreement, tmp_path: Path
) -> None:
    team_file = Store(tmp_path / "team.db")
    team_file.save_rep(Rep(id="morgan", name="Morgan Reyes", role=Role.LEAD))
    token = tokens.issue(team_file, "morgan")
    team = FileTeam(team_file, terms)
    url, running, thread = serve_in_thread(make_server(team))
    try:
        sent = httpx.post(
            f"{url}/leads", json={"leads": CARDS}, headers={"Authorization": f"Bearer {token}"}
        )
        assert sent.status_code == 200, sent.text
        assert sent.json() == {"added": 2, "updated": 0, "handed": 1}
        csv_file = tmp_path / "leads.csv"
        csv_file.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
        with Store(tmp_path / "imported.db") as imported:
            summary = import_leads(imported, csv_file, agreement=terms, now=NOW)
            assert (summary.imported, summary.handed) == (2, 1)
            assert _by_external_id(imported) == _by_external_id(team_file)
            stages = {key: lead["stage"] for key, lead in _by_external_id(team_file).items()}
            assert stages == {"L-1": Stage.MQL, "L-2": Stage.NURTURING}
        handed = team.lead("mkt-1")
        assert handed is not None and (handed.score, handed.mql_score) == (88, 88)
    finally:
        running.should_exit = True
        thread.join(timeout=10)
        team.close()
