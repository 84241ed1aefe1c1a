from rpjmd.models import Notification
from rpjmd.permissions import can_manage_plan, can_use_admin
from rpjmd.plans import current_plan


def navigation(request):
    """What the header needs on every page: the plan in view and the menu for the role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_plan": current_plan(request),
        "nav_can_manage_plan": can_manage_plan(user),
        "nav_can_use_admin": can_use_admin(user),
        "nav_unread_notifications": Notification.objects.for_user(user).unread().count(),
    }
