"""Local servers that speak the real protocols of the messaging providers, for tests.

Each listens on 127.0.0.1 on a free port, records what it received and can be told to fail::

    with TelegramServer(token="T") as tg:          # also ViberServer, TurboSmsServer, SmtpServer
        config = tg.config                         # the RECEPTION_* settings (Flask keys) pointing at it
        ... send ...
        tg.received                                # [Received(path, headers, body)] in order
        tg.fail("500")                             # the next request: HTTP 500 (also "429", "timeout")
        tg.fail("429", times=2, retry_after=3)     # the next two: rate-limited, retry after 3 s
        tg.stop(); ...; tg.start()                 # connection refused meanwhile, then back on the same port

- :class:`TelegramServer`: the Bot API's ``/bot<token>/sendMessage``, ``/answerCallbackQuery`` and
  ``/setWebhook`` (``{"ok": true, "result": …}``; a wrong token 401; ``blocked`` chats 403 as a bot the
  visitor blocked).
- :class:`ViberServer`: the REST bot API's ``/pa/send_message`` and ``/pa/set_webhook``
  (``X-Viber-Auth-Token``; ``status`` 0, 2 for a wrong token, 6 for ``unsubscribed`` receivers, 12 when
  told to rate-limit).
- :class:`TurboSmsServer`: TurboSMS's ``/message/send.json`` (Bearer token; ``response_code`` 800
  with a ``message_id`` per recipient, 999 when told to fail inside).
- :class:`SmtpServer`: a real SMTP server (aiosmtpd); ``messages`` are the parsed e-mails;
  ``fail("421")`` refuses the next DATA for now, ``fail("550")`` refuses the next recipient for good.

The pytest fixtures ``telegram_server``, ``viber_server``, ``sms_server`` and ``smtp_server`` (in
``tests/protocol_servers/fixtures.py``; a test module imports them, or a conftest lists the module in
``pytest_plugins``) start one per test and stop it after.
"""

from tests.protocol_servers.base import HttpProtocolServer, Received
from tests.protocol_servers.sms import TurboSmsServer
from tests.protocol_servers.smtp import SmtpServer
from tests.protocol_servers.telegram import TelegramServer
from tests.protocol_servers.viber import ViberServer

__all__ = ["HttpProtocolServer", "Received", "SmtpServer", "TelegramServer", "TurboSmsServer", "ViberServer"]
