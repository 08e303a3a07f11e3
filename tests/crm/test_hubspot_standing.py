"""Where a pulled contact stands and whose it is, both ways: its lead status and owner
on the way in, the rep's HubSpot user on each call, email and note on the way out; what
connect says of move values the account does not offer; and an agreement rule scoring
an engagement count HubSpot keeps on the contact."""

from __future__ import annotations

from leadtui.core import agreement
from leadtui.core.agreement import Agreement
from leadtui.core.clock import FixedClock
from leadtui.core.models import AttemptOutcome, Channel, Rep, Stage
from leadtui.crm.hubspot.mapping import HubSpotMap
from leadtui.desk import Desk
from leadtui.store import Store
from tests.conftest import NOW
from tests.crm.conftest import Running, connector, fill, rounds


def test_a_first_pull_takes_the_stage_sales_gave_the_contact_in_hubspot(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    handed = fill(hubspot.fake, handed=6, with_marketing=0)  # 0 and 3 are Dana's
    statuses = ["CONNECTED", "UNQUALIFIED", "BAD_TIMING", "ATTEMPTED_TO_CONTACT", "OPEN_DEAL"]
    for contact, status in zip(handed, statuses, strict=False):
        hubspot.fake.contacts[contact]["hs_lead_status"] = status
    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert done.imported == 6

    leads = [team_file.lead(team_file.lead_ids_by_key([c])[c]) for c in handed]
    assert [(lead.stage, lead.owner) for lead in leads] == [
        (Stage.WORKING, "dana"),  # connected, and Dana's: hers, being worked
        (Stage.DISQUALIFIED, None),
        (Stage.RETURNED_TO_NURTURE, None),
        (Stage.WORKING, "dana"),
        (Stage.QUALIFIED, None),
        (Stage.MQL, None),  # NEW: in the pool, to be called
    ]
    # What the pull found is HubSpot's already: nothing of it goes back.
    assert team_file.crm_counts("hubspot").waiting == 0
    again = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert again.pushed == 0
    assert [hubspot.fake.contacts[c]["hs_lead_status"] for c in handed[:5]] == statuses


def test_owners_are_read_page_by_page(hubspot: Running, team_file: Store, terms: Agreement) -> None:
    for n in range(150):  # a large sales org: Dana is on the owners' second page
        hubspot.fake.add_owner(str(60_000 + n), "Agent", f"No. {n}", f"agent{n}@example.com")
    handed = fill(hubspot.fake, handed=3, with_marketing=0)
    rounds(team_file, connector(hubspot.url), terms).round(NOW)

    ines = team_file.lead(team_file.lead_ids_by_key([handed[0]])[handed[0]])
    assert ines.owner == "dana" and ines.custom["hubspot_owner"] == "Dana Whitfield"
    owner_pages = [path for method, path in hubspot.fake.requests if path == "/crm/v3/owners"]
    assert len(owner_pages) >= 2


def test_calls_emails_and_notes_are_owned_by_the_rep_who_logged_them(
    hubspot: Running, team_file: Store, terms: Agreement
) -> None:
    team_file.save_rep(Rep(id="priya", name="Priya N."))
    hubspot.fake.add_owner("71003", "Marcus", "Lee", "m.lee@example.com")  # by name
    handed = fill(hubspot.fake, handed=5, with_marketing=0)  # Priya: by her email
    team_file.save_rep(Rep(id="omar", name="Omar Quint"))  # no HubSpot user
    rounds(team_file, connector(hubspot.url), terms).round(NOW)
    ids = team_file.lead_ids_by_key(handed)
    clock = FixedClock(NOW)

    dana = Desk(team_file, terms, clock, rep="dana")
    dana.log(ids[handed[0]], Channel.CALL, AttemptOutcome.CONNECTED, "Wants a demo")
    dana.nurture(ids[handed[0]], "not_now", "Budget is frozen until March")
    marcus = Desk(team_file, terms, clock, rep="marcus")
    marcus.claim(ids[handed[1]], team_file.lead(ids[handed[1]]).version)
    marcus.log(ids[handed[1]], Channel.EMAIL, AttemptOutcome.SENT, "Case study")
    priya = Desk(team_file, terms, clock, rep="priya")
    priya.claim(ids[handed[2]], team_file.lead(ids[handed[2]]).version)
    priya.log(ids[handed[2]], Channel.CALL, AttemptOutcome.NO_ANSWER)
    omar = Desk(team_file, terms, clock, rep="omar")
    omar.claim(ids[handed[4]], team_file.lead(ids[handed[4]]).version)
    omar.log(ids[handed[4]], Channel.CALL, AttemptOutcome.VOICEMAIL)

    done = rounds(team_file, connector(hubspot.url), terms).round(NOW)
    assert (done.pushed, done.refused) == (5, [])

    def owner_on(kind: str, contact: str) -> str | None:
        (made,) = [
            found["properties"]
            for found in hubspot.fake.objects[kind].values()
            if found["associations"][0][0] == contact
        ]
        return made.get("hubspot_owner_id")

    assert owner_on("calls", handed[0]) == "71001"  # Dana Whitfield, by name
    assert owner_on("notes", handed[0]) == "71001"  # her return to nurture's note
    assert owner_on("emails", handed[1]) == "71003"  # Marcus Lee
    assert owner_on("calls", handed[2]) == "71002"  # priya@example.com
    assert owner_on("calls", handed[4]) is None  # no user of the account: no owner


def test_connect_names_a_move_value_the_account_does_not_offer(hubspot: Running) -> None:
    fine = connector(hubspot.url).check()
    assert "\n" not in fine and "owners" in fine

    terms = HubSpotMap.over_defaults(
        moves={"accepted": {"hs_lead_status": "WORKING"}, "qualified": {"sales_stage": "SQL"}}
    )
    said = connector(hubspot.url, terms=terms).check().splitlines()
    assert said[1:] == [
        "HubSpot's hs_lead_status has no value 'WORKING' ([crm.moves.accepted] "
        "hs_lead_status); it has: NEW, OPEN, IN_PROGRESS, OPEN_DEAL, UNQUALIFIED, "
        "ATTEMPTED_TO_CONTACT, CONNECTED, BAD_TIMING",
        "HubSpot's contacts have no property 'sales_stage' ([crm.moves.qualified] sales_stage)",
    ]


def test_an_agreement_rule_scores_the_page_views_hubspot_counts(
    hubspot: Running, team_file: Store
) -> None:
    rule = (
        "\n[[fit]]\n"
        'label = "viewed 20 pages or more"\n'
        'column = "hubspot_page_views"\n'
        "at_least = 20\n"
        "points = 15\n"
    )
    terms = agreement.parse(agreement.default_text() + rule)
    handed = fill(hubspot.fake, handed=24, with_marketing=0)  # page views: 3 + n
    rounds(team_file, connector(hubspot.url), terms).round(NOW)

    ids = team_file.lead_ids_by_key(handed)
    many, few = ids[handed[20]], ids[handed[2]]  # 23 page views, and 5

    def views_factor(lead_id: int) -> list[tuple[str, float]]:
        return [
            (factor.label, factor.points)
            for factor in team_file.factors(lead_id)
            if factor.label == "viewed 20 pages or more"
        ]

    assert views_factor(many) == [("viewed 20 pages or more", 15)]
    assert views_factor(few) == []
    plain = rounds_score_without_rule(hubspot, team_file, handed[20])
    assert team_file.lead(many).fit == plain + 15


def rounds_score_without_rule(hubspot: Running, team_file: Store, contact: str) -> int:
    """The lead's fit under the default agreement (the rule's points aside)."""
    from leadtui.store import Store as Opened

    path = team_file.path.parent / "plain.db"
    with Opened(path) as plain:
        plain.save_rep(Rep(id="dana", name="Dana Whitfield"))
        rounds(plain, connector(hubspot.url), agreement.load()).round(NOW)
        return plain.lead(plain.lead_ids_by_key([contact])[contact]).fit
