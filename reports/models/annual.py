"""The annual report (政府信息公开工作年度报告): one per year and unit, plus the government's own.

The tables' numbers live in ``figures``, a JSON object keyed by the field codes of
reports/annual/format.py (counts as integers, 收费金额 in 万元 as a decimal string), so the checks in
reports/annual/checks.py read them directly. Reports are kept per year: last year's feeds the
cross-year checks.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.locking import Versioned
from reports.annual import format as fmt
from units.models import Government, Unit


class AnnualReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office staff and leaders read every report; a unit's users read their unit's reports."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_governments:
            return self
        if user.sees_everything:
            return self.filter(government_id=user.government_id)
        if not user.unit_id:
            return self.none()
        return self.filter(unit_id=user.unit_id)

    def for_year(self, year: int):
        return self.filter(year=year)


class AnnualReport(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        RETURNED = "returned", "已退回"
        FINAL = "final", "已定稿"
        PUBLISHED = "published", "已发布"

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
    DONE_STATUSES = (Status.FINAL, Status.PUBLISHED)

    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="annual_reports",
                                   verbose_name="所属政府")
    year = models.PositiveIntegerField("年度", db_index=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="annual_reports",
                             verbose_name="单位", help_text="为空表示本级政府的年度报告。")
    owner_name = models.CharField("报告主体", max_length=100, help_text="如“测试区发展和改革局”“测试区人民政府”。")
    overview = models.TextField("一、总体情况", blank=True)
    proactive = models.TextField("二、主动公开政府信息情况（说明）", blank=True)
    requests = models.TextField("三、收到和处理政府信息公开申请情况（说明）", blank=True)
    review = models.TextField("四、政府信息公开行政复议、行政诉讼情况（说明）", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other = models.TextField("六、其他需要报告的事项", blank=True)
    figures = models.JSONField("表格数据", default=dict, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_url = models.URLField("发布网址", max_length=500, blank=True)
    finding_notes = models.JSONField("检查意见处理", default=dict, blank=True,
                                     help_text="检查发现的确认或排除及理由，按检查项保存。")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="起草人")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="最后修改人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__sort_order", "id"]
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], condition=Q(unit__isnull=False),
                                    name="annual_report_one_per_unit_year"),
            models.UniqueConstraint(fields=["government", "year"], condition=Q(unit__isnull=True),
                                    name="annual_report_one_government_per_year"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:annual-detail", args=[self.pk])

    @property
    def title(self) -> str:
        return f"{self.owner_name}{self.year}年政府信息公开工作年度报告"

    @property
    def is_government(self) -> bool:
        return self.unit_id is None

    @property
    def sections(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in fmt.SECTION_KEYS}

    def cells(self) -> dict:
        """Every cell as shown (blank None, "/", numbers), totals computed: reports/annual/figures.py."""
        from reports.annual.figures import report_cells

        return report_cells(self)

    def figure_values(self) -> dict:
        """The figures as numbers: int for counts, Decimal for 收费金额; blank and "/" are 0."""
        from reports.annual.figures import number

        values = {}
        for code, raw in self.cells().items():
            amount = number(raw)
            values[code] = amount if fmt.FIELD_BY_CODE[code].decimal else int(amount)
        return values

    @property
    def is_editable_status(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_clean(self) -> bool:
        """Only a finalised (or published) report exports without the 草稿 mark."""
        return self.status in self.DONE_STATUSES

    def previous(self):
        """The same owner's report of the year before, or None."""
        qs = AnnualReport.objects.filter(year=self.year - 1, government_id=self.government_id)
        return (qs.filter(unit__isnull=True) if self.unit_id is None else qs.filter(unit_id=self.unit_id)).first()

    def can_edit(self, user) -> bool:
        """The office edits every report; a unit's liaison edits the unit's report while it is a draft."""
        if not user.is_authenticated:
            return False
        if user.is_office:
            return user.sees_all_governments or user.government_id == self.government_id
        return (self.unit_id is not None and self.unit_id == user.unit_id
                and user.role == user.Role.LIAISON and self.status in self.EDITABLE_STATUSES)
