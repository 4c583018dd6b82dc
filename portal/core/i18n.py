"""Language and time: Vietnamese by default, English on request; dates dd/mm/yyyy in Asia/Ho_Chi_Minh."""
import math
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_decimal, get_locale

TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"


def select_locale() -> str:
    """The language kept in the session, else Vietnamese (also for the CLI and e-mails)."""
    language = session.get("language") if has_request_context() else None
    return language if language in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def local(value: datetime) -> datetime:
    """An instant in Vietnam's time (the portal shows the same dd/mm/yyyy in both languages)."""
    return value.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def format_date_vn(value: date | datetime | None) -> str:
    """dd/mm/yyyy; an instant is first moved to Asia/Ho_Chi_Minh."""
    if value is None:
        return ""
    return (local(value) if isinstance(value, datetime) else value).strftime("%d/%m/%Y")


def format_datetime_vn(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh."""
    return local(value).strftime("%d/%m/%Y %H:%M") if value is not None else ""


def format_time_vn(value: datetime | None) -> str:
    """HH:MM in Asia/Ho_Chi_Minh."""
    return local(value).strftime("%H:%M") if value is not None else ""


def format_number(value: float | int | None, decimals: int = 1) -> str:
    """A number the way the reader's language writes it, with at most `decimals` fraction digits and
    none when it is whole: 3.321, 9,5 and 19 in Vietnamese; 3,321, 9.5 and 19 in English."""
    pattern = "#,##0." + "#" * decimals if decimals > 0 else "#,##0"
    return format_decimal(value or 0, format=pattern)


def format_file_size(size: int | None) -> str:
    """A file size for people: whole kilobytes (rounded up) below 100 KB, else megabytes with one decimal (0,5 MB)."""
    size = size or 0
    if size < 100 * 1024:
        return f"{format_number(math.ceil(size / 1024), 0)} KB"
    return f"{format_number(size / (1024 * 1024))} MB"


@cache
def form_messages(language: str) -> NullTranslations:
    """WTForms' own messages ("Not a valid integer value.", "This field is required." ...) in this language.

    WTForms ships no Vietnamese, so the portal keeps a `wtforms` catalogue beside its own; English falls
    through to WTForms' original text.
    """
    return Translations.load(str(TRANSLATIONS_DIR), [language], domain="wtforms")


def use_form_messages() -> None:
    """Hand every form of this request the catalogue of the page's language.

    Flask-WTF looks for the request's WTForms translations in `request.wtforms_translations` before loading
    WTForms' bundled ones (flask_wtf/i18n.py), so setting it here covers every FlaskForm in one place.
    """
    request.wtforms_translations = form_messages(str(get_locale()))


def register_i18n(app: Flask) -> None:
    app.before_request(use_form_messages)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["vndate"] = format_date_vn
    app.jinja_env.filters["vndatetime"] = format_datetime_vn
    app.jinja_env.filters["vntime"] = format_time_vn
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["count"] = format_number  # the older name, still used for counts in many templates
    app.jinja_env.filters["filesize"] = format_file_size

    @app.context_processor
    def language_context():
        language = str(get_locale())
        name = current_app.config["MINISTRY_NAME_EN" if language == "en" else "MINISTRY_NAME"]
        return {"current_language": language, "languages": current_app.config["LANGUAGES"], "ministry_name": name}
