"""The platform under the features: database, configuration, clock, languages, real-time fan-out,
and the production plumbing around the app (``plumbing``: proxy headers, request ids, JSON logs,
health, metrics; serving itself in ``server``).  Nothing is imported here, so a feature importing
``platform.db`` does not drag in the web-facing parts."""
