"""How a citizen proves who they are: the adapter point for MitID.

Settings name the provider: `TETEN_CITIZEN_IDENTITY_PROVIDER = "dotted.path.ToClass"`. A provider
has a `login(request)` view that starts (and, for simple providers, finishes) the login, and may
add URL patterns under /mit/login/ through `urlpatterns()`. Once it knows the citizen's CPR for
certain, it calls `teten.portal.session.citizen_login(request, citizen)` with the citizen found by
`citizens_for_cpr(cpr)`.

Production: MitID through an OIDC broker (e.g. NemLog-in's OIDC interface or a commercial broker).
A provider for that redirects to the broker's authorisation endpoint with `scope=openid ssn`, receives
the code on a callback URL it adds with `urlpatterns()`, exchanges it for an ID token, verifies the
token's signature, issuer, audience and nonce, reads the CPR claim (e.g. `dk:gov:saml:attribute:CprNumberIdentifier`
on NemLog-in, `dk.cpr` on brokers) and calls `citizen_login`. NemLog-in's SAML interface fits the same
shape with an assertion consumer URL instead of a callback. Nothing else in Teten changes.

Demo and tests: `OneTimeLinkProvider` e-mails a one-time link (the console e-mail backend prints it;
`make run` prints links for demo citizens).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from teten.citizens.models import Citizen
from teten.portal.forms import LoginLinkForm
from teten.portal.models import CitizenLoginToken
from teten.portal.session import citizen_login


def citizens_for_cpr(cpr: str) -> list[Citizen]:
    """Every municipality's record of this person (normally one). Identity providers only."""
    return list(Citizen.objects.all_municipalities().filter(cpr=cpr).select_related("municipality"))


class IdentityProvider:
    """Base class: a provider shows the login page and logs the citizen in when sure."""

    name = ""

    def login(self, request):
        raise NotImplementedError

    def urlpatterns(self) -> list:
        return []


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class OneTimeLinkProvider(IdentityProvider):
    """Demo provider: a single-use link, valid for TETEN_LOGIN_LINK_MINUTES, sent by e-mail."""

    name = "one-time-link"

    def login(self, request):
        form = LoginLinkForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            for citizen in Citizen.objects.all_municipalities().filter(email__iexact=email):
                self.send_link(citizen)
            # The same answer whether or not the address is known, so the page reveals nothing.
            return render(request, "portal/login_sent.html", {"email": email})
        return render(request, "portal/login.html", {"form": form})

    def urlpatterns(self) -> list:
        return [path("login/link/<str:token>/", self.confirm, name="login_link")]

    @staticmethod
    def issue_link(citizen: Citizen) -> str:
        token = secrets.token_urlsafe(32)
        CitizenLoginToken.objects.create(
            citizen=citizen,
            token_hash=_hash(token),
            expires_at=timezone.now() + timedelta(minutes=settings.TETEN_LOGIN_LINK_MINUTES),
        )
        return settings.TETEN_PUBLIC_URL.rstrip("/") + reverse("portal:login_link", args=[token])

    def send_link(self, citizen: Citizen) -> None:
        link = self.issue_link(citizen)
        send_mail(
            subject=_("Your login link for Teten"),
            message=_(
                "Hello %(name)s\n\nUse this link to log in to My pages in Teten. It works once, "
                "within %(minutes)s minutes:\n\n%(link)s\n\nIf you did not ask for it, you can ignore this e-mail."
            )
            % {"name": citizen.first_name, "minutes": settings.TETEN_LOGIN_LINK_MINUTES, "link": link},
            from_email=None,
            recipient_list=[citizen.email],
        )

    def confirm(self, request, token: str):
        """GET shows a button (so mail scanners that open links do not use them up); POST logs in."""
        if getattr(request, "citizen", None):
            return redirect("portal:home")
        if request.method != "POST":
            return render(request, "portal/login_confirm.html")
        with transaction.atomic():
            row = (
                CitizenLoginToken.objects.select_for_update()
                .select_related("citizen__municipality")
                .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
                .first()
            )
            if row is None:
                return render(request, "portal/login_confirm.html", {"invalid": True}, status=400)
            # Mark used with a conditional update: two clicks at once cannot both log in.
            claimed = CitizenLoginToken.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now())
            if not claimed:
                return render(request, "portal/login_confirm.html", {"invalid": True}, status=400)
        citizen_login(request, row.citizen)
        return redirect("portal:home")


def provider() -> IdentityProvider:
    return import_string(settings.TETEN_CITIZEN_IDENTITY_PROVIDER)()
