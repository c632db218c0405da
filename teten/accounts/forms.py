from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from teten.accounts.models import Role, User


class StaffLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. After several attempts you will have to wait a "
            "while before you can try again."
        ),
        "inactive": _("This account has been closed. Contact your administrator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No autofocus: the first Tab must reach the "skip to content" link (WCAG 2.4.1).
        self.fields["username"].widget.attrs.pop("autofocus", None)

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.municipality_id:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")


class StaffForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        if self.instance.pk:
            self.fields["roles"].initial = sorted(self.instance.roles)


class StaffCreateForm(StaffForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("First password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. The colleague changes it after logging in."),
    )

    class Meta(StaffForm.Meta):
        fields = ["username", "first_name", "last_name", "email"]


class StaffEditForm(StaffForm):
    is_active = forms.BooleanField(label=_("May log in"), required=False)

    class Meta(StaffForm.Meta):
        fields = ["first_name", "last_name", "email", "is_active"]
