from django import forms
from django.utils.translation import gettext_lazy as _

from teten.core.forms import AmountField, DateInput
from teten.loans.models import BusinessStatus, LoanSettings, Outcome
from teten.programmes.models import FundingSource, Programme, ProgrammeKind

SCORES = [(str(n), str(n)) for n in range(1, 6)]


class ReferralForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    reason = forms.CharField(
        label=_("Why do you refer the citizen?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.for_municipality(municipality).filter(
            kind=ProgrammeKind.MICROLOAN, is_active=True
        )
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:  # nothing to choose: the one programme is chosen
            self.fields["programme"].empty_label = None
            self.fields["programme"].initial = programmes[0].pk


class DateForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())


class InterviewForm(forms.Form):
    on = forms.DateField(label=_("Date of the interview"), widget=DateInput())
    idea = forms.TypedChoiceField(
        label=_("The business idea (1-5)"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    professional = forms.TypedChoiceField(
        label=_("Professional prerequisites (1-5)"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    personal = forms.TypedChoiceField(
        label=_("Personal prerequisites and motivation (1-5)"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    profile = forms.CharField(label=_("Person profile"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SelectionForm(forms.Form):
    selected = forms.TypedChoiceField(
        label=_("Selected for the course programme?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ModuleForm(forms.Form):
    sessions = forms.IntegerField(label=_("Sessions attended"), min_value=0, max_value=200)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DateInput())


class PlanForm(forms.Form):
    business_name = forms.CharField(label=_("Name of the business"), max_length=150)
    idea = forms.CharField(label=_("The idea"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_revenue = AmountField(label=_("Expected revenue the first year"))
    expected_costs = AmountField(label=_("Expected costs the first year"), allow_zero=True)
    expected_customers = forms.CharField(label=_("Expected customers"), widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("The business plan (PDF)"), required=False)


class RecommendationForm(forms.Form):
    customers = forms.BooleanField(label=_("There are customers and a market"), required=False)
    health = forms.BooleanField(label=_("Health allows running a business"), required=False)
    family = forms.BooleanField(label=_("The family supports it"), required=False)
    budget = forms.BooleanField(label=_("The budget holds"), required=False)
    notes = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 3}))
    amount = AmountField(label=_("Recommended loan"))
    support_months = forms.IntegerField(label=_("Months of support during establishment"), min_value=0, max_value=24)
    keeps_pension = forms.BooleanField(label=_("Keeps a disability pension (no support)"), required=False)


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve the loan")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (when refusing)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(ReasonForm):
    months = forms.IntegerField(label=_("More months"), min_value=1, max_value=12)


class RescheduleForm(ReasonForm):
    first_due = forms.DateField(label=_("First instalment"), widget=DateInput())
    instalment = AmountField(label=_("Instalment a month"), required=False)
    count = forms.IntegerField(label=_("or: number of instalments"), required=False, min_value=1, max_value=600)


class RepaymentForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    amount = AmountField(label=_("Amount received"))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())


class FollowUpForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=DateInput())
    status = forms.ChoiceField(label=_("The business"), choices=BusinessStatus.choices)
    revenue = AmountField(label=_("Revenue this month"), required=False, allow_zero=True)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(forms.Form):
    months_after = forms.TypedChoiceField(
        label=_("Months after the payout"), choices=[("6", "6"), ("12", "12"), ("24", "24")], coerce=int
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    business_status = forms.ChoiceField(label=_("The business"), choices=BusinessStatus.choices)
    note = forms.CharField(label=_("Note"), required=False)


class LoanSettingsForm(forms.ModelForm):
    loan_min = AmountField(label=_("Smallest loan"))
    loan_max = AmountField(label=_("Largest loan"))
    monthly_support = AmountField(label=_("Support a month during establishment"), allow_zero=True)
    instalment_amount = AmountField(label=_("Instalment a month"), required=False)

    class Meta:
        model = LoanSettings
        fields = [
            "loan_min",
            "loan_max",
            "establishment_months",
            "max_extension_months",
            "monthly_support",
            "grace_months",
            "instalment_amount",
            "instalment_count",
            "reminder_after_days",
            "decision_target_days",
            "remission_note",
            "loan_pool",
            "support_pool",
        ]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        pools = FundingSource.objects.for_municipality(municipality)
        self.fields["loan_pool"].queryset = pools
        self.fields["support_pool"].queryset = pools

    def clean(self):
        data = super().clean()
        if data.get("instalment_amount") and data.get("instalment_count"):
            self.add_error("instalment_count", _("Give either an instalment amount or a number of instalments."))
        if data.get("loan_min") and data.get("loan_max") and data["loan_max"] < data["loan_min"]:
            self.add_error("loan_max", _("The largest loan must be at least the smallest."))
        return data


class CourseModuleForm(forms.Form):
    name = forms.CharField(label=_("Module"), max_length=100)
    duration = forms.CharField(
        label=_("Duration"), max_length=50, required=False, help_text=_("E.g. 8 weeks or 4 days.")
    )
    required = forms.BooleanField(label=_("Required to complete the course programme"), required=False, initial=True)
