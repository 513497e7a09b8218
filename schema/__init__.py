"""The GraphQL schema: one package per domain area, shared machinery in core/, composed in root.py."""
