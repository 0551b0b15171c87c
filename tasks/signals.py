"""Signals the tasks app sends for the layers above it (which tasks may not import)."""
from django.dispatch import Signal

# A done-claim waits for review. Keyword arguments: report (the ProgressReport), assignment.
# workflow.review.notify_reviewers listens (connected in WorkflowConfig.ready()).
review_requested = Signal()

# An upper office published its table to its lower governments (下发). Keyword arguments: notice.
# workflow.chasing.notify_lower_offices listens.
notice_published = Signal()

# A service gave units new ledger rows or changed their 时限 (tasks.changes.change_set_record). Keyword
# arguments: change_set. workflow.newwork.change_set_notify_later listens (tells each unit once).
work_changed = Signal()
