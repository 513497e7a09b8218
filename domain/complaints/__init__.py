"""complaints area."""
