"""Template context for every page: the unread notification count shown in the navigation.

The count comes with the request's user (units.backends reads it in the user's own query, as the subquery
unread_count_of_user registered by workflow.apps), so the navigation costs no query of its own. A user object
read otherwise (none of the site's requests) falls back to one indexed count (notification_inbox).
"""
from django.utils.functional import SimpleLazyObject


def unread_count_of_user():
    """The subquery: the unread notifications of the user in the outer query (Notification.objects.unread() of
    for_user, served by the index notification_inbox (recipient, read_at))."""
    from units.backends import count_where
    from workflow.models import Notification

    return count_where(Notification, '"recipient_id" = {user}."id" AND "read_at" IS NULL')


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        read_with_user = getattr(user, "unread_notification_count", None)
        if read_with_user is not None:
            return read_with_user
        from workflow.models import Notification

        return Notification.objects.for_user(user).unread().count()

    # Lazy: only pages that show the count read it.
    return {"unread_notification_count": SimpleLazyObject(count)}
