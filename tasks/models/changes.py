"""Change sets: the ledger rows one import or edit gave a unit, or whose 时限 it changed.

tasks records them (tasks.changes.change_set_record); the layer above (workflow) tells each unit once per
change set, in the app and in its next digest, and marks the set notified.
"""
from django.conf import settings
from django.db import models

from tasks.models.core import Assignment, Notice
from units.models import Government, Unit


class ChangeSetQuerySet(models.QuerySet):
    def unnotified(self):
        return self.filter(notified_at__isnull=True)


class ChangeSet(models.Model):
    class Kind(models.TextChoices):
        IMPORT = "import", "导入通知"
        REIMPORT = "reimport", "重新导入"
        EDIT = "edit", "修改事项"
        CARRY = "carry", "结转整改"

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+", verbose_name="所属政府")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="change_sets", verbose_name="通知")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="操作人")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    notified_at = models.DateTimeField("已通知时间", null=True, blank=True)

    objects = ChangeSetQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "任务变动"
        verbose_name_plural = "任务变动"
        indexes = [models.Index(fields=["notified_at"], name="changeset_unnotified",
                                condition=models.Q(notified_at__isnull=True))]

    def __str__(self):
        return f"{self.notice.doc_number} {self.get_kind_display()}"


class ChangeSetRow(models.Model):
    class What(models.TextChoices):
        NEW = "new", "新分配"
        DEADLINE = "deadline", "时限调整"

    change_set = models.ForeignKey(ChangeSet, on_delete=models.CASCADE, related_name="rows", verbose_name="任务变动")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+", verbose_name="台账行")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name="单位")
    what = models.CharField("变动", max_length=20, choices=What.choices)

    class Meta:
        ordering = ["change_set", "unit_id", "id"]
        verbose_name = "变动的台账行"
        verbose_name_plural = "变动的台账行"

    def __str__(self):
        return f"{self.unit_id} {self.get_what_display()}"
