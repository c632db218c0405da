"""Idle and absolute session timeouts, for staff and citizens alike."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

STARTED = "teten_started"
SEEN = "teten_seen"
# Writing the session on every request is wasteful; a minute's precision is enough for 30 minutes.
TOUCH_EVERY_SECONDS = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        logged_in = request.user.is_authenticated or session.get("portal_citizen_id")
        if logged_in:
            now = int(time.time())
            started = session.get(STARTED, now)
            seen = session.get(SEEN, now)
            idle = settings.TETEN_SESSION_IDLE_MINUTES * 60
            absolute = settings.TETEN_SESSION_ABSOLUTE_HOURS * 3600
            if now - seen > idle or now - started > absolute:
                portal = bool(session.get("portal_citizen_id"))
                logout(request)
                messages.info(request, _("You were logged out because you had been away too long."))
                return redirect("portal:login" if portal else settings.LOGIN_URL)
            if STARTED not in session:
                session[STARTED] = now
            if now - seen >= TOUCH_EVERY_SECONDS or SEEN not in session:
                session[SEEN] = now
        return self.get_response(request)


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Danish unless the person has chosen English with the language switch (a cookie). The
    browser's Accept-Language is not consulted: a municipality's system speaks Danish first."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
