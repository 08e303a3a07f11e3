"""Every action of the queue, pressed as keys: the event lands in the database, the
screen says so, and the cursor moves on to the next sensible lead."""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input, Static

from leadtui.core.agreement import Agreement
from leadtui.core.models import AttemptOutcome, Channel, EventKind, Stage
from leadtui.core.queue import QueueRow
from leadtui.demo import DEMO_NOW
from leadtui.store import SEARCH_MOST, Store, View
from leadtui.tui.modals.outcome import OutcomePicker
from leadtui.tui.screens.help import HelpScreen
from leadtui.tui.screens.queue import QueueScreen
from tests.tui.conftest import app_on, names, notes, queue_of, settle
from tests.tui.test_help import help_rows


def a_call_gets_through(work: Store) -> None:
    """Before the app opens: a call gets through to one of dana's working leads."""
    mine = work.queue_page(View.MINE, rep="dana", limit=500).leads
    first = next(row for row in mine if row.stage is Stage.WORKING)
    work.log_attempt(
        first.id, "dana", at=DEMO_NOW, channel=Channel.CALL, outcome=AttemptOutcome.CONNECTED
    )


def spoken_with(row: QueueRow) -> bool:
    """A working lead a call got through to (or that answered an email): one to qualify."""
    return row.stage is Stage.WORKING and row.first_connect_at is not None


async def go_to(pilot: Pilot[None], wanted: Callable[[QueueRow], bool]) -> QueueRow:
    """Move the cursor down to the first lead that fits, as a rep would."""
    queue = queue_of(pilot)
    index = next(i for i, line in enumerate(queue.lines) if wanted(line.row))
    for _ in range(index - queue.cursor):
        await pilot.press("down")
    await settle(pilot)
    current = queue.current
    assert current is not None
    return current.row


def last(store: Store, lead_id: int) -> tuple[str, str, dict[str, object]]:
    event = store.events(lead_id)[-1]
    return event.kind.value, event.actor, event.payload


async def test_claim_and_next_lead(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        first, second = (line.row for line in queue_of(pilot).lines[:2])
        await pilot.press("c")
        await settle(pilot)
        assert last(work, first.id)[:2] == ("claimed", "dana")
        assert f"{first.name}: claimed" in notes(pilot)
        assert first.name not in names(pilot)  # no longer unassigned
        assert queue_of(pilot).current.row.id == second.id  # type: ignore[union-attr]

        await pilot.press("n")  # claim the top unassigned lead and show it in my queue
        await settle(pilot)
        assert last(work, second.id)[:2] == ("claimed", "dana")
        assert "1 My queue" in str(pilot.app.screen.query_one("#views", Static).render())
        assert queue_of(pilot).current.row.id == second.id  # type: ignore[union-attr]


async def test_a_call_outcome_is_one_more_key_and_the_cursor_moves_on(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = await go_to(pilot, lambda row: row.stage is Stage.WORKING)
        below = queue_of(pilot).lines[queue_of(pilot).cursor + 1].row
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(pilot.app.screen, OutcomePicker)
        await pilot.press("v")
        await settle(pilot)
        kind, actor, payload = last(work, target.id)
        assert (kind, actor, payload["channel"], payload["outcome"]) == (
            "attempt",
            "dana",
            "call",
            "voicemail",
        )
        assert work.lead(target.id).calls == target.calls + 1
        assert f"{target.name}: logged call: voicemail" in notes(pilot)
        assert queue_of(pilot).current.row.id == below.id  # type: ignore[union-attr]
        shown = next(line.row for line in queue_of(pilot).lines if line.row.id == target.id)
        assert shown.calls == target.calls + 1  # the row was read again


async def test_an_email_with_a_note_and_a_call_on_an_unclaimed_lead(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        mine = queue_of(pilot).current.row  # type: ignore[union-attr]
        await pilot.press("e", "R")  # replied, with a note
        await settle(pilot)
        await pilot.press(*"sent pricing", "enter")
        await settle(pilot)
        assert last(work, mine.id)[2] == {
            "channel": "email",
            "outcome": "replied",
            "note": "sent pricing",
        }

        await pilot.press("2")
        await settle(pilot)
        pooled = queue_of(pilot).current.row  # type: ignore[union-attr]
        await pilot.press("l", "c")  # calling an unclaimed MQL makes it yours first
        await settle(pilot)
        kinds = [e.kind for e in work.events(pooled.id)][-2:]
        assert kinds == [EventKind.CLAIMED, EventKind.ATTEMPT]
        assert work.lead(pooled.id).owner == "dana"


async def test_accept_then_qualify_with_the_checklist(work: Store, terms: Agreement) -> None:
    a_call_gets_through(work)
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = await go_to(pilot, spoken_with)
        await pilot.press("a")
        await settle(pilot)
        assert last(work, target.id)[0] == "accepted"
        assert queue_of(pilot).current.row.id == target.id  # type: ignore[union-attr]

        await pilot.press("Q", "enter")  # nothing ticked yet: refused, in words
        await settle(pilot)
        missing = str(pilot.app.screen.query_one("#missing", Static).render())
        assert "still to confirm: decision maker, budget, need, timing" in missing
        assert last(work, target.id)[0] == "accepted"
        await pilot.press("1", "3")
        ticked = str(pilot.app.screen.query_one("#checklist", Static).render())
        assert "1 [x] decision maker" in ticked and "2 [ ] budget" in ticked
        await pilot.press("2", "4", "tab", *"CFO on the call", "enter")
        await settle(pilot)
        kind, _, payload = last(work, target.id)
        assert kind == "qualified" and payload["note"] == "CFO on the call"
        assert payload["checklist"] == dict.fromkeys(
            ("decision_maker", "budget", "need", "timing"), True
        )
        assert target.name not in names(pilot)  # a qualified lead has left the queue


async def test_nurture_and_disqualify_take_a_reason_and_a_note(
    work: Store, terms: Agreement
) -> None:
    nurture_codes = list(terms.reasons.return_to_nurture)
    disqualify_codes = list(terms.reasons.disqualify)
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = queue_of(pilot).current.row  # type: ignore[union-attr]
        await pilot.press("r", "2", *"call in Q3", "enter")
        await settle(pilot)
        assert last(work, first.id) == (
            "returned_to_nurture",
            "dana",
            {"reason": nurture_codes[1], "note": "call in Q3"},
        )
        assert first.name not in names(pilot)
        said = terms.reasons.return_to_nurture[nurture_codes[1]].lower()
        assert f"{first.name}: returned to nurture: {said}" in notes(pilot)

        second = queue_of(pilot).current.row  # type: ignore[union-attr]
        await pilot.press("d", "down", "enter", "enter")  # arrows, Enter, no note, Enter
        await settle(pilot)
        assert last(work, second.id) == (
            "disqualified",
            "dana",
            {"reason": disqualify_codes[1], "note": ""},
        )


async def test_snooze_then_undo(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = await go_to(pilot, lambda row: row.stage is Stage.WORKING)
        await pilot.press("z", "1")  # an hour
        await settle(pilot)
        assert work.lead(target.id).snoozed_until == DEMO_NOW.replace(hour=DEMO_NOW.hour + 1)
        assert any(n.startswith(f"{target.name}: snoozed until") for n in notes(pilot))

        await pilot.press("u")
        await settle(pilot)
        kind, _, payload = last(work, target.id)
        assert kind == "undone" and payload["kind"] == "snoozed"
        assert work.lead(target.id).snoozed_until is None
        assert f"{target.name}: took back your snooze, made 0 s ago" in notes(pilot)


async def test_a_claim_someone_else_won_is_a_notification_naming_them(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        top = queue_of(pilot).current.row  # type: ignore[union-attr]
        with Store(work.path) as elsewhere:  # Marcus, on his own machine a moment ago
            elsewhere.claim(top.id, "marcus", at=DEMO_NOW, expected_version=top.version)
        await pilot.press("c")
        await settle(pilot)
        assert f"{top.name} was claimed by Marcus Lee 0 s ago" in notes(pilot)
        assert [e.actor for e in work.events(top.id) if e.kind is EventKind.CLAIMED] == ["marcus"]
        assert pilot.app.is_running


async def test_a_note_that_did_not_go_through_is_kept(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = await go_to(pilot, lambda row: row.stage is Stage.WORKING)
        with Store(work.path) as elsewhere:  # the team lead hands it to Marcus meanwhile
            elsewhere.reassign(target.id, "morgan", at=DEMO_NOW, to="marcus")
        await pilot.press("l", "N", *"asked to call at 3", "enter")
        await settle(pilot)
        assert any("Not done" in n.title for n in pilot.app._notifications)  # noqa: SLF001
        assert last(work, target.id)[0] == "reassigned"
        await pilot.press("l", "N")
        await settle(pilot)
        assert pilot.app.screen.query_one("#note", Input).value == "asked to call at 3"


async def test_search_and_filter_narrow_the_list_and_escape_clears(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        mine = names(pilot)
        surname = mine[0].split()[-1]
        await pilot.press("slash", *surname, "enter")
        await settle(pilot)
        assert names(pilot) == [row.name for row in work.search(surname)]
        views = str(pilot.app.screen.query_one("#views", Static).render())
        assert f"search: '{surname}' ({len(work.search(surname))} found)" in views
        await pilot.press("slash", "ctrl+a", "ctrl+k", "a", "enter")  # more than a search shows
        await settle(pilot)
        assert len(names(pilot)) == SEARCH_MOST
        views = str(pilot.app.screen.query_one("#views", Static).render())
        assert f"search: 'a' ({SEARCH_MOST}+ found)" in views
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"%'_", "enter")  # wildcards are text
        await settle(pilot)
        assert names(pilot) == []
        await pilot.press("escape")
        await settle(pilot)
        assert names(pilot) == mine

        await pilot.press("3", "f", "s", "enter")  # All open, the first source
        await settle(pilot)
        first_source = work.sources()[0]
        assert names(pilot) and {line.row.source for line in queue_of(pilot).lines} == {
            first_source
        }


async def test_help_lists_every_key_and_keys_can_be_remapped(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms, keys={"queue.next": "x"}).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        rows = help_rows(pilot)
        for words in ("Next", "Claim", "Call", "Qualify", "Nurture", "Disqualify", "Undo"):
            assert words in dict(rows).values()
        assert ("x", "Next") in rows
        commands = [c.title for c in pilot.app.get_system_commands(pilot.app.screen_stack[1])]
        assert {"Next", "Claim", "Snooze", "Search"} <= set(commands)
        await pilot.press("escape", "2")
        await settle(pilot)
        top = queue_of(pilot).current.row  # type: ignore[union-attr]
        await pilot.press("x")
        await settle(pilot)
        assert last(work, top.id)[:2] == ("claimed", "dana")


async def test_a_team_lead_gives_a_lead_to_the_least_loaded_rep(
    work: Store, terms: Agreement
) -> None:
    from leadtui.core.models import Role
    from leadtui.tui.modals.give import GivePicker

    lead = next(rep for rep in work.reps() if rep.role is Role.LEAD)
    work.use(terms, Role.LEAD)  # as the CLI sets it for a team lead
    loads = {load.rep.id: load for load in work.load() if load.rep.role is Role.REP}
    least = min(loads.values(), key=lambda load: (load.open / load.rep.capacity, load.rep.name))
    async with app_on(work, terms, rep=lead.id).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")  # every open lead
        await settle(pilot)
        row = await go_to(pilot, lambda row: row.owner not in (None, least.rep.id))
        await pilot.press("g")
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, GivePicker)
        assert [load.rep.id for load in picker.loads][0] == least.rep.id
        assert row.owner not in [load.rep.id for load in picker.loads]  # not to its holder
        await pilot.press("1")
        await settle(pilot)
        given = work.lead(row.id)
        assert given.owner == least.rep.id and given.version == row.version + 1
        assert f"{row.name}: given to {least.rep.name}" in notes(pilot)
        assert work.events(row.id)[-1].actor == lead.id


async def test_a_rep_has_no_key_to_give_leads_away(work: Store, terms: Agreement) -> None:
    async with app_on(work, terms, rep="dana").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = queue_of(pilot).lines[0].row
        await pilot.press("g")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "QueueScreen"
        assert work.lead(first.id).owner == first.owner
        await pilot.press("question_mark")
        await settle(pilot)
        assert "Give to" not in dict(help_rows(pilot)).values()


async def test_keys_that_read_first_do_not_wait_for_a_busy_store(
    work: Store, terms: Agreement
) -> None:
    from leadtui.core.models import Role
    from leadtui.tui.modals.give import GivePicker
    from leadtui.tui.modals.narrow import FilterPicker

    lead = next(rep for rep in work.reps() if rep.role is Role.LEAD)
    work.use(terms, Role.LEAD)
    async with app_on(work, terms, rep=lead.id).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        for key, picker in (("f", FilterPicker), ("g", GivePicker)):
            screen = pilot.app.screen
            done = threading.Event()
            busy = threading.Thread(target=hold, args=(screen.desk.lock, done))  # type: ignore[attr-defined]
            busy.start()
            try:
                at = queue_of(pilot).cursor
                await pilot.press(key, "down")  # the store is busy: the list still moves
                assert pilot.app.screen is screen and queue_of(pilot).cursor == at + 1
            finally:
                done.set()
                busy.join()
            await settle(pilot)
            assert isinstance(pilot.app.screen, picker)  # once the store is free, it asks
            await pilot.press("escape")
            await settle(pilot)


def hold(lock: threading.Lock, done: threading.Event) -> None:
    """Another worker busy with the store, until the test is done with it (or a while)."""
    with lock:
        done.wait(timeout=20)


async def test_undo_in_a_fresh_sitting_takes_nothing_back(work: Store, terms: Agreement) -> None:
    """The demo's own past (a disqualification from an earlier day, claims) is not this
    sitting's to take back."""
    before = work.last_seq()
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert "nothing of yours to undo since you opened leadtui" in notes(pilot)
    assert work.last_seq() == before


async def test_qualify_is_refused_before_the_checklist_opens(work: Store, terms: Agreement) -> None:
    """Nobody fills in a checklist and a note for a refusal: a working lead cannot be
    qualified (it is accepted first), and the app says so before anything opens."""
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = await go_to(pilot, lambda row: row.stage is Stage.WORKING)
        await pilot.press("Q")
        await settle(pilot)
        assert isinstance(pilot.app.screen, QueueScreen)  # no checklist opened
        assert f"{target.name}: cannot qualify a lead that is working; you can" in " ".join(
            notes(pilot)
        )
        await pilot.press("d")  # disqualifying a working lead is allowed: the picker opens
        await settle(pilot)
        assert not isinstance(pilot.app.screen, QueueScreen)


async def test_a_lead_nobody_has_spoken_with_is_not_qualified(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = await go_to(
            pilot, lambda row: row.stage is Stage.WORKING and row.first_connect_at is None
        )
        await pilot.press("a")
        await settle(pilot)
        assert last(work, target.id)[0] == "accepted"
        await pilot.press("Q")  # refused before the checklist opens
        await settle(pilot)
        assert isinstance(pilot.app.screen, QueueScreen)
        assert any("nobody has spoken with yet" in note for note in notes(pilot))
        assert last(work, target.id)[0] == "accepted"
