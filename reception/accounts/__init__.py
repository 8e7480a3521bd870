"""The accounts slice: who is calling and what they may do.

``auth`` (password hashing, tokens, the Actor and its roles), ``permissions`` (the one table of
who may do what; pure), ``service`` (users, staff sessions, the sign-in lockout, devices, on the
database) and ``signin`` (the one sign-in of the /login page and the token endpoint; the only
module here that reads Flask).  Import the module you need; this package re-exports nothing.
"""
