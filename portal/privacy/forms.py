"""The correction form of one's own contact entry (the contacts domain's clean_person holds the rules)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length


class CorrectionForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=30)])
