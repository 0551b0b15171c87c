"""Notices, their breakdown tables (sections and items), the ledger (assignments) and progress."""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.dates import cn_date
from core.filenames import STORED_NAME_BYTES, shorten_filename
from core.locking import Versioned
from tasks.querysets import (
    CLOSED_STATUSES,
    AssignmentQuerySet,
    ItemQuerySet,
    NoticeQuerySet,
    ProgressReportQuerySet,
)
from units.models import Government, Unit, UnitGroup


class Notice(Versioned):
    class Publicity(models.TextChoices):
        PROACTIVE = "主动公开", "主动公开"
        ON_REQUEST = "依申请公开", "依申请公开"
        NOT_PUBLIC = "不予公开", "不予公开"
        UNSPECIFIED = "", "未标注"

    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="notices",
                                   verbose_name="发文政府")
    doc_number = models.CharField("文号", max_length=60, unique=True)
    issuer_code = models.CharField("发文机关代字", max_length=30, db_index=True)
    doc_year = models.PositiveIntegerField("文号年份")
    doc_serial = models.PositiveIntegerField("文号序号")
    title = models.CharField("标题", max_length=300)
    issuer = models.CharField("发文机关", max_length=100, blank=True)
    issue_date = models.DateField("成文日期", null=True, blank=True)
    work_year = models.PositiveIntegerField("工作年度", db_index=True)
    recipients = models.TextField("主送", blank=True)
    cited_documents = models.JSONField("引用的上级文件", default=list, blank=True)
    report_back_date = models.DateField("报送截止日期", null=True, blank=True)
    publicity = models.CharField("公开属性", max_length=10, choices=Publicity.choices, blank=True)
    body = models.TextField("正文", blank=True)
    # The chain of tables (下发 / 分解): an upper office publishes its table to its lower governments; a lower
    # table carries out the upper one it was derived from or linked to.
    published_on = models.DateField("下发日期", null=True, blank=True,
                                    help_text="下发给下级政府后，下级政府办可据此分解本级任务表。")
    upper_notice = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="derived_notices", verbose_name="落实的上级任务分解表")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="录入人")
    # The public progress page (公开进度页, /gongkai/<token>/): off by default; the office publishes it. The
    # token stays when the page is withdrawn, so a re-published page keeps its address.
    public_token = models.CharField("公开页地址码", max_length=32, unique=True, null=True, blank=True)
    public_since = models.DateTimeField("公开进度页发布时间", null=True, blank=True)
    public_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="公开进度页发布人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-work_year", "-issue_date", "-id"]
        verbose_name = "通知"
        verbose_name_plural = "通知"
        # A year's notices of one government in the order they were issued (reports.summary.SUMMARY_ORDER): the
        # summary's and the look-back's pages walk it and stop after their page.
        indexes = [models.Index(fields=["work_year", "government", "issue_date", "doc_year", "doc_serial", "id"],
                                name="notice_year_gov_order")]

    def __str__(self):
        return f"{self.doc_number} {self.title}"

    def get_absolute_url(self):
        return reverse("tasks:notice-detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        """The public progress page is published (shown without login)."""
        return self.public_since is not None and bool(self.public_token)

    def clean(self):
        if self.issue_date and self.report_back_date and self.report_back_date < self.issue_date:
            raise ValidationError({"report_back_date": "报送截止日期不能早于成文日期。"})


class Section(models.Model):
    """一、 (level 1) or （一） (level 2, with a parent)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="sections", verbose_name="通知")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="subsections", verbose_name="上级部分")
    number = models.CharField("序号", max_length=10)
    title = models.CharField("标题", max_length=300, blank=True)
    position = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        ordering = ["notice", "position", "id"]
        verbose_name = "部分"
        verbose_name_plural = "部分"

    def __str__(self):
        return self.heading

    @property
    def level(self) -> int:
        return 2 if self.parent_id else 1

    @property
    def heading(self) -> str:
        if not self.number:  # a table imported without section rows: one unnamed section, not "、"
            return self.title or "（未分部分）"
        if self.parent_id:
            return f"（{self.number}）{self.title}"
        return f"{self.number}、{self.title}"


class Item(Versioned):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="items", verbose_name="通知")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="items",
                                verbose_name="所属部分")
    number = models.PositiveIntegerField("序号")
    title = models.CharField("工作任务", max_length=300, blank=True)
    requirement = models.TextField("工作要求", blank=True)
    lead_units_text = models.JSONField("牵头单位（原文）", default=list, blank=True)
    responsible_units_text = models.JSONField("责任单位（原文）", default=list, blank=True)
    cooperating_units_text = models.JSONField("配合单位（原文）", default=list, blank=True)
    deadline_text = models.CharField("时限（原文）", max_length=100, blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True, db_index=True)
    is_ongoing = models.BooleanField("持续推进", default=False)
    origin = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="rectifications", verbose_name="整改来源")
    # 撤销: the item left the table on a re-import while units had reported on it. Kept (with its
    # progress) but out of reminders and overdue; its number is free for the new table's items.
    withdrawn_on = models.DateField("撤销日期", null=True, blank=True)
    upper_item = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="lower_items", verbose_name="落实的上级事项")
    # Evidence is optional; the office may require it on an item, saying why (shown to the units).
    evidence_required = models.BooleanField("要求上传佐证", default=False)
    evidence_reason = models.CharField("要求佐证的理由", max_length=200, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["notice", "number"]
        verbose_name = "任务事项"
        verbose_name_plural = "任务事项"
        constraints = [models.UniqueConstraint(fields=["notice", "number"], condition=Q(withdrawn_on__isnull=True),
                                               name="item_number_unique_in_notice")]
        # A notice's items in order, read index-only (the summary's and the look-back's pages, their counts).
        indexes = [models.Index(fields=["notice", "number", "id"], name="item_notice_order")]

    def __str__(self):
        return f"{self.number}. {self.title or self.requirement[:30]}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    def get_absolute_url(self):
        return reverse("tasks:item-detail", args=[self.pk])

    @property
    def short_text(self) -> str:
        return self.title or self.requirement[:60]

    @property
    def deadline_display(self) -> str:
        if self.is_ongoing:
            return self.deadline_text or "持续推进"
        return self.deadline_text or cn_date(self.deadline)


LIGHT_LABELS = {"green": "已完成", "grey": "不涉及", "red": "已逾期", "yellow": "临近时限", "blue": "进行中"}


# The rows the chase page lists (workflow.chasing.chaseable, with a deadline): the condition of its partial indexes.
CHASEABLE_DATED = (~Q(status__in=(*CLOSED_STATUSES, "pending_review"))
                   & Q(is_withdrawn=False, is_ongoing=False, due_date__isnull=False))


class Assignment(Versioned):
    """One ledger row: an item as it concerns one unit."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头"
        RESPONSIBLE = "responsible", "责任"
        COOPERATING = "cooperating", "配合"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未开始"
        IN_PROGRESS = "in_progress", "推进中"
        PENDING_REVIEW = "pending_review", "待审核"  # a done-claim waiting for the office or the lead unit
        RETURNED = "returned", "已退回"  # a done-claim returned with a reason: back on the unit's to-do list
        DONE = "done", "已完成"
        NOT_APPLICABLE = "not_applicable", "不涉及"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments", verbose_name="任务事项")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments", verbose_name="单位")
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.RESPONSIBLE)
    via_group = models.ForeignKey(UnitGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name="来自泛称")
    written_as = models.CharField("原文写法", max_length=100, blank=True)
    scope_note = models.CharField("分工说明", max_length=200, blank=True)
    due_date = models.DateField("完成时限", null=True, blank=True)
    is_ongoing = models.BooleanField("持续推进", default=False)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    na_reason = models.CharField("不涉及理由", max_length=300, blank=True)
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    last_reported_on = models.DateField("最近报送", null=True, blank=True)
    # Denormalised from the item and notice so the ledger filters and sorts on one indexed table.
    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="+", verbose_name="所属政府")
    # The government whose table the row's item carries out (its upper item's), so the upper office's rule
    # needs no join: kept by tasks.services.item_sync_assignments and tasks.chain when links change.
    upper_government = models.ForeignKey(Government, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", db_index=False, verbose_name="落实上级政府的任务")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="assignments", verbose_name="通知")
    year = models.PositiveIntegerField("年度")
    item_number = models.PositiveIntegerField("事项序号")
    unit_sort_order = models.PositiveIntegerField("单位排序", default=1000)
    is_withdrawn = models.BooleanField("已撤销", default=False)  # ← the item's withdrawn_on (tasks.ledger)
    created_at = models.DateTimeField("分配时间", auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "notice_id", "item_number", "unit_sort_order", "id"]
        verbose_name = "台账行"
        verbose_name_plural = "台账"
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="assignment_unique_item_unit")]
        indexes = [
            models.Index(fields=["unit", "year", "status"], name="asg_unit_year_status"),
            # The default order (newest year first) needs its own mixed-direction index; the all-ascending
            # one serves the 年度/序号 column sorts both ways. Every sortable ledger column has an index that
            # ends in id, the tie-breaker that keeps pages stable (see tasks.tables.LedgerTable).
            models.Index(fields=["-year", "notice", "item_number", "unit_sort_order", "id"], name="asg_ledger_order"),
            # The same order within one government (an office's ledger on a province-wide install).
            models.Index(fields=["government", "-year", "notice", "item_number", "unit_sort_order", "id"],
                         name="asg_gov_ledger_order"),
            models.Index(fields=["year", "notice", "item_number", "unit_sort_order", "id"], name="asg_default_order"),
            models.Index(fields=["year", "due_date"], name="asg_year_due"),
            models.Index(fields=["status", "due_date", "id"], name="asg_status_due_id"),
            models.Index(fields=["due_date", "id"], name="asg_due_id"),
            models.Index(fields=["unit_sort_order", "id"], name="asg_unit_order"),
            models.Index(fields=["role", "id"], name="asg_role_id"),
            models.Index(fields=["last_reported_on", "id"], name="asg_last_reported_id"),
            # Every column sort again within one government, both directions: with a hundred governments in one
            # install an office's rows are one in a hundred, and a sort read off the install-wide index above
            # passed (and threw away) every other government's rows before its own (the first district's
            # 年度↓ 432 ms). Also the count of a status + 已逾期 filter (government, status, due_date).
            models.Index(fields=["government", "year", "notice", "item_number", "unit_sort_order", "id"],
                         name="asg_gov_default_order"),
            models.Index(fields=["government", "status", "due_date", "id"], name="asg_gov_status_due_id"),
            models.Index(fields=["government", "due_date", "id"], name="asg_gov_due_id"),
            models.Index(fields=["government", "unit_sort_order", "id"], name="asg_gov_unit_order"),
            models.Index(fields=["government", "role", "id"], name="asg_gov_role_id"),
            models.Index(fields=["government", "last_reported_on", "id"], name="asg_gov_last_reported_id"),
            # A unit's own ledger (本单位台账) in the default order, read off the index; also "does this unit have
            # rows in that year / on that notice" as one index probe (Notice.visible_to for a unit's users).
            models.Index(fields=["unit", "-year", "notice", "item_number", "unit_sort_order", "id"],
                         name="asg_unit_ledger_order"),
            # THE "items my unit leads" (led_item_ids): a few hundred entries per unit, read index-only.
            models.Index(fields=["unit", "item"], condition=Q(role="lead"), name="asg_lead_unit_item"),
            # A unit's open dated rows (the home page's 已逾期 / 7天内到期 lists and their totals): only the rows
            # still to be done are in it, so the unit's finished history costs nothing; status last for the
            # index-only totals that leave out rows waiting for review.
            models.Index(fields=["unit", "-year", "due_date", "id", "status"], name="asg_unit_open_dated",
                         condition=~Q(status__in=CLOSED_STATUSES) & Q(is_withdrawn=False, is_ongoing=False)),
            # 新任务 since the last visit.
            models.Index(fields=["unit", "created_at"], name="asg_unit_created"),
            # The open rows of a year (neither 已完成 nor 不涉及) by item: "is this item unfinished?" as one
            # index-only probe, and the year's unfinished items counted off the index (reports.summary's
            # look-back candidates), whatever the years behind it.
            models.Index(fields=["year", "government", "item"], name="asg_open_year_item",
                         condition=~Q(status__in=CLOSED_STATUSES)),
            # 催办 (workflow.views.chasing): an office's rows it may chase (open, not waiting for review, dated),
            # most overdue first, in a year or in every year; their totals read the index alone.
            models.Index(fields=["government", "year", "due_date", "unit_sort_order", "item_number", "id"],
                         name="asg_gov_chase_order", condition=CHASEABLE_DATED),
            models.Index(fields=["government", "due_date", "unit_sort_order", "item_number", "id"],
                         name="asg_gov_chase_due", condition=CHASEABLE_DATED),
        ]

    def __str__(self):
        return f"{self.unit} · {self.item}"

    def get_absolute_url(self):
        return reverse("tasks:assignment-detail", args=[self.pk])

    @property
    def status_display(self) -> str:
        """The status as the ledger shows it: "已撤销（已完成）" for a row of a withdrawn item."""
        if self.is_withdrawn:
            return f"已撤销（{self.get_status_display()}）"
        return self.get_status_display()

    def is_closed(self) -> bool:
        return self.is_withdrawn or self.status in CLOSED_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        """tasks.querysets.overdue_q for one row already in memory."""
        return not self.is_closed() and not self.is_ongoing and self.due_date is not None and self.due_date < today

    def is_stalled(self, cutoff: datetime.date | None, today: datetime.date) -> bool:
        """tasks.querysets.stalled_q for one row already in memory (cutoff None: not computed, not stalled)."""
        if cutoff is None or self.is_closed() or self.status == self.Status.PENDING_REVIEW or self.is_ongoing:
            return False
        if self.due_date is None or self.due_date < today:
            return False
        last = self.last_reported_on or (timezone.localdate(self.created_at) if self.created_at else today)
        return last < cutoff

    def is_due_soon(self, today: datetime.date, days: int = 7) -> bool:
        return (not self.is_closed() and not self.is_ongoing and self.due_date is not None
                and today <= self.due_date <= today + datetime.timedelta(days=days))

    def light(self, today: datetime.date) -> str:
        """Traffic light: red overdue, yellow due within 7 days, green done, grey 不涉及, blue otherwise."""
        if self.is_withdrawn:
            return "grey"
        if self.status == self.Status.DONE:
            return "green"
        if self.status == self.Status.NOT_APPLICABLE:
            return "grey"
        if self.is_overdue(today):
            return "red"
        if self.is_due_soon(today):
            return "yellow"
        return "blue"

    def light_label(self, today: datetime.date) -> str:
        return self.light_and_label(today)[1]

    def light_and_label(self, today: datetime.date) -> tuple[str, str]:
        """The light and the word its title shows, the rule evaluated once."""
        color = self.light(today)
        return color, "已撤销" if self.is_withdrawn else LIGHT_LABELS[color]


class ProgressReport(models.Model):
    """落实情况: what a unit did on an assignment, with evidence. Never edited once submitted: only its
    review fields change; a correction is a new report pointing at the one it corrects."""

    class Review(models.TextChoices):
        NOT_REQUIRED = "not_required", "无需审核"
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "已通过"
        RETURNED = "returned", "已退回"
        SUPERSEDED = "superseded", "已被新报送取代"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reports",
                                   verbose_name="台账行")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name="填报人")
    reported_on = models.DateField("报送日期")
    text = models.TextField("落实情况")
    resulting_status = models.CharField("报送后状态", max_length=20, choices=Assignment.Status.choices)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections",
                                 verbose_name="更正的报送")
    review_status = models.CharField("审核状态", max_length=20, choices=Review.choices, default=Review.NOT_REQUIRED)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = "落实情况"
        verbose_name_plural = "落实情况"
        indexes = [
            models.Index(fields=["assignment", "-reported_on", "-id"], name="report_latest"),
            models.Index(fields=["assignment"], condition=Q(review_status="pending"), name="report_pending_review"),
        ]

    def __str__(self):
        return f"{self.assignment} {self.reported_on}"


def evidence_upload_to(instance, filename):
    """evidence/<year>/<row>/<name>, the name cut to a length every file system stores (extension kept)."""
    name = shorten_filename(filename, max_bytes=STORED_NAME_BYTES)
    return f"evidence/{instance.report.assignment.year}/{instance.report.assignment_id}/{name}"


class Evidence(models.Model):
    """A link or an uploaded file attached to a progress report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence",
                               verbose_name="落实情况")
    url = models.URLField("链接", max_length=500, blank=True)
    file = models.FileField("文件", upload_to=evidence_upload_to, max_length=300, blank=True)
    original_name = models.CharField("文件名", max_length=200, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    content_type = models.CharField("类型", max_length=100, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="evidence_has_link_or_file"),
        ]

    def __str__(self):
        return self.original_name or self.url

    def get_absolute_url(self):
        return reverse("tasks:evidence-download", args=[self.pk])
