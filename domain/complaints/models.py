"""Tortoise models of the complaints area."""
