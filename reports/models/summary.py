"""Texts the reports app keeps: a lead unit's summary of an item, and the year's annual-report paragraph."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.locking import Versioned
from tasks.models import Item, Notice
from units.models import Unit


class LeadSummary(Versioned):
    """落实情况汇总: how an item was carried out, written by a lead unit's liaison or by the office."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="lead_summary",
                                verbose_name="任务事项")
    text = models.TextField("落实情况汇总")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="汇总单位")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="填写人")
    written_on = models.DateField("汇总日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["item"]
        verbose_name = "牵头单位汇总"
        verbose_name_plural = "牵头单位汇总"

    def __str__(self):
        return f"{self.item} 汇总"

    def get_absolute_url(self):
        return reverse("reports:lead-summary", args=[self.item_id])


class AnnualSummaryText(models.Model):
    """The paragraph on how the year's task table was carried out, for the annual report.

    One per year (notice empty) and optionally one per notice of that year; the office edits it.
    """

    government = models.ForeignKey("units.Government", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="所属政府")
    year = models.PositiveIntegerField("年度", db_index=True)
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name="通知")
    text = models.TextField("年报文字")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="修改人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-year", "notice_id"]
        verbose_name = "年报文字（任务落实情况）"
        verbose_name_plural = "年报文字（任务落实情况）"
        constraints = [
            models.UniqueConstraint(fields=["government", "year"], condition=Q(notice__isnull=True),
                                    name="annual_summary_text_one_per_year"),
            models.UniqueConstraint(fields=["year", "notice"], condition=Q(notice__isnull=False),
                                    name="annual_summary_text_one_per_notice"),
        ]

    def __str__(self):
        return f"{self.year}年年报文字" + (f"（{self.notice.doc_number}）" if self.notice_id else "")
