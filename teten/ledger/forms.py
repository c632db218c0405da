from django import forms
from django.utils.translation import gettext_lazy as _

from teten.core.forms import DateInput
from teten.ledger.models import LedgerAccount


class AsOfForm(forms.Form):
    dato = forms.DateField(label=_("Balances as of"), widget=DateInput(), required=False)


class AccountForm(forms.ModelForm):
    class Meta:
        model = LedgerAccount
        fields = ["code", "name"]
        help_texts = {"code": _("The number the finance system uses; it goes into the posting files.")}
