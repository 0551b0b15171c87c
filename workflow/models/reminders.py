"""The lock that keeps reminder runs of one day from overlapping (workflow.reminders.reminder_run_lock)."""
from django.db import models


class ReminderRunLock(models.Model):
    """One row per day: who is sending that day's reminders now (`holder`), since when.

    A run claims the row with a conditional UPDATE (free, or held longer than the lease: a run that
    died), sends, and frees it. Two runs of the same day therefore never send at the same time, so a
    person's digest is never split between them.
    """

    day = models.DateField("提醒日期", unique=True)
    holder = models.CharField("运行标识", max_length=64, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = "提醒运行锁"
        verbose_name_plural = "提醒运行锁"

    def __str__(self):
        return f"{self.day} {'运行中' if self.holder else '空闲'}"
