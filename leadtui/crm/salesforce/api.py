"""Salesforce's REST API paths, in one place (the version too: moving to a newer one is a
change to this file alone)."""

from __future__ import annotations

from urllib.parse import quote

VERSION = "v63.0"
DATA = f"/services/data/{VERSION}"

# The OAuth 2.0 token endpoint, on the org's My Domain (the client credentials flow).
TOKEN = "/services/oauth2/token"
QUERY = f"{DATA}/query"

# The most records one sObject Collections request takes; updates of records by id go
# to COLLECTION (each record names its type and id).
COLLECTION_MOST = 200
COLLECTION = f"{DATA}/composite/sobjects"

# The custom field on Task that holds the leadtui event a Task was logged from: an
# External ID (unique) text field an admin creates; pushes upsert on it, so a Task is
# made once however often its push is sent.
EVENT_FIELD = "leadtui_Event_Id__c"


def sobject(kind: str, record_id: str) -> str:
    return f"{DATA}/sobjects/{kind}/{quote(record_id, safe='')}"


def describe(kind: str) -> str:
    return f"{DATA}/sobjects/{kind}/describe"


def by_external_id(kind: str, field: str, value: str) -> str:
    """The record whose external-id `field` holds `value` (GET reads it, PATCH upserts)."""
    return f"{DATA}/sobjects/{kind}/{field}/{quote(value, safe='')}"


def collection_upsert(kind: str, field: str) -> str:
    return f"{DATA}/composite/sobjects/{kind}/{field}"


def soql_text(value: str) -> str:
    """A string literal in SOQL: quoted, its quotes and backslashes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
