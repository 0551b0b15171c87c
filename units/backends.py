"""The password backend: Django's ModelBackend, reading a signed-in user's unit and government with the user.

Every page shows the user's unit in the navigation and every visibility rule reads the user's government: with
them in the user's own query (one join) a page saves a query on each request."""
from django.contrib.auth.backends import ModelBackend

from units.models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("unit", "government").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
