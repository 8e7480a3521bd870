"""Offices and their configuration: services, desks, hours, reference lists, suspensions."""
