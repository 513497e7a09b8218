"""GraphQL of domain/geography: streets, communities, compounds, units, persons."""
