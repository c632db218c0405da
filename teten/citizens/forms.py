from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from teten.accounts.models import Role, User
from teten.citizens.models import BenefitPeriod, Citizen
from teten.core import cpr as cpr_module
from teten.core.forms import DateInput


def _cpr_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        max_length=11,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
        **kwargs,
    )


class CitizenForm(forms.ModelForm):
    """The citizen's details. The CPR number is never put back into a page: a new citizen's is
    typed once, and a wrong one is corrected by typing the right one (CitizenEditForm)."""

    class Meta:
        model = Citizen
        fields = ["first_name", "last_name", "address", "postal_code", "city", "phone", "email", "assigned_consultant"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_consultant"].queryset = (
            User.objects.filter(municipality=municipality, is_active=True, role_assignments__role=Role.JOB_CONSULTANT)
            .order_by("first_name", "last_name")
            .distinct()
        )
        self.fields["postal_code"].widget.attrs["inputmode"] = "numeric"

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if code and not (code.isdigit() and len(code) == 4):
            raise forms.ValidationError(_("A postal code is four digits."))
        return code

    def _post_clean(self):
        # The service validates the model and saves it; the form only checks what was typed.
        pass

    def citizen_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CitizenCreateForm(CitizenForm):
    cpr = _cpr_field(
        label=_("CPR number"), help_text=_("10 digits, DDMMYY-XXXX. Birth date and gender are read from it.")
    )
    field_order = ["cpr"]

    def clean_cpr(self):
        return cpr_module.validate(self.cleaned_data["cpr"])

    def citizen_fields(self) -> dict:
        return {"cpr": self.cleaned_data["cpr"], **super().citizen_fields()}


class CitizenEditForm(CitizenForm):
    new_cpr = _cpr_field(
        label=_("Correct the CPR number"),
        required=False,
        help_text=_("Only if the registered CPR number is wrong: type the right one. Leave empty otherwise."),
    )

    def clean_new_cpr(self):
        value = self.cleaned_data["new_cpr"]
        return cpr_module.validate(value) if value.strip() else ""

    def citizen_fields(self) -> dict:
        fields = super().citizen_fields()
        if self.cleaned_data.get("new_cpr"):
            fields["cpr"] = self.cleaned_data["new_cpr"]
        return fields


class BenefitPeriodForm(forms.ModelForm):
    class Meta:
        model = BenefitPeriod
        fields = ["benefit_type", "readiness", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {"end_date": _("Leave empty if the citizen still receives the benefit.")}

    def _post_clean(self):
        # Fill the instance only; the service validates it with plain-language messages and saves.
        self.instance = construct_instance(self, self.instance, self._meta.fields)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, CPR number or birth date"),
        max_length=100,
        help_text=_("For example Jens Hansen, 010180-1234 or 010180."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "type": "search"}),
    )
