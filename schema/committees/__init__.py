"""GraphQL of domain/committees: owners' committees, seats, vetting, reserve lists, cross-appointments."""
