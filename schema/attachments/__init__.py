"""Files attached to records: the Attachment type, uploads over GraphQL multipart requests and signed upload URLs."""
