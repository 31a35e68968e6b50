"""Password hashing, random tokens, and encryption of secrets at rest."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

_hasher = PasswordHasher()
# Verified against when the email is unknown, so timing does not reveal which exist.
_DUMMY_HASH = _hasher.hash("palabre-no-such-user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """Tokens are long and random: a plain SHA-256 is the right hash to store."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class SecretBox:
    """Encrypts channel credentials with the instance key (Fernet: AES + HMAC)."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def encrypt(self, data: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(data).encode()).decode()

    def decrypt(self, token: str | None) -> dict[str, Any]:
        if not token:
            return {}
        try:
            return dict(json.loads(self._fernet.decrypt(token.encode())))
        except InvalidToken as exc:
            raise KeyMismatch(
                "Channel secrets cannot be read with this instance key (was secret.key replaced?)"
            ) from exc


class KeyMismatch(Exception):
    pass


def create_key_file(path: Path) -> bool:
    """Write a new key unless one exists. Returns True when a key was created."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(Fernet.generate_key())
    return True


def load_key(path: Path, override: str | None = None) -> bytes:
    if override:
        return override.encode()
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        raise MissingKey(f"No secret key at {path}: run 'palabre init' first") from None


class MissingKey(Exception):
    pass
