"""Pulling from Salesforce: the Leads handed to sales land through the intake door by SOQL
on SystemModstamp, following nextRecordsUrl, with what maps to what and their owners."""

from __future__ import annotations

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.models import Stage
from leadtui.crm.errors import CrmDown, Unauthorized
from leadtui.store import Store
from tests import on_disk
from tests.conftest import NOW
from tests.crm.conftest import Running, rounds
from tests.crm.salesforce_org import connector, fill
from tests.crm.salesforce_parts import DATA, Fault
from tests.sync.servers import DroppingProxy


def queries(salesforce: Running) -> list[str]:
    return [path for _, path in salesforce.fake.requests if "/query" in path]


def test_the_leads_handed_to_sales_land_as_mqls_with_their_fields(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(salesforce.fake)
    org = connector(salesforce.url)
    assert "leads handed to sales are those at 'MQL'" in org.check()
    done = rounds(team_file, org, terms).round(NOW)

    assert (done.imported, done.updated, done.rejected) == (36, 0, [])
    external = on_disk.rows(team_file, "SELECT external_id FROM leads ORDER BY id")
    assert [row[0] for row in external] == handed  # not marketing's, not the converted
    # 36 Leads in batches of 10: the first query and three nextRecordsUrl pages.
    assert sum("/query/01g" in path for path in queries(salesforce)) == 3
    ines = team_file.lead(team_file.lead_ids_by_key([handed[0]])[handed[0]])
    assert (ines.name, ines.title, ines.company, ines.phone) == (
        "Ines Martin",
        "VP of IT",
        "Granite Precision Inc.",
        "(312) 555-0000",
    )
    assert (ines.employees, ines.revenue, ines.industry) == (650, 20_000_000, "Manufacturing")
    assert (ines.region, ines.country, ines.source) == ("IL", "USA", "Trade Show")
    assert ines.custom["salesforce_status"] == "MQL"
    assert ines.custom["salesforce_rating"] == "Hot"
    assert ines.custom["salesforce_owner"] == "Dana Whitfield"
    assert ines.mql_at is not None and ines.mql_at.isoformat().startswith("2026-11-17T09:00:01")
    # Owned in Salesforce by Dana: hers in leadtui too; the queue's wait in the pool.
    assert ines.stage is Stage.MQL and ines.owner == "dana"
    second = team_file.lead(team_file.lead_ids_by_key([handed[1]])[handed[1]])
    assert second.owner is None and second.stage is Stage.MQL
    assert team_file.crm_counts("salesforce").linked == 36
    newest = salesforce.fake.leads[handed[-1]]["SystemModstamp"]
    assert team_file.meta("crm.salesforce.cursor") == f"{newest}|{handed[-1]}"


def test_a_second_round_reads_only_what_changed_since_the_cursor(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(salesforce.fake)
    rounds(team_file, connector(salesforce.url), terms).round(NOW)
    salesforce.fake.change_lead(handed[4], Title="CIO", Rating="Hot")
    newcomer = salesforce.fake.add_lead(
        FirstName="Nadia",
        LastName="Kowalski",
        Email="nadia@baltic-steel.pl",
        Company="Baltic Steel",
        Status="MQL",
    )

    done = rounds(team_file, connector(salesforce.url), terms).round(NOW)
    # The changed Lead and the new one; the one at the cursor is read again (>=) but is
    # not news: not all 36.
    assert (done.imported, done.updated) == (1, 1)
    lead = team_file.lead(team_file.lead_ids_by_key([handed[4]])[handed[4]])
    assert lead.title == "CIO"  # Salesforce's fields win
    assert team_file.lead_ids_by_key([newcomer])
    newest = salesforce.fake.leads[newcomer]["SystemModstamp"]
    assert team_file.meta("crm.salesforce.cursor") == f"{newest}|{newcomer}"


def test_the_query_asks_by_systemmodstamp_from_the_cursor(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    fill(salesforce.fake, handed=3, with_marketing=0)
    rounds(team_file, connector(salesforce.url), terms).round(NOW)
    rounds(team_file, connector(salesforce.url), terms).round(NOW)
    lead_queries = [q for q in salesforce.fake.queries if " FROM Lead WHERE " in q]
    assert "SystemModstamp" not in lead_queries[0].split("WHERE")[1].split("ORDER")[0]
    assert "SystemModstamp >= 2026-11-17T09:00:04.500Z" in lead_queries[1]
    assert lead_queries[1].endswith("ORDER BY SystemModstamp ASC, Id ASC")
    assert "LastModifiedDate >" not in lead_queries[1]
    assert (
        "IsConverted = false AND Status IN ('MQL', 'Working - Contacted', 'Qualified')"
        in (lead_queries[1])
    )


def test_a_lead_that_cannot_be_kept_is_named_and_the_others_land(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(salesforce.fake, handed=4, with_marketing=0)
    salesforce.fake.change_lead(handed[1], CreatedDate="1899-01-01T00:00:00.000+0000")
    done = rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert done.imported == 3
    (rejected,) = done.rejected
    assert rejected.startswith(f"Lead {handed[1]}: ") and "CreatedDate" in rejected


def test_wrong_credentials_are_refused_in_one_line_without_the_secret(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    fill(salesforce.fake, handed=2, with_marketing=0)
    with pytest.raises(Unauthorized, match="refused the connected app's credentials") as refused:
        rounds(team_file, connector(salesforce.url, secret="not-the-secret"), terms).round(NOW)
    assert "not-the-secret" not in str(refused.value)
    assert team_file.crm_counts("salesforce").linked == 0


def test_a_first_pull_takes_the_stage_the_status_says_and_the_owner(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    """Leads sales already works in Salesforce do not land as fresh MQLs to call again."""
    handed = fill(salesforce.fake, handed=6, with_marketing=0)
    working, qualified, queued = handed[0], handed[3], handed[1]  # Dana owns 0 and 3
    salesforce.fake.change_lead(working, Status="Working - Contacted")
    salesforce.fake.change_lead(qualified, Status="Qualified")
    salesforce.fake.change_lead(queued, Status="Working - Contacted")  # a queue owns it
    done = rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert (done.imported, done.rejected) == (6, [])
    ids = team_file.lead_ids_by_key(handed)
    at_work = team_file.lead(ids[working])
    assert (at_work.stage, at_work.owner) == (Stage.ACCEPTED, "dana")
    done_by_sales = team_file.lead(ids[qualified])
    assert (done_by_sales.stage, done_by_sales.owner) == (Stage.QUALIFIED, "dana")
    pooled = team_file.lead(ids[queued])
    assert pooled.stage is Stage.ACCEPTED and pooled.owner is None
    fresh = team_file.lead(ids[handed[2]])
    assert (fresh.stage, fresh.owner) == (Stage.MQL, None)
    # What the pull recorded is not pushed back to Salesforce.
    assert team_file.crm_counts("salesforce").waiting == 0


MORE = f"{DATA}/query/"  # a query's next batch (nextRecordsUrl)


def landed_once(team_file: Store, handed: list[str]) -> None:
    """Every Lead handed to sales is one lead in the file, linked once."""
    external = [row[0] for row in on_disk.rows(team_file, "SELECT external_id FROM leads")]
    assert sorted(external) == sorted(handed)
    assert team_file.crm_counts("salesforce").linked == len(handed)


def test_salesforce_failing_mid_paging_keeps_the_pages_landed_and_the_next_round_goes_on(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(salesforce.fake)
    down = [{"message": "down for maintenance", "errorCode": "SERVER_UNAVAILABLE"}]
    salesforce.fake.fail("GET", MORE, Fault("", "", 503, down))  # once: asked again, fine
    done = rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert done.imported == 36
    landed_once(team_file, handed)

    for changed in handed[20:33]:  # thirteen changed, and the one at the cursor: two batches
        salesforce.fake.change_lead(changed, Title="CTO")
    for _ in range(4):  # on and on: the round stops, the first batch landed
        salesforce.fake.fail("GET", MORE, Fault("", "", 503, down))
    with pytest.raises(CrmDown, match="Salesforce failed \\(503\\)"):
        rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert "503" in (team_file.meta("crm.salesforce.last_error") or "")
    ids = team_file.lead_ids_by_key(handed)
    assert team_file.lead(ids[handed[20]]).title == "CTO"  # in the first batch: landed
    assert team_file.lead(ids[handed[32]]).title != "CTO"  # in the second: not read yet

    done = rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert done.imported == 0
    assert {team_file.lead(ids[lead]).title for lead in handed[20:33]} == {"CTO"}
    landed_once(team_file, handed)
    assert team_file.meta("crm.salesforce.last_error") == ""


def test_a_connection_dropped_mid_paging_is_asked_again(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(salesforce.fake)
    proxy = DroppingProxy(salesforce.url).start()
    try:

        def drop() -> None:
            proxy.drop_next = True

        salesforce.fake.fail("GET", MORE, Fault("", "", then=drop))
        done = rounds(team_file, connector(proxy.url), terms).round(NOW)
        assert proxy.dropped == 1
        assert done.imported == 36
        landed_once(team_file, handed)
    finally:
        proxy.stop()


def test_a_session_that_expires_mid_paging_is_renewed_and_the_pull_goes_on(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(salesforce.fake)
    org = connector(salesforce.url)
    org.check()
    given = salesforce.fake.tokens_given
    salesforce.fake.fail("GET", MORE, Fault("", "", then=salesforce.fake.expire_sessions))
    done = rounds(team_file, org, terms).round(NOW)
    assert done.imported == 36
    assert salesforce.fake.tokens_given == given + 1
    landed_once(team_file, handed)


def test_an_idle_round_updates_nothing_and_keeps_the_budget_it_heard(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    fill(salesforce.fake, handed=4, with_marketing=0)
    rounds(team_file, connector(salesforce.url), terms).round(NOW)
    budget = team_file.meta("crm.salesforce.budget")
    assert budget and '"daily_max": 100000' in budget
    idle = rounds(team_file, connector(salesforce.url), terms).round(NOW)
    assert (idle.imported, idle.updated) == (0, 0)  # the Lead at the cursor is not news
    budget = team_file.meta("crm.salesforce.budget")
    rounds(team_file, connector(salesforce.url), terms).round(NOW, pull=False)  # asks nothing
    assert team_file.meta("crm.salesforce.budget") == budget


def test_a_login_answer_without_a_session_is_one_line_without_the_token(
    salesforce: Running, team_file: Store, terms: Agreement
) -> None:
    fill(salesforce.fake, handed=2, with_marketing=0)
    half = {"access_token": "00D5g000000fake!AQsecret-session-value", "token_type": "Bearer"}
    salesforce.fake.fail("POST", "/services/oauth2/token", Fault("", "", 200, half))
    with pytest.raises(CrmDown, match="answered without a session") as failed:
        rounds(team_file, connector(salesforce.url, secret="another-secret"), terms).round(NOW)
    assert "secret-session-value" not in str(failed.value) and "\n" not in str(failed.value)
    assert "secret-session-value" not in (team_file.meta("crm.salesforce.last_error") or "")
