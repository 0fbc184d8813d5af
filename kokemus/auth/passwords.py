"""Local-account passwords: argon2id hashes and the rules a new password must meet.

argon2id (RFC 9106) through argon2-cffi with its default, memory-hard parameters; a hash
made with older parameters is re-hashed on the next successful sign-in.
"""
from __future__ import annotations

import os
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()
MIN_LENGTH_DEFAULT = 12
_TEMP_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class PasswordRejected(ValueError):
    """A new password that breaks the rules; ``key`` is the message-catalogue key."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def min_length() -> int:
    return max(8, int(os.environ.get("KOKEMUS_PASSWORD_MIN_LENGTH", MIN_LENGTH_DEFAULT)))


def check_policy(password: str, username: str = "") -> None:
    """Length is what makes a password strong; a password equal to the user name is not."""
    if len(password) < min_length():
        raise PasswordRejected("auth_pw_too_short", n=min_length())
    if username and password.strip().lower() == username.strip().lower():
        raise PasswordRejected("auth_pw_is_username")
    if len(set(password)) < 4:
        raise PasswordRejected("auth_pw_too_simple")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def temporary_password() -> str:
    """A random password handed out once (it must be changed at the first sign-in)."""
    length = max(min_length(), 14)
    return "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(length))
