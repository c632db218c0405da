import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from teten.accounts.models import Team
from teten.budgets.models import (
    BudgetLine,
    BudgetSettings,
    ChangeKind,
    Colour,
    ConversationForm,
    DeclineReason,
    Education,
    FinalStatus,
    LineStatus,
    MeetingWish,
    MisuseKind,
)
from teten.core.forms import AmountField, DateInput
from teten.programmes.models import ExpenseCategory

VAT_HELP = _(
    "Write the price including VAT (moms), as it is in the shop. A course of 4.000 kr. plus VAT costs 5.000 kr."
)


class LineForm(forms.Form):
    """One line of the citizen's budget. Every field keeps what was typed when something is wrong."""

    category = forms.ModelChoiceField(label=_("What kind of expense?"), queryset=ExpenseCategory.objects.none())
    description = forms.CharField(
        label=_("What is it?"), max_length=200, help_text=_("For example: Forklift certificate.")
    )
    supplier = forms.CharField(
        label=_("Where? (if you know)"), max_length=150, required=False, help_text=_("The shop, school or firm.")
    )
    amount = AmountField(label=_("Price including VAT"), help_text=VAT_HELP)
    planned_month = forms.TypedChoiceField(label=_("When?"), coerce=datetime.date.fromisoformat)
    justification = forms.CharField(
        label=_("How does this bring you closer to work?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences in your own words. Your job consultant decides from them."),
    )

    def __init__(self, *args, categories, months: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["category"].empty_label = _("Choose")
        self.fields["planned_month"].choices = [("", _("Choose a month"))] + [
            (m.isoformat(), formats.date_format(m, "YEAR_MONTH_FORMAT").capitalize()) for m in months
        ]

    @classmethod
    def initial_for(cls, line: BudgetLine) -> dict:
        return {
            "category": line.category_id,
            "description": line.description,
            "supplier": line.supplier,
            "amount": line.amount,
            "planned_month": line.planned_month.isoformat(),
            "justification": line.justification,
        }


class ProfileForm(forms.Form):
    job_wish = forms.CharField(label=_("What job do you want?"), max_length=200, required=False)
    education = forms.ChoiceField(
        label=_("Your education"), choices=[("", "–")] + list(Education.choices), required=False
    )
    meeting_wish = forms.ChoiceField(
        label=_("How often do you want to meet your job consultant?"),
        choices=[("", "–")] + list(MeetingWish.choices),
        required=False,
    )


class AcceptForm(forms.Form):
    declaration = forms.BooleanField(label=_("I sign the declaration above on my honour (tro og love)."), required=True)


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why do you say no?"), choices=DeclineReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Anything you want to add (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LineReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (LineStatus.APPROVED, _("Approve")),
            (LineStatus.NEEDS_ARGUMENT, _("Ask for a better argument")),
            (LineStatus.REJECTED, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the citizen"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssessmentForm(forms.Form):
    colour = forms.ChoiceField(label=_("Traffic light"), choices=Colour.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you want?"), choices=ChangeKind.choices, widget=forms.RadioSelect)
    line = forms.ModelChoiceField(label=_("Which line?"), queryset=BudgetLine.objects.none(), required=False)
    new_supplier = forms.CharField(label=_("New place"), max_length=150, required=False)
    new_amount = AmountField(label=_("New price including VAT"), required=False)
    new_end = forms.DateField(label=_("Until when?"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Why?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
        self.fields["line"].empty_label = _("Choose")


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the citizen"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReceiptUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or PDF of the receipt"),
        help_text=_("Take a picture with your phone, or choose a PDF. At most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"}),
    )


class ReceiptReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("The receipt"),
        choices=[("1", _("Accept")), ("0", _("Not accepted"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment to the citizen"), required=False, max_length=300)
    original_received_on = forms.DateField(
        label=_("Original paper receipt received on"), required=False, widget=DateInput()
    )


class ConversationLogForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    form = forms.ChoiceField(label=_("Form"), choices=ConversationForm.choices)
    note = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class MisuseForm(forms.Form):
    amount = AmountField(label=_("Amount misused"))
    kind = forms.ChoiceField(label=_("Kind"), choices=MisuseKind.choices)
    note = forms.CharField(label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class StopForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the collaboration stopped?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    final_status = forms.ChoiceField(label=_("Where is the citizen now?"), choices=FinalStatus.choices)


class BudgetSettingsForm(forms.ModelForm):
    cap = AmountField(label=_("Cap per citizen, including VAT"), help_text=_("In kroner, e.g. 50.000,00."))

    class Meta:
        model = BudgetSettings
        fields = ["cap", "window_months", "receipt_deadline_days", "team"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(municipality=municipality)
