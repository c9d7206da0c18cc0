"""Job handlers: reminders for unanswered mentions."""
