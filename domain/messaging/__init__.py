"""The transactional outbox: messages written in the use case's transaction, delivered after commit."""
