from django import forms
from django.utils.translation import gettext_lazy as _

from teten.core.forms import DateInput
from teten.programmes.models import Cohort


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "selection_mode", "sparring", "starts_on"]
        widgets = {"starts_on": DateInput()}


class DrawForm(forms.Form):
    drawn_count = forms.IntegerField(label=_("Citizens to be offered"), min_value=1, max_value=100_000)
    control_count = forms.IntegerField(label=_("Citizens in the control group"), min_value=0, max_value=100_000)
    seed = forms.CharField(
        label=_("Seed (optional)"),
        max_length=40,
        required=False,
        help_text=_("Leave empty and Teten chooses one. With the same seed and pool, the draw gives the same list."),
    )
    allow_repeat = forms.BooleanField(
        label=_("Citizens from earlier draws of the programme may be drawn again"), required=False
    )


class OutcomeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Outcome file (CSV)"),
        help_text=_("One row per citizen per month. The format is described below."),
    )


class MonthForm(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], required=False)
