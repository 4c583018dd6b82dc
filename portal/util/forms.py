"""Form helpers shared by the domains."""
import re

import wtforms
from flask_wtf import FlaskForm

from portal.core.errors import DomainError


def add_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal next to the field it names, or above the form when it names none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(error.message)]
    else:
        form.form_errors.append(str(error.message))


# WTForms' own message for a bad integer: translated in the `wtforms` catalogue, not in the portal's.
NOT_AN_INTEGER = "Not a valid integer value."


class IntegerField(wtforms.IntegerField):
    """WTForms' IntegerField for ASCII digits of a sane length only.

    `int()` takes Arabic-Indic digits and numbers of thousands of digits, on which NumberRange overflows
    (`math.isnan` of a huge int) and the request fails; both are answered as "Not a valid integer value." instead.
    """

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0] not in (None, "") and not re.fullmatch(r"\s*-?[0-9]{1,18}\s*", str(valuelist[0])):
            self.data = None
            raise ValueError(self.gettext(NOT_AN_INTEGER))
        super().process_formdata(valuelist)
