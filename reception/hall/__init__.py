"""The manager's live hall view."""
