"""Connectors to the CRMs where a team's leads live: each turns the CRM's objects into lead
records for the one intake door, and a rep's events into the CRM's calls, emails and
statuses (`connector` is what each CRM implements, `rounds` is a round with one)."""

from leadtui.crm.connector import Connector, Pulled
from leadtui.crm.errors import (
    CrmDown,
    CrmError,
    CrmPaused,
    DailyLimit,
    Refused,
    Unauthorized,
    Unsure,
)

__all__ = [
    "Connector",
    "CrmDown",
    "CrmError",
    "CrmPaused",
    "DailyLimit",
    "Pulled",
    "Refused",
    "Unauthorized",
    "Unsure",
]
