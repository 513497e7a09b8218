"""信息公示 — the compound's notice board: what the firm, the owners' committee and staff must disclose."""
