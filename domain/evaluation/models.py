"""Tortoise models of the evaluation area."""
