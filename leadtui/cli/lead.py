"""`leadtui lead ...` and `leadtui next`: work leads from the command line, as the app does."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from leadtui.cli.cards import print_card
from leadtui.cli.context import Context, UserError, pass_context
from leadtui.core import lifecycle, spoken
from leadtui.core.agreement import AgreementError
from leadtui.core.models import NOTE_MAX, AttemptOutcome, Channel, Lead
from leadtui.desk import Desk
from leadtui.settings import SettingsError


def _within_limit(_: click.Context, option: click.Parameter, text: str) -> str:
    """A note or a reason is refused here, before anything is opened, when the team
    server would refuse it."""
    if len(text) > NOTE_MAX:
        raise UserError(
            f"--{option.name} is {len(text):,} characters; it holds at most {NOTE_MAX:,}"
        )
    return text


def _outcome(_: click.Context, option: click.Parameter, text: str) -> AttemptOutcome:
    """An attempt's outcome as people type it: no-answer, no_answer, "No answer"."""
    said = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return AttemptOutcome(said)
    except ValueError:
        known = ", ".join(o.value.replace("_", "-") for o in AttemptOutcome)
        raise UserError(f"--outcome {text!r} is not one: {known}") from None


class ReasonOption(click.Option):
    """--reason, whose help lists the codes of the agreement in force."""

    def __init__(self, *args: Any, table: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = table

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        context = ctx.find_object(Context)
        if record is None or context is None:
            return record
        try:
            codes = getattr(context.agreement().reasons, self.table)
        except (AgreementError, SettingsError):  # told when the command runs
            return record
        listed = "; ".join(f"{code} ({words})" for code, words in codes.items())
        return record[0], f"{record[1]} One of: {listed}."


JSON = click.option("--json", "as_json", is_flag=True, help="Print the lead as JSON, for scripts.")
NOTE = click.option(
    "--note",
    default="",
    callback=_within_limit,
    help=f"A note kept with the change (at most {NOTE_MAX:,} characters).",
)
LEAD_ID = click.argument("lead_id", metavar="ID", type=int)
# The longest snooze a rep can ask for by --hours: a year. A lead put aside for
# longer is not sales' to work; return it to nurture.
LONGEST_SNOOZE_HOURS = 365 * 24
# How far back `lead undo` reaches: the mistake just made, not yesterday's decision.
UNDO_WINDOW = timedelta(minutes=10)


def _desk(context: Context) -> Desk:
    """The rep's desk on the configured file, as the app opens it."""
    terms = context.agreement()
    store = context.open_store()
    return Desk(store, terms, context.clock(store), context.settings.rep)


@click.group(
    epilog="Examples:\n\n  leadtui --as dana lead claim 42\n\n"
    "  leadtui --as dana lead log 42 call --outcome no-answer --note 'try after 2pm'\n\n"
    "  leadtui --as dana lead disqualify 42 --reason student"
)
def lead() -> None:
    """Look at one lead, and claim, log attempts, accept, qualify, nurture or disqualify it."""


@lead.command(epilog="Example:\n\n  leadtui lead show 42 --json")
@LEAD_ID
@JSON
@pass_context
def show(context: Context, lead_id: int, as_json: bool) -> None:
    """A lead's card: who, why, the SLA clock, and what holds it back."""
    desk = _desk(context)
    print_card(desk, desk.detail(lead_id), as_json, long=True)


@lead.command(epilog="Example:\n\n  leadtui --as dana lead claim 42")
@LEAD_ID
@JSON
@pass_context
def claim(context: Context, lead_id: int, as_json: bool) -> None:
    """Make the lead yours (refused if someone got there first)."""
    desk = _desk(context)
    _print(desk, desk.claim(lead_id), as_json)


@lead.command(epilog="Example:\n\n  leadtui --as dana lead log 42 call --outcome voicemail")
@LEAD_ID
@click.argument("channel", type=click.Choice([c.value for c in Channel]))
@click.option(
    "--outcome",
    required=True,
    callback=_outcome,
    help="call: connected, voicemail, no-answer, wrong-number, gatekeeper; "
    "email: sent, replied, bounced",
)
@NOTE
@JSON
@pass_context
def log(
    context: Context,
    lead_id: int,
    channel: str,
    outcome: AttemptOutcome,
    note: str,
    as_json: bool,
) -> None:
    """Log a call or an email attempt against the cadence (an unclaimed MQL becomes
    yours first)."""
    desk = _desk(context)
    done = desk.log(lead_id, Channel(channel), outcome, note)
    _print(desk, done, as_json)


@lead.command(epilog="Example:\n\n  leadtui --as dana lead accept 42")
@LEAD_ID
@NOTE
@JSON
@pass_context
def accept(context: Context, lead_id: int, note: str, as_json: bool) -> None:
    """Accept the lead for sales (SAL)."""
    desk = _desk(context)
    _print(desk, desk.accept(lead_id, note), as_json)


@lead.command(
    epilog="Example:\n\n"
    "  leadtui --as dana lead qualify 42 --confirm decision_maker,budget,need,timing"
)
@LEAD_ID
@click.option(
    "--confirm",
    default="",
    help="What you confirmed, comma-separated: " + ", ".join(lifecycle.CHECKLIST),
)
@NOTE
@JSON
@pass_context
def qualify(context: Context, lead_id: int, confirm: str, note: str, as_json: bool) -> None:
    """Qualify the lead (SQL) once the checklist is confirmed."""
    desk = _desk(context)
    ticked = {item.strip() for item in confirm.split(",") if item.strip()}
    checklist = {item: item in ticked for item in lifecycle.CHECKLIST}
    _print(desk, desk.qualify(lead_id, checklist, note), as_json)


@lead.command(epilog="Example:\n\n  leadtui --as dana lead nurture 42 --reason not_now")
@LEAD_ID
@click.option(
    "--reason",
    default="",
    callback=_within_limit,
    cls=ReasonOption,
    table="return_to_nurture",
    help="Why, as a return-to-nurture reason code of the agreement in force.",
)
@NOTE
@JSON
@pass_context
def nurture(context: Context, lead_id: int, reason: str, note: str, as_json: bool) -> None:
    """Return the lead to marketing's nurturing, with a reason."""
    desk = _desk(context)
    _print(desk, desk.nurture(lead_id, reason, note), as_json)


@lead.command(epilog="Example:\n\n  leadtui --as dana lead disqualify 42 --reason competitor")
@LEAD_ID
@click.option(
    "--reason",
    default="",
    callback=_within_limit,
    cls=ReasonOption,
    table="disqualify",
    help="Why, as a disqualify reason code of the agreement in force.",
)
@NOTE
@JSON
@pass_context
def disqualify(context: Context, lead_id: int, reason: str, note: str, as_json: bool) -> None:
    """Disqualify the lead for good, with a reason."""
    desk = _desk(context)
    _print(desk, desk.disqualify(lead_id, reason, note), as_json)


@lead.command(
    epilog="Examples:\n\n  leadtui --as dana lead snooze 42 --hours 3\n\n"
    "  leadtui --as dana lead snooze 42 --until 'tomorrow 14:00'"
)
@LEAD_ID
@click.option("--hours", type=float, help="Snooze this long (at most 8,760: a year).")
@click.option(
    "--until",
    metavar="WHEN",
    help=f"Snooze until then: {spoken.FORMS} (without a zone, the team's local time).",
)
@JSON
@pass_context
def snooze(
    context: Context, lead_id: int, hours: float | None, until: str | None, as_json: bool
) -> None:
    """Put a lead aside until a time; it comes back on its own (its deadline does not move)."""
    desk = _desk(context)
    if (hours is None) == (until is None):
        raise UserError("give --hours or --until")
    if hours is not None and not (0 < hours <= LONGEST_SNOOZE_HOURS):
        raise UserError(
            f"--hours {hours:g}: snooze for more than 0 and at most {LONGEST_SNOOZE_HOURS:,} "
            "hours (a year); return the lead to nurture for longer"
        )
    now = desk.now()
    if until is None:
        moment = now + timedelta(hours=hours or 0)
    else:
        try:
            moment = spoken.when(until, now, desk.calendar.zone, desk.agreement.sla.opens)
        except spoken.NotATime as refused:
            raise UserError(f"--until: {refused}") from None
        if moment <= now:
            raise UserError(f"--until {until}: that is already past")
    _print(desk, desk.snooze(lead_id, moment), as_json)


@lead.command(epilog="Example:\n\n  leadtui --as dana lead undo")
@JSON
@pass_context
def undo(context: Context, as_json: bool) -> None:
    """Take back your last action of the last 10 minutes, and say what it was (it stays
    in the log as taken back; nothing is deleted)."""
    from leadtui.demo import demo_now
    from leadtui.store import NothingToUndo

    desk = _desk(context)
    since = desk.now() - UNDO_WINDOW
    # A demo's own past was made by the generator in the reps' names: not yours to undo.
    begun = demo_now(desk.store)
    if begun is not None and begun >= since:
        try:
            undone = desk.undo(since=begun)
        except NothingToUndo:
            raise UserError(
                "nothing of yours to undo in this demo yet (its own past is not taken back)"
            ) from None
    else:
        undone = desk.undo(since=since)
    if not as_json:
        click.echo(undone.words)
    _print(desk, undone.lead, as_json)


@lead.command(epilog="Example:\n\n  leadtui --as morgan lead reassign 42 --to marcus")
@LEAD_ID
@click.option("--to", "to", required=True, metavar="REP", help="The rep who takes it over.")
@JSON
@pass_context
def reassign(context: Context, lead_id: int, to: str, as_json: bool) -> None:
    """Give a lead to another rep (team leads only)."""
    desk = _desk(context)
    _print(desk, desk.give(lead_id, to), as_json)


@click.command(epilog="Example:\n\n  leadtui team")
@pass_context
def team(context: Context) -> None:
    """Each rep's open leads against their capacity, and the unassigned pool."""
    desk = _desk(context)
    counts = desk.store.counts()
    click.echo(f"{counts.unassigned:,} unassigned · {counts.open:,} open")
    for load in desk.store.load():
        rep = load.rep
        click.echo(
            f"  {rep.id:<12} {rep.name:<20} {rep.role.value:<4} {load.open:>4} of "
            f"{rep.capacity:<4} ({load.free} free)"
        )


@click.command(name="next", epilog="Example:\n\n  leadtui --as dana next")
@JSON
@pass_context
def next_lead(context: Context, as_json: bool) -> None:
    """Claim the top unassigned lead of the queue and show it."""
    desk = _desk(context)
    _print(desk, desk.next_lead(), as_json, long=True)


def _print(desk: Desk, done: Lead, as_json: bool, *, long: bool = False) -> None:
    """The lead a change left, read again with its score's factors."""
    assert done.id is not None
    print_card(desk, desk.detail(done.id), as_json, long=long)
