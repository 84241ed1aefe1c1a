"""How the user of each request is loaded."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Django's ModelBackend, except that the user comes with the agency and region: the header
    and the permission checks read them on every page, one query each otherwise."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("agency", "region").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
