"""Forms of the materials library."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.materials.models import PLATFORMS
from portal.training.forms import AUDIENCE_LABELS

PLATFORM_LABELS = dict(zip(PLATFORMS, (
    _l("Bình dân học vụ số"), _l("The ministry's portal"), _l("National Public Service Portal"))))


class MaterialForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(_l("Enter the title of the material.")), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    audience = SelectField(_l("Audience"), choices=[SelectChoice(k, v) for k, v in AUDIENCE_LABELS.items()])
    version = StringField(_l("Version"), validators=[Optional(), Length(max=40)])
    published_on = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    is_public = BooleanField(_l("Public (listed on the public page)"), default=True)
    file = FileField(_l("File (PDF, DOCX, XLSX or MP4)"))
    link = StringField(_l("Or a link (video, e-learning course)"), validators=[Optional(), Length(max=500)])


class AttachForm(FlaskForm):
    material_id = SelectField(_l("Material"), coerce=int)


class PublicationForm(FlaskForm):
    """Where the material is also published: a platform, the link there and the day it went up."""

    platform = SelectField(_l("Platform"), choices=[SelectChoice(k, v) for k, v in PLATFORM_LABELS.items()])
    url = StringField(_l("Link on that platform"), validators=[
        InputRequired(_l("Give the link to the material on that platform.")), Length(max=500)])
    published_on = DateField(_l("Published on"), validators=[InputRequired(_l("Enter the date."))])
