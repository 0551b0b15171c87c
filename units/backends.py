"""The password backend: Django's ModelBackend, reading with a signed-in user everything each page needs of them.

Every page shows the user's unit in the navigation, every visibility rule reads the user's government, and the
navigation shows the unread message count: all of it comes in the user's own query on each request (joins and
scalar subqueries), so a page pays one query for its user instead of four.

- unit and government: joined;
- ``government_count`` and ``sharing_lower_count``: how many governments the install has and how many directly
  below the user's share their details (User.sees_whole_install and User.sharing_lower_ids need the list of
  governments only when the latter is not 0, which is rare);
- what apps above units register in REQUEST_USER_ANNOTATIONS (workflow: ``unread_notification_count``), so the
  dependency stays one way.

The values are read when the request first needs its user and hold for that request; a view that changes one
(marking messages read) answers with a redirect, so the next page reads them afresh.
"""
from collections.abc import Callable

from django.contrib.auth.backends import ModelBackend
from django.db.models import Expression
from django.db.models.expressions import RawSQL

from units.models import Government, User

# name → a function returning the expression (a scalar subquery on the outer user row) the user is annotated with.
REQUEST_USER_ANNOTATIONS: dict[str, Callable[[], Expression]] = {}


def count_where(model, condition: str) -> RawSQL:
    """A scalar subquery counting ``model``'s rows where ``condition`` holds; ``{user}`` in it is the outer user
    row. Raw SQL because it is compiled on every request: the same subquery as a Django Subquery took about
    1 ms of Python to compile, more than the query saved."""
    user = f'"{User._meta.db_table}"'
    return RawSQL(f'SELECT COUNT(*) FROM "{model._meta.db_table}" WHERE {condition.format(user=user)}', ())


def request_user_queryset():
    """Users as each request reads its own: with their unit, government and the per-request counts."""
    annotations = {
        "government_count": count_where(Government, "1 = 1"),
        "sharing_lower_count": count_where(Government, '"upper_id" = {user}."government_id" AND "shares_details"'),
        **{name: make() for name, make in REQUEST_USER_ANNOTATIONS.items()},
    }
    return User._default_manager.select_related("unit", "government").annotate(**annotations)


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = request_user_queryset().get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
