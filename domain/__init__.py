"""Tongxin domain: models, pure rules and use cases, one package per area."""
