"""What the team server asks of its file: tokens kept as digests, and the rows to copy
into PostgreSQL, named only from the store's own lists."""

from __future__ import annotations

import pytest

from leadtui.server import tokens
from leadtui.store import Store
from tests import on_disk
from tests.conftest import make_lead


def test_a_token_is_kept_as_its_digest_and_a_new_one_replaces_it(store: Store) -> None:
    assert not store.keeps_tokens()  # a rep's own file
    first = tokens.issue(store, "dana")
    assert store.keeps_tokens()
    assert tokens.rep_of(store, first) == "dana"
    kept = on_disk.rows(store, "SELECT rep, digest FROM server_tokens")
    assert kept == [("dana", tokens.digest(first))]  # never the token itself
    second = tokens.issue(store, "dana")
    assert (tokens.rep_of(store, first), tokens.rep_of(store, second)) == (None, "dana")
    assert tokens.rep_of(store, "made-up") is None


def test_rows_to_copy_come_oldest_first_with_the_columns_asked_for(store: Store) -> None:
    lead = store.add_lead(make_lead())
    store.became_mql(lead.id or 0, at=lead.created_at, score=70, fit=30, engagement=40)
    assert list(store.rows_to_copy("leads", ("id", "email", "stage"))) == [
        (lead.id, lead.email, "mql")
    ]
    assert [row[0] for row in store.rows_to_copy("reps", ("id",))] == ["dana", "marcus"]
    assert [row[1:] for row in store.rows_to_copy("events", ("seq", "kind"))] == [("became_mql",)]


@pytest.mark.parametrize(
    ("table", "columns", "refusal"),
    [
        ("meta", ("key",), "meta is not copied"),
        ("leads; DROP TABLE leads", ("id",), "is not copied"),
        ("leads", ("id", "1); DROP TABLE leads; --"), "leads has no column to copy named 1"),
        ("events", ("synced_at",), "events has no column to copy named synced_at"),
    ],
)
def test_only_the_stores_own_tables_and_columns_are_copied(
    store: Store, table: str, columns: tuple[str, ...], refusal: str
) -> None:
    store.add_lead(make_lead())
    with pytest.raises(ValueError, match=refusal):
        list(store.rows_to_copy(table, columns))
    assert on_disk.value(store, "SELECT count(*) FROM leads") == 1
