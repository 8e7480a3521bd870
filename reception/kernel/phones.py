"""Phones in one canonical form: E.164 (``+380501112233``) whatever way a number was dictated
(``050 111-22-33``, ``+38 (050) 111 22 33``); a number without a country code is read as Ukrainian.

One rule for every slice that keeps a phone (an office's contact centre, a visitor of the leadership).
Pure: no Flask, no database.
"""

from __future__ import annotations

import re

import phonenumbers

from reception.kernel.errors import ValidationFailed

DEFAULT_REGION = "UA"
# Characters a dictated phone number may hold besides digits.
_PHONE_CHARS = re.compile(r"^[+0-9\s().\-–]+$")


def looks_like_phone(text: str) -> bool:
    """Only digits and the punctuation of a written phone number, with at least one digit."""
    return bool(_PHONE_CHARS.match(text)) and any(ch.isdigit() for ch in text)


def _parse(raw: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(raw: str | None) -> str | None:
    """A phone to store: E.164, or ValidationFailed for a number that cannot exist; None when empty."""
    text = (raw or "").strip()
    if not text:
        return None
    number = _parse(text) if looks_like_phone(text) else None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationFailed("error.bad_phone", phone=text)
    return _e164(number)


def display_phone(stored: str | None) -> str:
    """A stored E.164 phone as people write it: Ukrainian numbers nationally (``044 123 4567``,
    ``0 800 123 456``), others internationally; "" for none."""
    number = _parse(stored) if stored else None
    if number is None:
        return stored or ""
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if phonenumbers.region_code_for_number(number) == DEFAULT_REGION
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


def phone_for_search(raw: str) -> str:
    """A phone to search by, in its stored form; ValidationFailed if it cannot be a whole number."""
    text = raw.strip()
    number = _parse(text) if looks_like_phone(text) else None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValidationFailed("error.bad_phone_query", phone=text)
    return _e164(number)
