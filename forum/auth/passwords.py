"""Argon2id password hashing, with the cost taken from the app's settings."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=1)


def hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher(config["PASSWORD_TIME_COST"], config["PASSWORD_MEMORY_COST"])


def hash_password(password: str) -> str:
    return hasher().hash(password)


# Stored for a deleted account: not an Argon2 hash (those start with "$"), so no password
# matches it, and it can never come out of hash_password.
UNUSABLE = "!account-deleted"


def verify_password(password_hash: str, password: str) -> bool:
    if password_hash.startswith("!"):
        # Spend what a real check costs: a deleted account answers no faster than a live one.
        burn_time(password)
        return False
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    if password_hash.startswith("!"):
        return False
    try:
        return hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return False


def burn_time(password: str) -> None:
    """Spend what a real check costs, so a missing account answers no faster."""
    verify_password(_dummy_hash(), password)


def _dummy_hash() -> str:
    config = current_app.config
    return _dummy_for(config["PASSWORD_TIME_COST"], config["PASSWORD_MEMORY_COST"])


@lru_cache(maxsize=4)
def _dummy_for(time_cost: int, memory_cost: int) -> str:
    return _hasher(time_cost, memory_cost).hash("not a real password")
