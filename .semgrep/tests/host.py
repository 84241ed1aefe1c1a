from django.conf import settings


def link(request, path):
    # ruleid: rpjmd-no-http-host
    return f"https://{request.META['HTTP_HOST']}{path}"


def link2(request, path):
    # ruleid: rpjmd-no-http-host
    return "https://" + request.META.get("HTTP_X_FORWARDED_HOST", "") + path


def mail_link(path):
    # ok: rpjmd-no-http-host
    return settings.SITE_URL + path


def page_link(request, path):
    # ok: rpjmd-no-http-host
    return request.build_absolute_uri(path)
