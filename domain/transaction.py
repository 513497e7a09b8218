"""One use case, one transaction."""

from tortoise.transactions import in_transaction


def atomic():  # type: ignore[no-untyped-def]
    """The transaction every use case runs in; the audit event is written inside it."""
    return in_transaction("default")
