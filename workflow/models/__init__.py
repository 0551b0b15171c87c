"""Models of the workflow app: chases and notifications, the working-day calendar."""
from workflow.models.calendar import CalendarDay, CalendarYear  # noqa: F401
from workflow.models.chasing import Chase, Notification, annotate_chase_counts, with_chase_counts  # noqa: F401
from workflow.models.deliveries import ChannelPreference, Delivery  # noqa: F401,E402
from workflow.models.reminders import ReminderRunLock  # noqa: F401
