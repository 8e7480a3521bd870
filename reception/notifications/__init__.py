"""The visitor's own channel (and the staff's): messages written to an outbox in the transaction of the
change that causes them, delivered later by a job through Telegram, Viber, SMS or e-mail."""
