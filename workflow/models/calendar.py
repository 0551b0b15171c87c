"""The working-day calendar: official holidays and make-up working days (调休), one row per exceptional day.

A year counts as known once a CalendarYear row says its arrangement has been entered; for any other
year workflow.calendar falls back to Monday–Friday and says so.
"""
from django.conf import settings
from django.db import models

from core.dates import cn_date


class CalendarYear(models.Model):
    """A year whose State Council holiday arrangement is in the table."""

    class Source(models.TextChoices):
        PACKAGE = "package", "chinesecalendar 数据包"
        MANUAL = "manual", "管理员录入"

    year = models.PositiveIntegerField("年度", unique=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField("说明", max_length=200, blank=True,
                            help_text="例如国务院办公厅关于部分节假日安排的通知文号。")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "节假日安排年度"
        verbose_name_plural = "节假日安排年度"

    def __str__(self):
        return f"{self.year}年节假日安排"


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday rule: a holiday, or a weekend day worked in lieu."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("节日", max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日与调休日"
        verbose_name_plural = "节假日与调休日"

    def __str__(self):
        return f"{cn_date(self.date)} {self.get_kind_display()}{'（' + self.name + '）' if self.name else ''}"

    @property
    def is_working_day(self) -> bool:
        return self.kind == self.Kind.WORKDAY
