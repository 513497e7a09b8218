"""Accounts, roles, tokens and jurisdiction."""
