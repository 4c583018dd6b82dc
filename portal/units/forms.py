"""Forms of the unit pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from portal.units.services import COMMUNE_KIND_LABELS


def commune_kind_choices() -> list[SelectChoice]:
    """"All kinds" and xã, phường, đặc khu, for the filters above commune lists."""
    return [SelectChoice("", _l("All kinds"))] + [SelectChoice(k, v) for k, v in COMMUNE_KIND_LABELS.items()]


class UnitSearchForm(FlaskForm):
    """Search by name, with or without diacritics (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Kind"), choices=commune_kind_choices(), validators=[Optional()])


class DepartmentNameForm(FlaskForm):
    name = StringField(
        _l("Department name"),
        validators=[InputRequired(_l("The department needs a name.")), Length(max=200)],
    )
