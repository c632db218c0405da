from django import forms
from django.utils.translation import gettext_lazy as _

from teten.core.forms import AmountField, DateInput


class CourseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=40, initial=15, help_text=_("12-15 citizens works best.")
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    topic = forms.CharField(label=_("Topic"), max_length=200)


class CostForm(forms.Form):
    label = forms.CharField(label=_("What"), max_length=100, help_text=_("For example: Catering."))
    amount_per_citizen = AmountField(label=_("Per citizen"))
