"""The report period picker: a week or a month (HTML's week and month inputs, text where a browser has neither)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional, ValidationError
from wtforms.widgets import MonthInput, WeekInput

from portal.reports.models import NOTE_LENGTH
from portal.util.query import FIRST_DAY, LAST_DAY, parse_iso_week, parse_month

KINDS = ("weekly", "monthly")


def parsed_by(parse, message):
    """A validator: the field's text must be understood by the query parser that the report will use."""

    def check(_form, field):
        if parse(field.data) is None:
            raise ValidationError(message)

    return check


class PeriodForm(FlaskForm):
    """GET, so no CSRF token; a wrong value is a message beside its field, never a missing page."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), default="weekly", validate_choice=False,
                       choices=[SelectChoice("weekly", _l("Weekly")), SelectChoice("monthly", _l("Monthly"))],
                       validators=[AnyOf(KINDS, message=_l("Choose weekly or monthly."))])
    week = StringField(_l("Week"), widget=WeekInput(), description=_l("For example 2026-W04"),
                       validators=[Optional(), parsed_by(
        parse_iso_week, _l("Choose a week between %(first)s and %(last)s, written like 2026-W04.",
                           first=FIRST_DAY.year, last=LAST_DAY.year))])
    month = StringField(_l("Month"), widget=MonthInput(), description=_l("For example 2026-01"),
                        validators=[Optional(), parsed_by(
        parse_month, _l("Choose a month between %(first)s and %(last)s, written like 2026-01.",
                        first=FIRST_DAY.year, last=LAST_DAY.year))])
    province = SelectField(_l("Province"), default="", validate_choice=False)  # codes as text: never a coercion error

    def set_provinces(self, provinces) -> None:
        """National ("") or one of the provinces the user may see; any other code is a message, not a 404."""
        self.province.choices = [SelectChoice("", _l("National"))] + [SelectChoice(str(p.code), p.name)
                                                                       for p in provinces]
        self.province.validators = [Optional(), AnyOf([choice.value for choice in self.province.choices],
                                                      message=_l("Choose a province from the list."))]


class NoteForm(FlaskForm):
    """The ministry's "Khó khăn, đề xuất" for the period shown above it."""

    note = TextAreaField(_l("Difficulties and proposals"), validators=[Length(max=NOTE_LENGTH, message=_l(
        "Write at most %(max)d characters."))], description=_l("Written by the ministry; included in the download."))
