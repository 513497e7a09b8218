"""GraphQL of domain/audit: the audit log and its verification."""
