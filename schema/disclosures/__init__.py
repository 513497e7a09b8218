"""信息公示 — the compound notice board: Compound.disclosures and publishDisclosure."""
