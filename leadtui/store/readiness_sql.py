"""The agreement's sales-ready test as one SQL predicate, mirroring core.readiness."""

from __future__ import annotations

from leadtui.core.agreement import NUMERIC_FIELDS, Agreement

_DIGITS = "phone"
for _digit in "0123456789":
    _DIGITS = f"replace({_DIGITS}, '{_digit}', '')"
PHONE_DIGITS = f"(length(phone) - length({_DIGITS}))"


def is_mql(agreement: Agreement, *, score: str = "score") -> tuple[str, dict[str, object]]:
    """A WHERE clause over `leads` that holds exactly when core.readiness says is_mql;
    `score` is the SQL for the score to test (the stored one unless told otherwise)."""
    required = agreement.required
    # The cheap numeric tests first: SQLite stops at the first false term, and most
    # leads fail on score long before their email needs looking at.
    clauses = ["fit >= :fit_hurdle", f"{score} >= :mql_threshold"]
    for field in required.fields:
        if field in NUMERIC_FIELDS:
            clauses.append(f"coalesce({field}, 0) != 0")
        else:
            clauses.append(f"trim(coalesce({field}, '')) != ''")
    params: dict[str, object] = {
        "fit_hurdle": agreement.fit_hurdle,
        "mql_threshold": agreement.mql_threshold,
        "min_digits": required.min_phone_digits,
        "max_digits": required.max_phone_digits,
    }
    if "email" in required.fields:
        free = ", ".join(f":free_{index}" for index in range(len(required.free_mail_domains)))
        params |= {f"free_{i}": d for i, d in enumerate(required.free_mail_domains)}
        email = "lower(trim(email))"
        domain = f"substr({email}, instr({email}, '@') + 1)"
        clauses += [
            f"instr({email}, '@') > 1",
            f"instr({domain}, '@') = 0",
            f"{email} NOT GLOB '*[ \t\n\r]*'",
            f"{domain} GLOB '?*.?*'",
        ]
        if free:
            clauses.append(f"{domain} NOT IN ({free})")
    if "phone" in required.fields:
        clauses += [
            "replace(replace(phone, 'ext', ''), 'x', '') NOT GLOB '*[A-Za-z]*'",
            f"{PHONE_DIGITS} BETWEEN :min_digits AND :max_digits",
        ]
    return " AND ".join(f"({clause})" for clause in clauses), params
