"""Accounts: registration, verification, login sessions and password reset."""
