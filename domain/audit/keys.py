"""The audit chain's secret keys: the newest signs, all verify (rotation), each named by a key id.

The key comes from the server's settings (TONGXIN_AUDIT_KEY), never from the database, so that a person who can
edit the database but does not hold the key cannot re-sign a rewritten chain. Without a configured key a fixed
development key is used, with a warning: fine for the demo and the tests, worthless in production.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass

DEVELOPMENT_KEY = "dev:tongxin-development-audit-key-not-secret"


@dataclass(frozen=True)
class Keyring:
    signing_key_id: str
    keys: dict[str, bytes]

    @property
    def signing_key(self) -> bytes:
        return self.keys[self.signing_key_id]


def parse_keyring(text: str) -> Keyring:
    """`ID:SECRET[,ID:SECRET...]`: the first signs new events; older entries still verify. A bare SECRET gets an
    id derived from its digest."""
    keys: dict[str, bytes] = {}
    first = ""
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        key_id, sep, secret = entry.partition(":")
        if not sep:
            secret, key_id = entry, hashlib.sha256(entry.encode()).hexdigest()[:8]
        if not key_id or not secret or len(key_id) > 20:
            raise ValueError("TONGXIN_AUDIT_KEY entries are ID:SECRET with an id of 1-20 characters")
        keys[key_id] = secret.encode()
        first = first or key_id
    if not keys:
        raise ValueError("TONGXIN_AUDIT_KEY holds no key")
    return Keyring(signing_key_id=first, keys=keys)


_keyring: Keyring | None = None


def configure(text: str | None) -> Keyring:
    """Called by the app and the commands at start-up with the setting (None: the development key)."""
    global _keyring
    if not text:
        warnings.warn("TONGXIN_AUDIT_KEY is not set: the audit chain is keyed with the public development key",
                      stacklevel=2)
        text = DEVELOPMENT_KEY
    _keyring = parse_keyring(text)
    return _keyring


def keyring() -> Keyring:
    return _keyring or parse_keyring(DEVELOPMENT_KEY)
