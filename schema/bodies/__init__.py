"""GraphQL of domain/bodies: the Body interface, organisations, memberships."""
