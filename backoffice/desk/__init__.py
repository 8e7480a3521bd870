"""The desk console: staff sign-in, choosing a desk, and the specialist's working screen.

``views`` holds the pages (blueprint ``desk_console``), ``reads`` the console's read model,
``messages`` the Ukrainian/English texts, ``safety`` small pure checks.  The live
``/desk`` Socket.IO namespace lives in ``backoffice.desk_socket``.
"""
