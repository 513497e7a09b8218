"""Property firms and service contracts."""
