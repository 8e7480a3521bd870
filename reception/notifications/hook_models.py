"""Tables of the visitor's side of the channel: the updates a webhook has processed (a replay changes
nothing twice) and the replies a visitor has made (each reply at most once per ticket or booking)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from reception.platform.orm import Base, aware_dt, intpk


class HookUpdate(Base):
    """One processed update of a provider (Telegram's update_id, Viber's message_token, the SMS gateway's
    message id): inserted in the transaction that acts on it, so a replay finds it and does nothing."""

    __tablename__ = "hook_updates"
    __table_args__ = (UniqueConstraint("channel", "update_id", name="uq_hook_updates_channel_update"),)

    id: Mapped[intpk]
    channel: Mapped[str] = mapped_column(String(16))
    update_id: Mapped[str] = mapped_column(String(128))
    at: Mapped[aware_dt]


class VisitorReply(Base):
    """A visitor's reply that acted (``late``, ``cancel``): one per ticket or booking and kind."""

    __tablename__ = "visitor_replies"
    __table_args__ = (
        Index("uq_visitor_replies_ticket_kind", "ticket_id", "kind", unique=True,
              sqlite_where=text("ticket_id IS NOT NULL"), postgresql_where=text("ticket_id IS NOT NULL")),
        Index("uq_visitor_replies_appointment_kind", "appointment_id", "kind", unique=True,
              sqlite_where=text("appointment_id IS NOT NULL"), postgresql_where=text("appointment_id IS NOT NULL")),
    )

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(16))  # late | cancel
    via: Mapped[str] = mapped_column(String(16))  # telegram | viber | sms | email | web
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    at: Mapped[aware_dt]
