"""The form a coordinator or admin records the day's figure with."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.auth.forms import chosen_code
from portal.backlog.services import MAX_DOSSIERS, NOTE_LENGTH
from portal.util.forms import IntegerField


class BacklogForm(FlaskForm):
    as_of = DateField(_l("As of"), validators=[InputRequired(_l("Enter the date of the figure."))])
    dossiers = IntegerField(_l("Dossiers waiting for an account"), validators=[
        InputRequired(_l("Enter the number of dossiers.")),
        NumberRange(min=0, max=MAX_DOSSIERS, message=_l("Enter a whole number of dossiers from 0 to %(max)s.",
                                                         max=MAX_DOSSIERS))],
        description=_l("Dossiers received but not taken in because nobody had an account on the TTHC system."))
    # Checked by the service against the province's communes; anything else reads as the whole province.
    commune_code = SelectField(_l("Commune (optional)"), coerce=chosen_code, choices=[], validate_choice=False,
                               validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=NOTE_LENGTH)])

    def set_communes(self, communes) -> None:
        self.commune_code.choices = [SelectChoice("", _l("The whole province"))] + [
            SelectChoice(c.code, c.name) for c in communes]
