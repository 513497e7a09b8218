"""In-app notifications (me.notifications, markNotificationRead) and staff's view of delivery (outboxMessages)."""
