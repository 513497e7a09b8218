"""Shared GraphQL machinery: the request context, Relay IDs and connections, errors, permissions, scalars, loaders."""
