"""The kernel every slice builds on: errors, ports, the caller's identity, the unit of work, the message bus and the service layer."""
