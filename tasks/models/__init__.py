"""Models of the tasks app, one module per area; each area adds its import line here."""
from tasks.models.changes import ChangeSet, ChangeSetRow  # noqa: F401,E402
from tasks.models.core import (  # noqa: F401
    Assignment,
    Evidence,
    Item,
    Notice,
    ProgressReport,
    Section,
    evidence_upload_to,
)
from tasks.models.imports import ColumnChoice  # noqa: F401,E402
from tasks.models.years import ClosedYear  # noqa: F401,E402
