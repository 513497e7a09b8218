"""GraphQL of domain/firms: property firms and service contracts."""
