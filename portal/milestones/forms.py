"""The form of one key date of the transition calendar."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.milestones.models import DUTY_LENGTH, TITLE_LENGTH
from portal.milestones.services import DUTY_COLUMNS, MilestoneInput


def duty_field(label):
    return TextAreaField(label, validators=[Optional(), Length(max=DUTY_LENGTH)])


class MilestoneForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    title_vi = StringField(_l("Title in Vietnamese"), validators=[
        InputRequired(_l("Enter the title in Vietnamese.")), Length(max=TITLE_LENGTH)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=TITLE_LENGTH)],
                           description=_l("Empty: English readers see the Vietnamese title."))
    for_departments = duty_field(_l("Departments must have done (Vietnamese)"))
    for_departments_en = duty_field(_l("Departments must have done (English)"))
    for_communes = duty_field(_l("Communes must have done (Vietnamese)"))
    for_communes_en = duty_field(_l("Communes must have done (English)"))
    for_provinces = duty_field(_l("Provinces must have done (Vietnamese)"))
    for_provinces_en = duty_field(_l("Provinces must have done (English)"))

    def details(self) -> MilestoneInput:
        return MilestoneInput(day=self.day.data, title_vi=self.title_vi.data or "", title_en=self.title_en.data or "",
                              duties={name: getattr(self, name).data or "" for name in DUTY_COLUMNS})
