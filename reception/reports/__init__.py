"""Reports: queue figures for a period, computed from the append-only ticket event log.

``figures`` is pure arithmetic over plain rows (no database, no Flask); ``reads`` loads those rows
and the day/month roll-ups; ``service`` is what the API and the back office call; ``exports``
renders the same figures as CSV, XLSX and PDF.
"""
