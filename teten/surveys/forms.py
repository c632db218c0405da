from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from teten.programmes.models import Cohort, Programme


class SurveyOpenForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Programme"))
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        label=_("Cohort"),
        required=False,
        empty_label=_("The whole programme"),
        help_text=_("Everyone in the programme (or the cohort) whose participation has ended is invited."),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.for_municipality(municipality).filter(is_active=True)
        self.fields["cohort"].queryset = Cohort.objects.for_municipality(municipality).select_related("programme")
        self.fields["cohort"].label_from_instance = lambda c: f"{c.programme} – {c.name}"

    def clean(self):
        data = super().clean()
        if data.get("cohort") and data.get("programme") and data["cohort"].programme_id != data["programme"].pk:
            raise ValidationError({"cohort": _("The cohort belongs to another programme.")})
        return data


class AnswerForm(forms.Form):
    """One radio group per question; every question may be left unanswered."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=f"{number}. {question.text}",
                choices=[(c.value, c.label) for c in question.choices],
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": _("Choose one of the answers.")},
            )

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions if self.cleaned_data.get(f"q{q.pk}")}
