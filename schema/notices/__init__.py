"""The owners are told and shown (issue 13): notifications and their delivery, the notice board, attachments."""
