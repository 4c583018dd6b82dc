"""Every form of the portal answers wrong input in the page's language: no WTForms English leaks into Vietnamese."""
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
import wtforms
from babel.messages.pofile import read_po
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FileField, FormField, SelectFieldBase

import portal

ROOT = Path(__file__).resolve().parents[2]
WRONG_VALUES = ("", "không phải số ✗", "9" * 3000, "2026-13-45", "-1")


FORM_CLASS = re.compile(r"^class \w+\([^)]*Form\b", re.M)


def portal_forms() -> list[type[FlaskForm]]:
    """Every FlaskForm subclass of the portal, found by importing each domain's forms module.

    Only forms modules are imported: importing every module out of the app's order would change what
    the CLI offers (job names are collected as task modules load).
    """
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("portal."):
            found.append(cls)
    return sorted(set(found), key=lambda c: (c.__module__, c.__name__))


def pattern(message: str) -> re.Pattern:
    """A message with its placeholders (%(min)d, %(values)s) standing for anything."""
    parts = re.split(r"%\(\w+\)[sd]", message)
    return re.compile(".+?".join(re.escape(part) for part in parts))


def catalogue(path: Path):
    with open(path, "rb") as po:
        return read_po(po, locale="vi")


def english_messages() -> list[re.Pattern]:
    """WTForms' own messages, and the portal's English messages that Vietnamese says differently."""
    wtforms_pot = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
    messages = []
    for message in catalogue(wtforms_pot):
        messages.extend(message.id if isinstance(message.id, tuple) else [message.id])
    for message in catalogue(ROOT / "portal/translations/vi/LC_MESSAGES/messages.po"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        messages.extend(i for i in ids if i and i not in strings)
    return [pattern(m) for m in messages if m and len(m) > 3]


def wrong_data(form: FlaskForm, value: str) -> MultiDict:
    data = MultiDict()
    for field in form:
        if isinstance(field, FormField):
            for sub in field:
                data.add(sub.name, value)
        elif not isinstance(field, FileField):
            data.add(field.name, value)
    return data


def errors_of(form: FlaskForm) -> list[str]:
    found = list(form.form_errors)
    for messages in form.errors.values():
        for message in messages:
            found.extend(message.values() if isinstance(message, dict) else [message])
    return [str(m) for m in found]


def test_the_walk_finds_every_form():
    names = {cls.__name__ for cls in portal_forms()}
    assert {"InviteForm", "ScopeForm", "LoginForm"} <= names and len(names) >= 25
    elsewhere = [str(path.relative_to(ROOT)) for path in (ROOT / "portal").rglob("*.py")
                 if path.name != "forms.py" and FORM_CLASS.search(path.read_text(encoding="utf-8"))]
    assert not elsewhere, f"forms outside a forms.py module escape this walk: {elsewhere}"


def test_the_wtforms_catalogue_translates_every_message_of_wtforms():
    wtforms_pot = catalogue(Path(wtforms.__file__).parent / "locale" / "wtforms.pot")
    ours = catalogue(ROOT / "portal/translations/vi/LC_MESSAGES/wtforms.po")
    for message in wtforms_pot:
        if message.id:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            translated = ours.get(key)
            string = translated.string if translated else ""
            assert (string[0] if isinstance(string, tuple) else string), key


@pytest.mark.parametrize("form_class", portal_forms(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_wrong_input_is_answered_in_vietnamese(app, form_class, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    english = english_messages()
    seen = []
    for value in WRONG_VALUES:
        with app.test_request_context("/", method="POST"):
            app.preprocess_request()  # the page's language and its form messages, as for a real request
            form = form_class(formdata=None)
            form = form_class(formdata=wrong_data(form, value))
            for field in form:
                if isinstance(field, SelectFieldBase) and getattr(field, "choices", None) is None:
                    field.choices = [(1, "Một")]
            form.validate()
            seen.extend(errors_of(form))
    leaks = sorted({m for m in seen if any(p.fullmatch(m) for p in english)})
    assert not leaks, f"English on a Vietnamese page: {leaks}"


def test_the_same_input_in_english_gets_wtforms_english(app, monkeypatch):
    """The catalogue follows the page's language: an English page keeps WTForms' own words."""
    from portal.auth.forms import InvitationProvinceForm

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    for language, expected in (("vi", "Lựa chọn không hợp lệ."), ("en", "Invalid Choice: could not coerce.")):
        with app.test_request_context("/", method="POST"):
            from flask import session

            session["language"] = language
            app.preprocess_request()
            form = InvitationProvinceForm(formdata=MultiDict({"province_code": "abc"}))
            form.province_code.choices = [(40, "Nghệ An")]
            assert not form.validate() and form.province_code.errors[0] == expected
