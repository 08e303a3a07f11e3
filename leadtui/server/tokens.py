"""Bearer tokens for the team server: one per rep, shown once, kept only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from leadtui.store import Store


def digest(token: str) -> str:
    """What is kept of a token. Tokens are 32 random bytes: a plain hash is enough,
    there is nothing to guess from."""
    return hashlib.sha256(token.encode()).hexdigest()


def new() -> str:
    return secrets.token_urlsafe(32)


def issue(store: Store, rep: str) -> str:
    """A new token for `rep` (replacing any earlier one); the caller shows it once."""
    token = new()
    store.keep_token(rep, digest(token))
    return token


def rep_of(store: Store, token: str) -> str | None:
    """The rep a token belongs to, or None."""
    kept = digest(token)
    found = store.token_holder(kept)
    if found is None or not hmac.compare_digest(found[1], kept):
        return None
    return found[0]
