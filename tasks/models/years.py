"""年度归档: a work year an office has closed for its government."""
from django.conf import settings
from django.db import models

from units.models import Government


class ClosedYear(models.Model):
    """A closed (archived) work year of one government: its ledger rows are no longer reminded, chased or
    reported on, and every page of that year says 已归档. Reopening deletes the row (the audit trail keeps
    who closed it, when and why)."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="closed_years",
                                   verbose_name="政府")
    year = models.PositiveIntegerField("工作年度")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="归档人")
    closed_at = models.DateTimeField("归档时间")
    note = models.CharField("归档说明", max_length=300, blank=True)

    class Meta:
        ordering = ["government", "-year"]
        verbose_name = "已归档年度"
        verbose_name_plural = "已归档年度"
        constraints = [models.UniqueConstraint(fields=["government", "year"], name="closed_year_unique")]

    def __str__(self):
        return f"{self.government}{self.year}年度（已归档）"
