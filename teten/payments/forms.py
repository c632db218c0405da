import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from teten.core.forms import AmountField, DateInput
from teten.payments.models import ClaimReason, Payee
from teten.payments.reconciliation import MAX_FILE_BYTES


class IdempotentForm(forms.Form):
    """Carries a key made when the form is shown, so pressing "send" twice does the thing once."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4().hex)


class PaymentForm(IdempotentForm):
    payee = forms.ChoiceField(
        label=_("Paid to"), choices=Payee.choices, widget=forms.RadioSelect, initial=Payee.SUPPLIER
    )
    amount = AmountField(
        label=_("Amount incl. VAT"),
        help_text=_("To the citizen, amounts above the programme's maximum are split into monthly tranches."),
    )
    due_date = forms.DateField(label=_("Pay on"), widget=DateInput())
    description = forms.CharField(
        label=_("Text"), max_length=150, help_text=_("Shown to the citizen and in the accounts.")
    )
    supplier_name = forms.CharField(label=_("Supplier"), max_length=150, required=False, help_text=_("Invoices only."))
    supplier_cvr = forms.CharField(label=_("Supplier's CVR number"), max_length=12, required=False)
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=50, required=False)
    ean = forms.CharField(
        label=_("Invoiced EAN number"),
        max_length=17,
        required=False,
        help_text=_("Leave empty to use the municipality's own EAN number."),
    )


class BatchCreateForm(IdempotentForm):
    payment_date = forms.DateField(
        label=_("Payment date"),
        widget=DateInput(),
        help_text=_("Approved payments due by this date are put in the batch."),
    )


class ReconciliationForm(forms.Form):
    file = forms.FileField(
        label=_("Confirmation file from the bank (CSV)"),
        help_text=_("Columns: reference;beløb;dato;status. At most 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ClaimForm(IdempotentForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=ClaimReason.choices)
    amount = AmountField(label=_("Amount"))
    description = forms.CharField(label=_("Description"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class ClaimEntryForm(IdempotentForm):
    amount = AmountField(label=_("Amount"))
    on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note or reason"), max_length=300, required=False)


class ReissueForm(IdempotentForm):
    due_date = forms.DateField(label=_("Pay on"), widget=DateInput())
