from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from teten.accounts import services
from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.accounts.forms import StaffCreateForm, StaffEditForm, StaffLoginForm
from teten.accounts.models import User
from teten.accounts.rules import can
from teten.citizens.models import Citizen
from teten.core.forms import add_validation_error


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = "core:home"


@staff_view()
def start(request):
    """The staff start page: who you are, and where your work is."""
    user = request.user
    context = {"nav": "start"}
    if can(user, "citizens.view"):
        # A count is not a use of anyone's personal data, so it is not logged.
        context["my_citizen_count"] = (
            Citizen.objects.for_municipality(user.municipality).filter(assigned_consultant=user).count()
        )
    return render(request, "accounts/start.html", context)


@staff_view()
@require_http_methods(["GET", "POST"])
def profile(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "nav": "profile"})


@staff_view("accounts.manage_staff")
def staff_list(request):
    staff = (
        User.objects.filter(municipality=request.user.municipality)
        .prefetch_related("role_assignments")
        .order_by("-is_active", "first_name", "last_name")
    )
    return render(request, "accounts/staff_list.html", {"staff": staff, "nav": "staff"})


@staff_view("accounts.manage_staff")
@require_http_methods(["GET", "POST"])
def staff_create(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.staff_create(
                actor=request.user,
                municipality=request.user.municipality,
                username=data["username"],
                password=data["password"],
                roles=set(data["roles"]),
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been created.") % {"name": user})
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html", {"form": form, "nav": "staff", "creating": True})


@staff_view("accounts.manage_staff")
@require_http_methods(["GET", "POST"])
def staff_edit(request, user_id: int):
    staff = get_for_staff(User, user=request.user, permission="accounts.manage_staff", pk=user_id)
    form = StaffEditForm(request.POST or None, instance=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_update(
                actor=request.user,
                staff=staff,
                roles=set(data["roles"]),
                is_active=data["is_active"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been updated.") % {"name": staff})
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html", {"form": form, "nav": "staff", "staff": staff})
