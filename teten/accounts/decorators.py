from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from teten.accounts.access import require


def staff_view(permission: str = "accounts.use_staff_pages"):
    """Anonymous → login page; a citizen logged in to My pages → an explanation (403);
    staff without the permission → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                if getattr(request, "citizen", None):
                    return render(request, "accounts/staff_only.html", status=403)
                return redirect_to_login(request.get_full_path())
            require(request.user, permission)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
