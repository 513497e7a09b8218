"""GraphQL of domain/rulepacks: the rule packs."""
