"""Template context for every page: the unread notification count shown in the navigation."""
from django.utils.functional import SimpleLazyObject


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from workflow.models import Notification

        return Notification.objects.for_user(user).unread().count()

    # Lazy: the query runs only on pages that show the count, and only once per page.
    return {"unread_notification_count": SimpleLazyObject(count)}
