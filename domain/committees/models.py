"""Tortoise models of the committees area."""
