"""GraphQL of domain/accounts: the viewer, sign-in and sign-out, accounts."""
