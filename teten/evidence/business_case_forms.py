"""The business-case calculator's inputs: amounts typed the Danish way, every one editable."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from teten.core.forms import AmountField
from teten.core.money import ORE_PER_KRONE
from teten.evidence.business_case import BudgetCaseInputs, MicroloanCaseInputs

AMOUNT_ERRORS = {"required": _("Enter an amount.")}


def _amount(label, help_text=""):
    return AmountField(allow_zero=True, label=label, help_text=help_text, error_messages=AMOUNT_ERRORS)


def _whole(label, *, minimum: int, maximum: int, message, help_text=""):
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=minimum,
        max_value=maximum,
        error_messages={
            "required": _("Enter a number."),
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 4}),
    )


def kroner(ore: int) -> Decimal:
    return Decimal(ore) / ORE_PER_KRONE


class BudgetCaseForm(forms.Form):
    benefit_per_year = _amount(_("Cash benefit a year"))
    case_handling_per_year = _amount(_("Case handling a year"))
    activation_per_year = _amount(_("Activation a year"))
    budget_per_citizen = _amount(_("Personal budget per citizen"))
    consultants_per_citizen = _amount(_("Consultants at the collective courses, per citizen"))
    catering_per_citizen = _amount(_("Catering per citizen"))
    speakers_per_citizen = _amount(_("Speakers per citizen"))

    YEARLY = ("benefit_per_year", "case_handling_per_year", "activation_per_year")
    OFFER = ("budget_per_citizen", "consultants_per_citizen", "catering_per_citizen", "speakers_per_citizen")

    def clean(self):
        data = super().clean()
        if all(name in data for name in self.YEARLY) and sum(data[name] for name in self.YEARLY) == 0:
            raise ValidationError(
                {"benefit_per_year": _("The yearly cost must be more than 0 kr., or nothing can be saved.")}
            )
        return data

    def inputs(self) -> BudgetCaseInputs:
        return BudgetCaseInputs(**{name: kroner(self.cleaned_data[name]) for name in self.YEARLY + self.OFFER})


class MicroloanCaseForm(forms.Form):
    prefix = "mikro"

    cost_per_participant = _amount(_("Project cost per participant"))
    yearly_cost_on_benefit = AmountField(
        label=_("Yearly cost of a citizen on public support"), error_messages=AMOUNT_ERRORS
    )
    years = _whole(
        _("Years self-supporting"), minimum=1, maximum=50, message=_("Write a whole number of years from 1 to 50.")
    )
    class_size = _whole(
        _("Participants in a class"),
        minimum=1,
        maximum=1000,
        message=_("Write a whole number of participants from 1 to 1000."),
    )

    def inputs(self) -> MicroloanCaseInputs:
        d = self.cleaned_data
        return MicroloanCaseInputs(
            cost_per_participant=kroner(d["cost_per_participant"]),
            yearly_cost_on_benefit=kroner(d["yearly_cost_on_benefit"]),
            years=d["years"],
            class_size=d["class_size"],
        )
