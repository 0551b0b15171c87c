"""A user whose password the office gave (a new account, a reset) sees only 修改密码 until they choose their own."""
from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PREFIXES = ("/static/",)


class MustChangePasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse("password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith(ALLOWED_PREFIXES):
                return redirect("password_change")
        return self.get_response(request)
