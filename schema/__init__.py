"""The GraphQL schema: strawberry types and thin resolvers, one module per area."""
