"""The demo's past: claims, call and email attempts, dispositions and closed deals."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from leadtui.core.agreement import Agreement
from leadtui.core.models import AttemptOutcome, Channel, Event, EventKind
from leadtui.demo.people import Drawn, draw_uuid

# How the reps differ: who takes how long to pick up a new lead (minutes, mean), and
# who gets how much of the work. One slow rep makes the breach report worth reading.
REP_HABITS = {
    "dana": (35, 6),
    "marcus": (50, 5),
    "priya": (40, 5),
    "tomas": (70, 4),
    "keiko": (45, 3),
    "sam": (240, 4),
    "lena": (90, 3),
}

# Some leads never answer the phone (a share of them, settled by the lead's id).
NEVER_ANSWERS = 0.15
UNANSWERED = (AttemptOutcome.VOICEMAIL, AttemptOutcome.NO_ANSWER, AttemptOutcome.GATEKEEPER)


def _never_answers(lead_id: int) -> bool:
    return (lead_id * 2_654_435_761) % 1000 < NEVER_ANSWERS * 1000


# Who lets a cadence run out before making every try: the share of their leads that never
# connected on which they stop, and after how many tries. Which leads is settled by the
# lead's id, not the random stream, so the rest of the demo is drawn as it was.
GIVES_UP = {
    "sam": (0.6, 2),
    "lena": (0.4, 3),
    "tomas": (0.35, 3),
    "keiko": (0.25, 4),
    "marcus": (0.1, 4),
}


DAY_ONE = date(2000, 1, 3)  # any day: for the length of a working day


class BusinessHours:
    """The demo's simple idea of when reps work; the product's SLA calendar is the agreement's."""

    def __init__(self, agreement: Agreement) -> None:
        sla = agreement.sla
        self.zone = ZoneInfo(sla.time_zone)
        self.opens, self.closes = sla.opens, sla.closes
        days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        self.working = {days.index(day) for day in sla.working_days}
        self.holidays = set(sla.holidays)

    def snap(self, moment: datetime) -> datetime:
        """`moment` if the office is open then, else the next opening."""
        local = moment.astimezone(self.zone)
        while True:
            if local.weekday() in self.working and local.date() not in self.holidays:
                if local.time() < self.opens:
                    local = datetime.combine(local.date(), self.opens, self.zone)
                if local.time() < self.closes:
                    return local.astimezone(moment.tzinfo)
            next_day = local.date() + timedelta(days=1)
            local = datetime.combine(next_day, time(0, 0), self.zone)

    def later(self, moment: datetime, minutes: float) -> datetime:
        """Roughly `minutes` of working time after `moment` (the demo needs no more)."""
        current = self.snap(moment)
        left = minutes
        while True:
            local = current.astimezone(self.zone)
            closing = datetime.combine(local.date(), self.closes, self.zone)
            room = (closing - local).total_seconds() / 60
            if left <= room:
                return (local + timedelta(minutes=left)).astimezone(moment.tzinfo)
            left -= room
            current = self.snap(closing + timedelta(minutes=1))


class History:
    """Writes what sales did with one MQL, as the events the product itself would write."""

    def __init__(self, rng: random.Random, agreement: Agreement, now: datetime) -> None:
        self.rng = rng
        self.agreement = agreement
        self.now = now
        self.hours = BusinessHours(agreement)
        self.reps = list(REP_HABITS)
        self.rep_weights = [REP_HABITS[rep][1] for rep in self.reps]
        opens = datetime.combine(DAY_ONE, self.hours.opens)
        day = (datetime.combine(DAY_ONE, self.hours.closes) - opens).total_seconds() / 60
        self.cadence_minutes = agreement.sla.cadence.over_business_days * day

    def event(
        self,
        lead_id: int,
        kind: EventKind,
        actor: str,
        at: datetime,
        rng: random.Random | None = None,
        **payload: object,
    ) -> Event:
        return Event(
            id=draw_uuid(rng or self.rng),
            lead_id=lead_id,
            kind=kind,
            actor=actor,
            at=at,
            payload=payload,
            synced_at=None,
        )

    def of(
        self, drawn: Drawn, qualified_at: datetime, mql_at: datetime, score: int, fit: int
    ) -> list[Event]:
        rng, lead_id = self.rng, drawn.lead.id or 0
        events = [
            self.event(
                lead_id,
                EventKind.BECAME_MQL,
                "system",
                mql_at,
                score=score,
                fit=fit,
                engagement=score - fit,
                qualified_at=int(qualified_at.timestamp()),
            )
        ]
        rep = rng.choices(self.reps, weights=self.rep_weights)[0]
        pickup_minutes = rng.expovariate(1 / REP_HABITS[rep][0])
        claimed_at = self.hours.later(mql_at, pickup_minutes)
        if claimed_at >= self.now or rng.random() < 0.04:
            return events  # still waiting in the unassigned pool
        events.append(self.event(lead_id, EventKind.CLAIMED, rep, claimed_at, rep=rep))
        worked = self._work(drawn, rep, claimed_at, mql_at)  # drawn for every lead alike
        if _never_answers(lead_id):
            worked = self._unanswered(drawn, rep, claimed_at, mql_at)
        return events + worked

    def _work(self, drawn: Drawn, rep: str, start: datetime, mql_at: datetime) -> list[Event]:
        rng, lead_id = self.rng, drawn.lead.id or 0
        cadence = self.agreement.sla.cadence
        steps = [Channel.CALL] * cadence.calls + [Channel.EMAIL] * cadence.emails
        steps = [steps[0], *rng.sample(steps[1:], len(steps) - 1)]
        spacing = cadence.over_business_days * 600 / max(len(steps) - 1, 1)
        answer = min(0.12 + 0.18 * drawn.intent, 0.75)
        if not drawn.lead.phone or drawn.lead.phone in ("n/a", "123", "call me"):
            answer = 0.03
        events: list[Event] = []
        at = self.hours.later(start, rng.uniform(1, 25))
        for step, channel in enumerate(steps):
            if at >= self.now:
                return events  # the cadence is still running
            outcome = self._outcome(channel, answer, drawn)
            events.append(
                self.event(
                    lead_id,
                    EventKind.ATTEMPT,
                    rep,
                    at,
                    channel=channel.value,
                    outcome=outcome.value,
                    note=self._note(outcome),
                )
            )
            if outcome.is_connect:
                return events + self._decide(drawn, rep, at)
            if outcome is AttemptOutcome.WRONG_NUMBER and step >= 1:
                later = self.hours.later(at, rng.uniform(5, 120))
                if later < self.now:
                    events.append(self._disqualify(lead_id, rep, later, "bad_data"))
                return events
            at = self.hours.later(at, spacing * rng.uniform(0.6, 1.4))
        if at >= self.now:
            return events  # every try made; the cadence's days are still running
        tries = self._tries_made(rep, lead_id, len(steps))
        return events[:tries] + self._ran_out(lead_id, rep, at, mql_at, tries, len(steps))

    def _ran_out(
        self,
        lead_id: int,
        rep: str,
        at: datetime,
        mql_at: datetime,
        tries: int,
        steps: int,
        rng: random.Random | None = None,
    ) -> list[Event]:
        """No connect: the rep returns the lead to nurture once the cadence's days are
        over (the team review counts such a lead against the cadence), some after fewer
        tries than it asks."""
        note = "Cadence done, no connect"
        if tries < steps:
            note = f"Cadence ran out after {tries} of {steps} tries, no connect"
        ran_out = self.hours.later(mql_at, self.cadence_minutes + 30)
        returned = self.event(
            lead_id,
            EventKind.RETURNED_TO_NURTURE,
            rep,
            max(at, ran_out),
            rng,
            reason="no_response",
            note=note,
        )
        return [returned] if returned.at < self.now else []

    def _tries_made(self, rep: str, lead_id: int, steps: int) -> int:
        share, tries = GIVES_UP.get(rep, (0.0, steps))
        return tries if (lead_id * 7919) % 100 < share * 100 else steps

    def _unanswered(self, drawn: Drawn, rep: str, start: datetime, mql_at: datetime) -> list[Event]:
        """The past of a lead that never answers: the cadence tried with no connect, drawn
        from the lead's own stream (seeded by its uid), so the demo's other leads are
        drawn as they were."""
        rng, lead_id = random.Random(drawn.lead.uid), drawn.lead.id or 0
        cadence = self.agreement.sla.cadence
        steps = [Channel.CALL] * cadence.calls + [Channel.EMAIL] * cadence.emails
        steps = [steps[0], *rng.sample(steps[1:], len(steps) - 1)]
        spacing = cadence.over_business_days * 600 / max(len(steps) - 1, 1)
        tries = self._tries_made(rep, lead_id, len(steps))
        events: list[Event] = []
        at = self.hours.later(start, rng.uniform(1, 25))
        for channel in steps[:tries]:
            if at >= self.now:
                return events  # the cadence is still running
            outcome = AttemptOutcome.SENT
            if channel is Channel.CALL:
                outcome = rng.choice(UNANSWERED)
            note = rng.choice(("Left voicemail", "")) if outcome is AttemptOutcome.VOICEMAIL else ""
            events.append(
                self.event(
                    lead_id,
                    EventKind.ATTEMPT,
                    rep,
                    at,
                    rng,
                    channel=channel.value,
                    outcome=outcome.value,
                    note=note,
                )
            )
            at = self.hours.later(at, spacing * rng.uniform(0.6, 1.4))
        return events + self._ran_out(lead_id, rep, at, mql_at, tries, len(steps), rng)

    def _outcome(self, channel: Channel, answer: float, drawn: Drawn) -> AttemptOutcome:
        roll = self.rng.random()
        if channel is Channel.EMAIL:
            if "@" not in drawn.lead.email or roll < 0.04:
                return AttemptOutcome.BOUNCED
            return AttemptOutcome.REPLIED if roll < answer * 0.6 else AttemptOutcome.SENT
        if roll < answer:
            return AttemptOutcome.CONNECTED
        return self.rng.choice(
            (
                AttemptOutcome.VOICEMAIL,
                AttemptOutcome.VOICEMAIL,
                AttemptOutcome.NO_ANSWER,
                AttemptOutcome.GATEKEEPER,
                AttemptOutcome.WRONG_NUMBER if roll > 0.93 else AttemptOutcome.NO_ANSWER,
            )
        )

    def _note(self, outcome: AttemptOutcome) -> str:
        notes = {
            AttemptOutcome.CONNECTED: ("Good call, wants details", "Spoke briefly", "Call back"),
            AttemptOutcome.VOICEMAIL: ("Left voicemail", ""),
            AttemptOutcome.GATEKEEPER: ("Assistant took a message",),
            AttemptOutcome.REPLIED: ("Replied to intro email",),
        }
        return self.rng.choice(notes.get(outcome, ("",)))

    def _decide(self, drawn: Drawn, rep: str, at: datetime) -> list[Event]:
        rng, lead_id = self.rng, drawn.lead.id or 0
        decided = self.hours.later(at, rng.uniform(2, 90))
        if decided >= self.now:
            return []
        if drawn.seniority in ("student", "intern"):
            return [self._disqualify(lead_id, rep, decided, "student")]
        if drawn.lead.company.split(" ")[0] in ("Pipelinr", "QueueForce"):
            return [self._disqualify(lead_id, rep, decided, "competitor")]
        if (drawn.lead.employees or 0) < 100 and rng.random() < 0.5:
            return [self._disqualify(lead_id, rep, decided, "too_small")]
        if (
            drawn.lead.country in ("India", "Brazil", "Australia", "Singapore")
            and rng.random() < 0.4
        ):
            return [self._disqualify(lead_id, rep, decided, "no_fit")]
        if rng.random() < 0.04:
            return [self._disqualify(lead_id, rep, decided, "existing_customer")]
        if rng.random() > min(0.25 + 0.22 * drawn.intent, 0.9):
            reason = rng.choice(("not_now", "no_budget", "researching", "wrong_contact"))
            return [
                self.event(
                    lead_id,
                    EventKind.RETURNED_TO_NURTURE,
                    rep,
                    decided,
                    reason=reason,
                    note="",
                )
            ]
        events = [self.event(lead_id, EventKind.ACCEPTED, rep, decided, note="")]
        qualified_at = self.hours.later(decided, rng.uniform(60, 3 * 600))
        if qualified_at >= self.now or rng.random() > min(0.55 + 0.15 * drawn.intent, 0.9):
            return events
        checklist = {"decision_maker": True, "budget": True, "need": True, "timing": True}
        events.append(
            self.event(
                lead_id, EventKind.QUALIFIED, rep, qualified_at, checklist=checklist, note=""
            )
        )
        closed_at = qualified_at + timedelta(days=rng.uniform(7, 35))
        if closed_at < self.now:
            won = rng.random() < min(0.2 + 0.15 * drawn.intent, 0.7)
            outcome = "won" if won else "lost"
            events.append(self.event(lead_id, EventKind.CLOSED, "crm", closed_at, outcome=outcome))
        return events

    def _disqualify(self, lead_id: int, rep: str, at: datetime, reason: str) -> Event:
        return self.event(lead_id, EventKind.DISQUALIFIED, rep, at, reason=reason, note="")
