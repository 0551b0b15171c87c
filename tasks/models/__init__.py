"""Models of the tasks app, one module per area; each area adds its import line here."""
from tasks.models.calendar import CalendarDay, CalendarYear  # noqa: F401
from tasks.models.core import (  # noqa: F401
    Assignment,
    Evidence,
    Item,
    Notice,
    ProgressReport,
    Section,
    evidence_upload_to,
)
from tasks.models.workflow import Chase, Notification, annotate_chase_counts, with_chase_counts  # noqa: F401
