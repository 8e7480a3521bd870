"""The request's language: Flask-Babel's locale selector over the in-memory .po catalogues."""

from __future__ import annotations

from babel.support import Translations
from flask import Flask, request, session
from flask_babel import Babel, Domain, get_locale

from reception.kernel.errors import DomainError
from reception.platform import i18n


def _choose_lang() -> str:
    """?lang=, then the signed-in choice, then the browser's languages; Ukrainian by default."""
    accepted = [lang for lang, _q in request.accept_languages]
    return i18n.best_lang([request.args.get("lang"), session.get("lang"), *accepted])


class _Catalogues(Domain):
    """Flask-Babel's gettext reads the same in-memory catalogues as ``i18n.t`` (no .mo files)."""

    def get_translations(self) -> Translations:
        return i18n.translations(str(get_locale() or i18n.DEFAULT_LANG))


class _Babel(Babel):
    @property
    def domain_instance(self) -> Domain:
        return _CATALOGUES


_CATALOGUES = _Catalogues(domain=i18n.DOMAIN)


def init_i18n(app: Flask) -> None:
    """Flask-Babel with this product's locale selector (the request's language, chosen once per request)."""
    _Babel(app, default_locale=i18n.DEFAULT_LANG, default_translation_directories=str(i18n.TRANSLATIONS),
           locale_selector=_choose_lang)


def request_lang() -> str:
    """The language Flask-Babel selected for this request (Ukrainian outside a request)."""
    locale = get_locale() if request else None
    return str(locale) if locale is not None else i18n.DEFAULT_LANG


def localized_error(error: DomainError, lang: str | None = None) -> str:
    return i18n.t(error.message_key, lang or request_lang(), **error.params)
