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


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


def burn_time(password: str) -> None:
    """Spend what a real check costs, so a missing account answers no faster."""
    verify_password(_dummy_hash(), password)


def _dummy_hash() -> str:
    config = current_app.config
    return _dummy_for(config["PASSWORD_TIME_COST"], config["PASSWORD_MEMORY_COST"])


@lru_cache(maxsize=4)
def _dummy_for(time_cost: int, memory_cost: int) -> str:
    return _hasher(time_cost, memory_cost).hash("not a real password")
