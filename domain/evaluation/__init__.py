"""evaluation area."""
