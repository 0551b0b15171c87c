"""Chasing late units (催办) and in-app notifications (reminders, chases, review results)."""
from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from tasks.models import Assignment, Item
from units.models import Government, Unit


class ChaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Chases of rows the user sees; and, for a government's office and leaders, the chases their
        government received from the upper office and the ones it sent to its lower governments."""
        rows = Q(assignment__in=Assignment.objects.visible_to(user))
        if not user.is_authenticated or not user.sees_everything:
            return self.filter(rows)
        if user.sees_all_governments:
            return self
        gov = user.government_id
        return self.filter(rows | Q(government_id=gov) | Q(government__isnull=False, item__notice__government_id=gov))

    def for_unit(self, unit):
        return self.filter(unit=unit)

    def for_year(self, year):
        return self.filter(year=year)

    def counts_per_unit(self):
        """[{unit_id, unit__short_name, chase_count, assignment_count}] ordered like the unit list."""
        return (self.values("unit_id", "unit__short_name", "unit__sort_order")
                .annotate(chase_count=Count("id"), assignment_count=Count("assignment_id", distinct=True))
                .order_by("unit__sort_order", "unit__short_name"))


class Chase(models.Model):
    """催办: the office reminds a unit of a late ledger row, with a message. Kept even if the row goes.

    An upper office chasing a lower government on one of its own items (下级落实情况) makes a chase with no
    ledger row: ``government`` is the government chased, ``unit`` its office unit, ``item`` the upper item.
    """

    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="chases", verbose_name="台账行")
    government = models.ForeignKey(Government, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="被催办的下级政府")
    # Denormalised so the statistics and the item history need no join through the ledger row.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="chases", verbose_name="被催办单位")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="chases", verbose_name="任务事项")
    year = models.PositiveIntegerField("年度", db_index=True)
    due_date = models.DateField("当时的完成时限", null=True, blank=True)
    message = models.TextField("催办内容")
    urgent = models.BooleanField("加急", default=False,
                                 help_text="加急催办在夜间和非工作日也立即发送到短信、邮件和工作群。")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="催办人")
    created_on = models.DateField("催办日期")
    created_at = models.DateTimeField("催办时间", auto_now_add=True)

    objects = ChaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "催办记录"
        verbose_name_plural = "催办记录"
        indexes = [models.Index(fields=["unit", "year"], name="chase_unit_year")]

    def __str__(self):
        if self.government_id:
            return f"催办 {self.government} 第{self.item.number}项"
        return f"催办 {self.unit} 第{self.assignment.item_number}项" if self.assignment_id else f"催办 {self.unit}"


def annotate_chase_counts(units, *, year: int | None = None):
    """Units annotated with chase_count (how often each was chased, in `year` if given): for statistics."""
    chases = Chase.objects.filter(unit=OuterRef("pk"))
    if year is not None:
        chases = chases.filter(year=year)
    counted = chases.order_by().values("unit").annotate(n=Count("id")).values("n")
    return units.annotate(chase_count=Coalesce(Subquery(counted), 0))


def with_chase_counts(assignments):
    """Ledger rows annotated with chase_count and last_chased_at."""
    chases = Chase.objects.filter(assignment=OuterRef("pk")).order_by()
    return assignments.annotate(
        chase_count=Coalesce(Subquery(chases.values("assignment").annotate(n=Count("id")).values("n")), 0),
        last_chased_at=Subquery(chases.order_by("-created_at").values("created_at")[:1]),
    )


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user, shown in the app and (for most kinds) also sent by e-mail."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "临近时限提醒"
        OVERDUE = "overdue", "逾期提醒"
        CHASE = "chase", "催办"
        REVIEW_REQUESTED = "review_requested", "待审核"
        REVIEW_ACCEPTED = "review_accepted", "审核通过"
        REVIEW_RETURNED = "review_returned", "退回修改"
        PUBLISHED = "published", "上级下发"
        NEW_WORK = "new_work", "新任务"
        STALLED = "stalled", "停滞提醒"

    REMINDER_KINDS = (Kind.DUE_SOON, Kind.OVERDUE)

    # None: a message for a unit without liaison accounts, kept only for its work-group robot's digest
    # (workflow.notifications.recipients_by_unit); nobody's inbox shows it.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name="接收人")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="notifications", verbose_name="台账行")
    chase = models.ForeignKey(Chase, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications",
                              verbose_name="催办记录")
    # For reminders: the day the reminder is for; with the other key fields it makes a resend impossible.
    key_date = models.DateField("提醒日期", null=True, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    email_error = models.CharField("邮件发送错误", max_length=300, blank=True)
    # Digests (workflow.digests): the unit the message concerns (its work-group robot gets it too), whether
    # it may break the quiet hours, and when it went into the person's and the unit robot's digest.
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name="相关单位")
    urgent = models.BooleanField("加急", default=False)
    change_set = models.ForeignKey("tasks.ChangeSet", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", verbose_name="任务变动")
    digested_at = models.DateTimeField("已汇总发送", null=True, blank=True)
    robot_digested_at = models.DateTimeField("已汇总发送到工作群", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "通知消息"
        verbose_name_plural = "通知消息"
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind", "key_date", "recipient"],
                                    condition=Q(key_date__isnull=False), name="notification_once_per_key"),
            # a robot-only message (no recipient: NULLs never clash above) is also made once per unit and key
            models.UniqueConstraint(fields=["assignment", "kind", "key_date", "unit"],
                                    condition=Q(key_date__isnull=False, recipient__isnull=True),
                                    name="notification_robot_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            models.Index(fields=["created_at"], condition=Q(digested_at__isnull=True), name="notification_undigested"),
            models.Index(fields=["created_at"], condition=Q(robot_digested_at__isnull=True, unit__isnull=False),
                         name="notification_robot_undigested"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
