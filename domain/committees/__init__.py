"""committees area."""
