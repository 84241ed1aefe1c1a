from django.views.decorators.csrf import csrf_exempt


# ruleid: rpjmd-no-csrf-exempt
@csrf_exempt
def webhook(request):
    return None


# ruleid: rpjmd-no-csrf-exempt
hook = csrf_exempt(webhook)


# ok: rpjmd-no-csrf-exempt
def protected(request):
    return None
