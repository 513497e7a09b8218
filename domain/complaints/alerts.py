"""The live channel of complaint alerts (new and overdue orders): published by the use cases and the scheduler,
read by the `complaintAlerts` subscription, through the EventBus of domain/events.py."""

COMPLAINTS_CHANNEL = "complaints"
