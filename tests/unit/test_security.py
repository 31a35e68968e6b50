"""Passwords, tokens and encrypted secrets."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.fernet import Fernet

from palabre.core.security import (
    KeyMismatch,
    MissingKey,
    SecretBox,
    create_key_file,
    hash_password,
    load_key,
    token_digest,
    verify_password,
)


def test_passwords_are_argon2_hashed_and_verified() -> None:
    h = hash_password("un mot de passe solide")
    assert h.startswith("$argon2id$") and "solide" not in h
    assert verify_password(h, "un mot de passe solide")
    assert not verify_password(h, "un mot de passe faux")
    assert not verify_password(None, "anything")
    assert not verify_password("not a hash", "anything")


def test_secrets_are_unreadable_at_rest_and_need_the_same_key() -> None:
    box = SecretBox(Fernet.generate_key())
    sealed = box.encrypt({"access_token": "tok-123"})
    assert "tok-123" not in sealed
    assert box.decrypt(sealed) == {"access_token": "tok-123"}
    with pytest.raises(KeyMismatch):
        SecretBox(Fernet.generate_key()).decrypt(sealed)


def test_key_file_is_created_once_and_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "secret.key"
    with pytest.raises(MissingKey):
        load_key(path)
    assert create_key_file(path) is True
    key = load_key(path)
    assert create_key_file(path) is False and load_key(path) == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_token_digest_is_stable_and_does_not_contain_the_token() -> None:
    assert token_digest("abc") == token_digest("abc") != token_digest("abd")
    assert "abc" not in token_digest("abc")
