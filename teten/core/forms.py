"""Form rendering and form fields shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from teten.core.money import format_kroner, parse_kroner


class Renderer(TemplatesSetting):
    """Fields render with their label, help text and errors tied together (aria-describedby)."""

    form_template_name = "core/forms/div.html"
    field_template_name = "core/forms/field.html"


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent as YYYY-MM-DD whatever the language."""

    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class AmountField(forms.Field):
    """An amount in kroner typed the Danish way (1.234,56); cleans to integer øre."""

    widget = forms.TextInput
    MAX_CHARACTERS = 20

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": self.MAX_CHARACTERS})

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_kroner(value, symbol=False)
        return value

    def to_python(self, value):
        value = (value or "").strip()
        if value in self.empty_values:
            return None
        if len(value) > self.MAX_CHARACTERS:
            raise ValidationError(_("Write the amount in kroner, for example 1.234,56."), code="invalid")
        return parse_kroner(value, allow_zero=self.allow_zero)


def add_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: at the field it names, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
