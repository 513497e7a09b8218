"""GraphQL of domain/complaints: the complaint loop (接诉即办), its ledger, KPIs and live alerts."""
