"""The devices slice: kiosks' and displays' printers as the core sees them.

``printing`` (a committed ticket's slip handed to the printer port, the outcome logged as a
ticket event) and ``status`` (the read model staff see: heartbeat, last print, printer state
through an injected probe).  Neither reads Flask nor imports the ``printers`` package: the
composition root (``reception.app``) hands them the printer.  This package re-exports nothing.
"""
