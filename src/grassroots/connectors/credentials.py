"""Connector secrets at rest: a Fernet token of a JSON object, keyed from the settings."""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken

from grassroots.config import Settings, get_settings
from grassroots.errors import GrassrootsError


class CredentialsUnreadable(GrassrootsError):
    """Stored secrets cannot be decrypted (the key changed): reconnect the provider."""

    status = 409
    title = "Reconnect needed"


def _fernet(settings: Settings | None) -> Fernet:
    settings = settings or get_settings()
    material = settings.connector_key or settings.ensure_secret_key()
    # A domain-separated hash: the session-signing key itself is never used as the encryption key.
    digest = hashlib.sha256(b"grassroots/connectors/v1\x00" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_secret(data: dict[str, str], *, settings: Settings | None = None) -> bytes:
    """Encrypt a provider's secret fields (tokens, keys) for the ``Connection.secret`` column."""
    return _fernet(settings).encrypt(json.dumps(data, sort_keys=True).encode())


def decrypt_secret(blob: bytes, *, settings: Settings | None = None) -> dict[str, str]:
    """Decrypt ``Connection.secret``; a changed key is a clear CredentialsUnreadable, not a traceback."""
    try:
        plain = _fernet(settings).decrypt(bytes(blob))
    except InvalidToken:
        raise CredentialsUnreadable(
            "the stored credentials cannot be decrypted (the secret key changed?); connect the provider again"
        ) from None
    data = json.loads(plain)
    return {str(k): str(v) for k, v in data.items()}
