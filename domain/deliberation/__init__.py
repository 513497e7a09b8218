"""deliberation area."""
