"""The queue slice: the rules of who is next and the commands and reads built on them.

Layers, inner to outer: ``policy`` and ``estimates`` (pure: no Flask, no database), ``numbering``
(the safe per-day number), ``commands`` (the queue commands on a unit of work), ``reads`` (the
read models clients see), ``estimates_read`` and ``desk_day`` (small queries), ``ticketing`` (the
kiosk pipeline).  Import the module you need (``from reception.queue import commands``); this
package re-exports nothing.
"""
