"""Whether a lead is sales-ready under the agreement, and if not, what holds it back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from leadtui.core.agreement import Agreement
from leadtui.core.models import Lead
from leadtui.core.scoring import Score

_EMAIL = re.compile(r"^[^@\s]+@([^@\s]+\.[^@\s]+)$")


@dataclass(frozen=True)
class Readiness:
    missing: tuple[str, ...]  # required fields that are blank
    not_legitimate: tuple[str, ...]  # present but not a business email / phone
    fit: int
    score: int
    fit_hurdle: int
    mql_threshold: int

    @property
    def complete(self) -> bool:
        return not self.missing and not self.not_legitimate

    @property
    def is_mql(self) -> bool:
        return self.complete and self.fit >= self.fit_hurdle and self.score >= self.mql_threshold


def business_email_problem(email: str, agreement: Agreement) -> str | None:
    found = _EMAIL.match(email.strip().lower())
    if found is None:
        return "not an email address"
    if found.group(1) in agreement.required.free_mail_domains:
        return "free-mail address"
    return None


def phone_problem(phone: str, agreement: Agreement) -> str | None:
    digits = sum(character.isdigit() for character in phone)
    if re.search(r"[A-Za-z]", phone.replace("ext", "").replace("x", "")):
        return "not a phone number"
    if digits < agreement.required.min_phone_digits:
        return f"only {digits} digits"
    if digits > agreement.required.max_phone_digits:
        return f"{digits} digits, too many"
    return None


def readiness(lead: Lead, score: Score, agreement: Agreement) -> Readiness:
    missing = tuple(
        field for field in agreement.required.fields if not str(getattr(lead, field) or "").strip()
    )
    not_legitimate: list[str] = []
    required = agreement.required.fields
    email = business_email_problem(lead.email, agreement) if lead.email.strip() else None
    if "email" in required and email:
        not_legitimate.append(f"email: {email}")
    phone = phone_problem(lead.phone, agreement) if lead.phone.strip() else None
    if "phone" in required and phone:
        not_legitimate.append(f"phone: {phone}")
    return Readiness(
        missing=missing,
        not_legitimate=tuple(not_legitimate),
        fit=score.fit,
        score=score.total,
        fit_hurdle=agreement.fit_hurdle,
        mql_threshold=agreement.mql_threshold,
    )
