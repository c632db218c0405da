from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from teten.citizens.models import BenefitType, Readiness
from teten.core.forms import AmountField, DateInput
from teten.programmes.models import BookingRule, EligibilityKind, ExpenseCategory, FundingSource, LegalBasis, Programme


class FundingSourceForm(forms.ModelForm):
    amount = AmountField(label=_("Amount"), help_text=_("In kroner, e.g. 2.146.289,00."))

    class Meta:
        model = FundingSource
        fields = ["name", "kind", "amount", "account_code", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class ProgrammeForm(forms.ModelForm):
    max_citizen_tranche = AmountField(
        label=_("Largest payment to the citizen at a time"),
        required=False,
        help_text=_("In kroner. Larger amounts to the citizen are split into monthly tranches. Empty: no limit."),
    )

    class Meta:
        model = Programme
        fields = ["name", "kind", "description", "max_citizen_tranche", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class LegalBasisForm(forms.ModelForm):
    class Meta:
        model = LegalBasis
        fields = ["law", "paragraph", "title", "valid_from", "valid_to", "source_year"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The end date must be on or after the start date."))
        return data


class ExpenseCategoryForm(forms.ModelForm):
    class Meta:
        model = ExpenseCategory
        fields = ["code", "name", "help_text", "is_active"]


class BookingRuleForm(forms.ModelForm):
    class Meta:
        model = BookingRule
        fields = ["programme", "category", "legal_basis", "funding_source", "valid_from", "valid_to", "note"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
        help_texts = {
            "legal_basis": _("Leave empty when the expense has no legal basis (paid from funds that need none).")
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.for_municipality(municipality)
        self.fields["category"].queryset = ExpenseCategory.objects.for_municipality(municipality)
        self.fields["legal_basis"].queryset = LegalBasis.objects.for_municipality(municipality)
        self.fields["legal_basis"].empty_label = _("Without legal basis")
        self.fields["funding_source"].queryset = FundingSource.objects.for_municipality(municipality)

    def _post_clean(self):
        # Fill the instance only; the service checks periods and saves with a decision event.
        self.instance = construct_instance(self, self.instance, self._meta.fields)


class EligibilityRuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Condition"), choices=EligibilityKind.choices)
    benefit_type = forms.ChoiceField(
        label=_("Benefit"), choices=[("", "–")] + list(BenefitType.choices), required=False
    )
    readiness = forms.ChoiceField(
        label=_("Assessment"),
        required=False,
        choices=[
            ("", "–"),
            (Readiness.JOB_READY, Readiness.JOB_READY.label),
            (Readiness.ACTIVITY_READY, Readiness.ACTIVITY_READY.label),
        ],
    )
    number = forms.IntegerField(label=_("Number (years or months)"), required=False, min_value=0, max_value=120)
