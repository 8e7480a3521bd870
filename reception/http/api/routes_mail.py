"""The e-mail intake (decision 043): the drafts, accept / merge / discard, attachments, answers by e-mail."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, current_app, jsonify
from flask.typing import ResponseReturnValue

from reception.appeals import inbox
from reception.appeals.intake import attachments_dir
from reception.http.api import bp
from reception.http.api.registry import PATH_ID, Param, api_route, parse_body
from reception.http.api.routes_leadership import arg
from reception.http.api.schemas.mail import EmailAnswerIn, MailAcceptIn, MailDiscardIn, MailMergeIn
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.permissions import Action

PROBLEMS = {401: None, 403: None, 404: None, 409: None, 422: None}


@api_route(bp, "GET", "/mail-drafts", summary="Messages read from the office's mailbox (default: undecided drafts)",
           tag="mail", action=Action.MAIL_READ,
           params=(Param("office", "query", str, False, "office code (default: the caller's offices)"),
                   Param("status", "query", str, False, "", inbox.STATUSES)),
           responses={200: "MailDraftOut[]", 401: None, 403: None, 404: None, 422: None})
def list_mail_drafts() -> ResponseReturnValue:
    actor = acting()
    return jsonify(wiring().services.value(inbox.list_mails, actor, office=arg("office"),
                                           status=arg("status") or "draft"))


@api_route(bp, "GET", "/mail-drafts/{id}", summary="One message (the read is logged)", tag="mail",
           action=Action.MAIL_READ, params=(PATH_ID,), responses={200: "MailDraftOut", 401: None, 403: None, 404: None})
def get_mail_draft(id: int) -> ResponseReturnValue:
    actor = acting()
    return jsonify(wiring().services.value(inbox.get_mail, actor, id))


@api_route(bp, "POST", "/mail-drafts/{id}/accept",
           summary="Accept the draft as an appeal: a record of form e-mail (409: already decided)", tag="mail",
           action=Action.MAIL_DECIDE, body=MailAcceptIn, params=(PATH_ID,), responses={201: "MailAcceptOut"} | PROBLEMS)
def accept_mail_draft(id: int) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(MailAcceptIn)
    return jsonify(wiring().services.value(inbox.accept, actor, id, body.model_dump(exclude_none=True))), 201


@api_route(bp, "POST", "/mail-drafts/{id}/merge",
           summary="Attach the draft to an earlier appeal of the office (409: already decided)", tag="mail",
           action=Action.MAIL_DECIDE, body=MailMergeIn, params=(PATH_ID,), responses={200: "MailDraftOut"} | PROBLEMS)
def merge_mail_draft(id: int) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(MailMergeIn)
    return jsonify(wiring().services.value(inbox.merge, actor, id, body.record_id))


@api_route(bp, "POST", "/mail-drafts/{id}/discard", summary="Discard the draft, with the reason (409: already decided)",
           tag="mail", action=Action.MAIL_DECIDE, body=MailDiscardIn, params=(PATH_ID,),
           responses={200: "MailDraftOut"} | PROBLEMS)
def discard_mail_draft(id: int) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(MailDiscardIn)
    return jsonify(wiring().services.value(inbox.discard, actor, id, body.reason))


@api_route(bp, "GET", "/mail-attachments/{id}",
           summary="An attachment's file: always a download (Content-Disposition: attachment), never shown inline",
           tag="mail", action=Action.MAIL_READ, params=(PATH_ID,),
           responses={200: "application/octet-stream", 401: None, 403: None, 404: None})
def mail_attachment(id: int) -> ResponseReturnValue:
    actor = acting()
    folder = attachments_dir(current_app.config, current_app.instance_path)
    # The sender's content type is data (shown in the list), never trusted: the file goes out as plain bytes.
    path, filename, _content_type = wiring().services.value(inbox.attachment_file, actor, id, folder)
    # Read whole (at most intake's MAX_ATTACHMENT_BYTES): the answer's check needs a body, not a passthrough.
    return Response(path.read_bytes(), mimetype="application/octet-stream", headers={
        "Content-Disposition": content_disposition(filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "no-store",
    })


def content_disposition(filename: str) -> str:
    """Always ``attachment``: an ASCII name for old clients, the sender's own (RFC 5987) for the rest."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._- ") else "_" for c in filename) or "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@api_route(bp, "POST", "/records/{id}/email-answer",
           summary="Send the record's answer to its sender by e-mail (queued in the outbox) and record it answered",
           tag="mail", action=Action.MAIL_ANSWER, body=EmailAnswerIn, params=(PATH_ID,),
           responses={200: "EmailAnswerOut"} | PROBLEMS)
def email_answer(id: int) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(EmailAnswerIn)
    return jsonify(wiring().services.value(inbox.answer_by_email, actor, id, body.body, body.subject))
