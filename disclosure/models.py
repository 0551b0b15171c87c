"""The 依申请公开 register: applications for government information, their events, answers and cases.

Codes are those of the annual report's national format (国办公开办函〔2021〕30号): an application's
`applicant_type` is a column of 表三, its `outcome` one of 表三's 22 result rows, a case's `kind` a group
of 表四 and its `result` a column. The due date (`due_on`) is derived from the events by
disclosure.clock and stored so lists, lights and reminders read it off the row.
"""
from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.dates import cn_date
from core.locking import Versioned
from disclosure.querysets import ApplicationQuerySet, RegisterQuerySet, ReviewCaseQuerySet
from units.models import Unit

# The 22 outcome rows of 表三 as (code, official wording with its group).
OUTCOME_GROUPS = (
    ("（一）予以公开", (("open", "予以公开"),)),
    ("（二）部分公开", (("partial", "部分公开"),)),
    ("（三）不予公开", (
        ("deny_secret", "属于国家秘密"),
        ("deny_law", "其他法律行政法规禁止公开"),
        ("deny_security", "危及“三安全一稳定”"),
        ("deny_third_party", "保护第三方合法权益"),
        ("deny_internal", "属于三类内部事务信息"),
        ("deny_process", "属于四类过程性信息"),
        ("deny_enforcement", "属于行政执法案卷"),
        ("deny_query", "属于行政查询事项"),
    )),
    ("（四）无法提供", (
        ("unable_not_held", "本机关不掌握相关政府信息"),
        ("unable_make", "没有现成信息需要另行制作"),
        ("unable_unclear", "补正后申请内容仍不明确"),
    )),
    ("（五）不予处理", (
        ("none_petition", "信访举报投诉类申请"),
        ("none_repeat", "重复申请"),
        ("none_publication", "要求提供公开出版物"),
        ("none_mass", "无正当理由大量反复申请"),
        ("none_confirm", "要求行政机关确认或重新出具已获取信息"),
    )),
    ("（六）其他处理", (
        ("other_no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other_no_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_other", "其他"),
    )),
)


def _outcome_choices():
    choices = []
    for group, items in OUTCOME_GROUPS:
        if len(items) == 1:
            choices.append((items[0][0], items[0][1]))
        else:
            name = re.sub(r"^（.）", "", group)
            choices.extend((code, f"{name}：{i}.{text}") for i, (code, text) in enumerate(items, 1))
    return choices


OUTCOME_CHOICES = _outcome_choices()
OUTCOME_CODES = tuple(code for code, _ in OUTCOME_CHOICES)
OUTCOME_LABELS = dict(OUTCOME_CHOICES)
# 表三's 25 rows in the official order.
T3_ROW_CODES = ("new", "carried", *OUTCOME_CODES, "total", "carry_next")
T3_ROW_LABELS = {"new": "一、本年新收", "carried": "二、上年结转", "total": "（七）总计", "carry_next": "四、结转下年度继续办理",
                 **{c: f"三、{label}" for c, label in OUTCOME_CHOICES}}


class Register(models.Model):
    """A unit keeps its 依申请公开 register in the app from `started_year` on (表三 is then counted, not typed)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="disclosure_register", verbose_name="单位")
    started_year = models.PositiveIntegerField("起始年度")
    created_at = models.DateTimeField("启用时间", auto_now_add=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_order"]
        verbose_name = "依申请公开登记簿"
        verbose_name_plural = "依申请公开登记簿"

    def __str__(self):
        return f"{self.unit}依申请公开登记簿（{self.started_year}年起）"


class Application(Versioned):
    class Channel(models.TextChoices):
        IN_PERSON = "in_person", "当面"
        POST = "post", "邮寄"
        ONLINE = "online", "网络"
        FAX = "fax", "传真"
        OTHER = "other", "其他"

    class ApplicantType(models.TextChoices):  # 表三's applicant columns
        NATURAL = "natural", "自然人"
        COMMERCIAL = "commercial", "商业企业"
        RESEARCH = "research", "科研机构"
        NONPROFIT = "nonprofit", "社会公益组织"
        LEGAL = "legal", "法律服务机构"
        OTHER = "other", "其他"

    class ClockState(models.TextChoices):
        RUNNING = "running", "计时中"
        AWAITING_CORRECTION = "awaiting_correction", "待申请人补正"
        CONSULTING = "consulting", "征求第三方意见中"
        CLOSED = "closed", "已办结"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="disclosure_applications",
                             verbose_name="办理单位")
    reference = models.CharField("登记编号", max_length=50, blank=True)
    received_on = models.DateField("收到日期", db_index=True)
    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField("申请人", max_length=100)
    applicant_contact = models.CharField("联系方式", max_length=200, blank=True)
    request_text = models.TextField("申请内容")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="disclosure_applications", verbose_name="承办人")
    handler_name = models.CharField("承办人（姓名）", max_length=50, blank=True,
                                    help_text="承办人不是系统用户时填写，例如从旧登记簿导入。")
    outcome = models.CharField("办理结果", max_length=30, choices=OUTCOME_CHOICES, blank=True)
    answered_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    answer_note = models.TextField("答复说明", blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    clock_state = models.CharField("计时状态", max_length=30, choices=ClockState.choices, default=ClockState.RUNNING)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        constraints = [
            models.CheckConstraint(condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("received_on")),
                                   name="application_answered_after_received"),
            models.CheckConstraint(condition=Q(answered_on__isnull=True, outcome="")
                                   | (Q(answered_on__isnull=False) & ~Q(outcome="")),
                                   name="application_outcome_with_answer_date"),
        ]
        indexes = [models.Index(fields=["unit", "received_on", "id"], name="application_unit_received"),
                   models.Index(fields=["answered_on", "due_on"], name="application_open_due")]

    def __str__(self):
        return f"{self.unit}·{cn_date(self.received_on)}收到的申请{('（' + self.reference + '）') if self.reference else ''}"

    def get_absolute_url(self):
        return reverse("disclosure:application-detail", args=[self.pk])

    # --- single-row derived values
    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    @property
    def handler_display(self) -> str:
        return str(self.handler) if self.handler_id else self.handler_name

    @property
    def outcome_display(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, "")

    def shows_personal_data(self, user) -> bool:
        """Applicant name and contact: only the handling unit's users and the office."""
        return bool(user.is_authenticated and (user.is_office or (user.unit_id and user.unit_id == self.unit_id)))

    @property
    def masked_name(self) -> str:
        return mask_name(self.applicant_name)

    @property
    def masked_contact(self) -> str:
        return mask_contact(self.applicant_contact)

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on is not None and today > self.due_on

    @property
    def answered_on_time(self) -> bool | None:
        if self.is_open or self.due_on is None:
            return None
        return self.answered_on <= self.due_on

    def light(self, today: datetime.date, *, warn_days_left: int | None = None) -> str:
        """red open past its due date, yellow due within 5 working days, green answered on time, grey answered
        late, blue otherwise (also while the clock is paused). `warn_days_left`: working days left, when known."""
        if not self.is_open:
            return "green" if self.answered_on_time is not False else "grey"
        if self.is_overdue(today):
            return "red"
        if warn_days_left is not None and warn_days_left <= 5 and self.due_on is not None:
            return "yellow"
        return "blue"

    LIGHT_LABELS = {"green": "按时办结", "grey": "超期办结", "red": "已逾期", "yellow": "临近期限", "blue": "办理中"}


def mask_name(name: str) -> str:
    """张三 → 张*; 某某科技有限公司 → 某某****公司; empty stays empty."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name and "*"
    if len(name) <= 4:
        return name[0] + "*" * (len(name) - 1)
    return name[:2] + "*" * (len(name) - 4) + name[-2:]


def mask_contact(contact: str) -> str:
    """Keep the first three and last two characters of a phone, e-mail or address; star the rest."""
    contact = (contact or "").strip()
    if not contact:
        return ""
    if len(contact) <= 5:
        return "*" * len(contact)
    return contact[:3] + "*" * (len(contact) - 5) + contact[-2:]


class ApplicationEvent(models.Model):
    """Something that moves the legal clock: 补正, extension, third-party consultation."""

    class Kind(models.TextChoices):
        CORRECTION_SENT = "correction_sent", "发出补正通知"
        CORRECTION_RECEIVED = "correction_received", "收到补正材料"
        EXTENSION = "extension", "批准延长答复期限"
        CONSULTATION_SENT = "consultation_sent", "发出征求第三方意见"
        CONSULTATION_ANSWERED = "consultation_answered", "收到第三方意见"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events",
                                    verbose_name="申请")
    kind = models.CharField("事项", max_length=30, choices=Kind.choices)
    date = models.DateField("日期")
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="记录人")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "办理过程"
        verbose_name_plural = "办理过程"

    def __str__(self):
        return f"{cn_date(self.date)} {self.get_kind_display()}"


def _document_path(instance, filename):
    return f"disclosure/{instance.application.unit_id}/{instance.application_id}/{filename}"


class ApplicationDocument(models.Model):
    """The answer's documents (告知书, 补正通知书 …) as evidence files."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents",
                                    verbose_name="申请")
    file = models.FileField("文件", upload_to=_document_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "答复文书"
        verbose_name_plural = "答复文书"

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("disclosure:document-download", args=[self.pk])


class ReviewCase(models.Model):
    """A 行政复议 or 行政诉讼 brought over an application: a row of 表四."""

    class Kind(models.TextChoices):  # 表四's groups
        REVIEW = "review", "行政复议"
        SUIT_DIRECT = "suit_direct", "行政诉讼（未经复议直接起诉）"
        SUIT_AFTER_REVIEW = "suit_after_review", "行政诉讼（复议后起诉）"

    class Result(models.TextChoices):  # 表四's columns
        UPHELD = "upheld", "维持"
        CORRECTED = "corrected", "纠正"
        OTHER = "other", "其他"
        PENDING = "pending", "尚未审结"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="cases",
                                    verbose_name="申请")
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    body = models.CharField("复议机关或法院", max_length=100)
    filed_on = models.DateField("申请复议或起诉日期")
    decided_on = models.DateField("审结日期", null=True, blank=True)
    result = models.CharField("结果", max_length=20, choices=Result.choices, default=Result.PENDING)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ReviewCaseQuerySet.as_manager()

    class Meta:
        ordering = ["filed_on", "id"]
        verbose_name = "行政复议、行政诉讼"
        verbose_name_plural = "行政复议、行政诉讼"

    def __str__(self):
        return f"{self.get_kind_display()}（{self.body}，{cn_date(self.filed_on)}）"

    def result_at(self, day: datetime.date) -> str:
        """The result as known at the end of `day`: 尚未审结 until decided."""
        if self.decided_on is None or self.decided_on > day or self.result == self.Result.PENDING:
            return self.Result.PENDING
        return self.result


class ReminderSent(models.Model):
    """One reminder about one application to one person for one day: a second run sends nothing again."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders",
                                    verbose_name="申请")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name="接收人")
    kind = models.CharField("类型", max_length=20)
    key_date = models.DateField("提醒日期")

    class Meta:
        verbose_name = "依申请公开提醒"
        verbose_name_plural = "依申请公开提醒"
        constraints = [models.UniqueConstraint(fields=["application", "recipient", "kind", "key_date"],
                                               name="disclosure_reminder_once")]
