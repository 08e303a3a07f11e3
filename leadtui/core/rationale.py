"""Why a lead is in the queue, in words a rep trusts: who they are and what they did."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from leadtui.core.agreement import Agreement
from leadtui.core.models import Lead
from leadtui.core.readiness import Readiness
from leadtui.core.scoring import Factor, Group, Score, value_of

INDUSTRY_NOUNS = {
    "manufacturing": "manufacturer",
    "logistics": "logistics company",
    "healthcare": "healthcare provider",
    "retail": "retailer",
    "financial services": "financial services firm",
    "software": "software company",
    "education": "education provider",
    "energy": "energy company",
    "construction": "construction firm",
}


class Described(Protocol):
    """What the words about who a lead is read: a `Lead`, or a queue row."""

    @property
    def title(self) -> str: ...
    @property
    def company(self) -> str: ...
    @property
    def employees(self) -> int | None: ...
    @property
    def industry(self) -> str: ...


FIELD_NAMES = {
    "name": "full name",
    "company": "company name",
    "phone": "business phone",
    "email": "business email",
    "website": "company website",
    "city": "city",
    "region": "state or region",
    "country": "country",
    "title": "job title",
    "employees": "company size",
    "revenue": "annual revenue",
    "industry": "industry",
}


def short(lead: Described, score: Score, now: datetime, most: int = 3) -> str:
    """One line for the queue: who, then the strongest things they did."""
    return "; ".join(part for part in (who(lead), lately(score, now, most)) if part)


def lately(score: Score, now: datetime, most: int = 3) -> str:
    """The strongest things the lead did, most points first: the queue's line when
    there is no room for who they are."""
    return "; ".join(did(factor, now) for factor in strongest(score, most))


def long(
    lead: Lead, score: Score, ready: Readiness, agreement: Agreement, now: datetime
) -> list[str]:
    """The detail pane's account, a line each: who, every engagement factor, every
    negative signal, and what holds the lead back."""
    lines = [who(lead, company=True)]
    for factor in sorted(score.factors, key=lambda f: -f.points):
        if factor.group is Group.ENGAGEMENT:
            lines.append(f"{did(factor, now)} ({signed(factor.points)})")
        elif factor.group is Group.NEGATIVE:
            lines.append(f"{factor.label} ({signed(factor.points)})")
    lines += [f"held back: {reason}" for reason in held_back(lead, ready, agreement)]
    return lines


def strongest(score: Score, most: int) -> list[Factor]:
    engaged = [factor for factor in score.factors if factor.group is Group.ENGAGEMENT]
    return sorted(engaged, key=lambda f: (-f.points, f.label))[:most]


def who(lead: Described, *, company: bool = False) -> str:
    """ "VP of IT at a 450-person manufacturer" (with `company`, the company's name too)."""
    title = lead.title.strip() or "Someone"
    industry = lead.industry.strip()
    noun = INDUSTRY_NOUNS.get(industry.casefold(), f"{industry.casefold()} company")
    if lead.employees:
        described = f"{lead.employees:,}-person {noun if industry else 'company'}"
    elif industry:
        described = noun
    else:
        described = ""
    if not described:
        return f"{title} at {lead.company}" if lead.company else title
    described = f"{_article(lead.employees, described)} {described}"
    if company and lead.company:
        return f"{title} at {lead.company}, {described}"
    return f"{title} at {described}"


def did(factor: Factor, now: datetime) -> str:
    """ "visited the pricing page twice this week", or "3x, last yesterday" when the
    visits spread further back than the latest one's words would say."""
    if factor.latest is None:
        return factor.label
    latest = ago(factor.latest, now)
    if factor.count <= 1:
        return f"{factor.label} {latest}"
    times = "twice" if factor.count == 2 else f"{factor.count}x"
    if factor.earliest is not None and ago(factor.earliest, now) == latest:
        return f"{factor.label} {times} {latest}"
    return f"{factor.label} {times}, last {latest}"


def ago(moment: datetime, now: datetime) -> str:
    days = (now - moment).total_seconds() / 86_400
    if days < 1:
        return "today"
    if days < 2:
        return "yesterday"
    if days < 7:
        return "this week"
    if days < 14:
        return "last week"
    if days < 60:
        return f"{int(days // 7)} weeks ago"
    return f"{int(days // 30)} months ago"


def since(moment: datetime, now: datetime) -> str:
    """'10 s ago', '4 min ago', '2 h ago', '3 d ago': for things that just happened."""
    seconds = max(int((now - moment).total_seconds()), 0)
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86_400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86_400} d ago"


def held_back(lead: Lead, ready: Readiness, agreement: Agreement) -> list[str]:
    """What stands between this lead and an MQL, most fixable first."""
    reasons = [f"missing {FIELD_NAMES.get(field, field)}" for field in ready.missing]
    reasons += [_legitimacy(problem) for problem in ready.not_legitimate]
    if ready.fit < ready.fit_hurdle:
        blanks = sorted(
            {
                FIELD_NAMES.get(rule.subject, rule.subject)
                for rule in agreement.fit
                if rule.blank is None and value_of(rule, lead) in (None, "")
            }
        )
        detail = f": no {', no '.join(blanks)}" if blanks else ""
        reasons.append(f"fit {ready.fit} of {ready.fit_hurdle} needed{detail}")
    if ready.score < ready.mql_threshold:
        reasons.append(f"score {ready.score} of {ready.mql_threshold} needed")
    return reasons


def signed(points: int) -> str:
    return f"+{points}" if points > 0 else f"−{-points}"


def _legitimacy(problem: str) -> str:
    field, _, what = problem.partition(": ")
    if field == "email" and what == "free-mail address":
        return "free-mail address, not a business email"
    return f"{FIELD_NAMES.get(field, field)}: {what}"


def _article(employees: int | None, described: str) -> str:
    """'an 800-person', 'an 11-person', 'a 450-person': by how the number is said."""
    if employees is not None:
        spoken_vowel = str(employees).startswith("8") or employees in (11, 18)
        spoken_vowel |= 11_000 <= employees < 12_000 or 18_000 <= employees < 19_000
        return "an" if spoken_vowel else "a"
    return "an" if described[0] in "aeiou" else "a"
