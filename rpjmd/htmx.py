"""htmx-aware login redirect.

When a session expires, LoginRequiredMiddleware answers an htmx request with a 302 to the login
page; htmx would follow it and swap the login form into whatever panel asked. Instead we tell
htmx to load the login page as a whole page, keeping the page the user was on as `next`.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


class HtmxLoginRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or response.status_code != 302:
            return response
        login_path = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != login_path:
            return response
        next_path = request.get_full_path()
        current = request.htmx.current_url_abs_path  # same-origin only, else None
        if current:
            next_path = current
        login_redirect = redirect_to_login(next_path, login_path)
        return HttpResponseClientRedirect(login_redirect["Location"])
