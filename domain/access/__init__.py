"""Who may read what: one read policy per model, expressed as a database filter (deny by default)."""
