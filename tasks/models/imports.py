"""What the import remembers between imports: the office's column choices, per header word."""
from django.conf import settings
from django.db import models

from tasks.importers.columns import ROLE_LABELS, squash

ROLE_CHOICES = [(role, label) for role, label in ROLE_LABELS.items()]


class ColumnChoiceQuerySet(models.QuerySet):
    def mapping(self) -> dict[str, str]:
        """{header word: role} for every remembered choice: the ``columns=`` the importer takes."""
        return dict(self.values_list("header", "role"))


class ColumnChoice(models.Model):
    """The role the office gave a column whose header word the importer did not know (or read wrongly),
    remembered like a unit alias: the next import's guess and ``import_breakdown`` use it."""

    header = models.CharField("表头文字", max_length=60, unique=True,
                              help_text="去掉空格、冒号和星号后的表头文字，例如“推进措施”")
    role = models.CharField("对应列", max_length=20, choices=ROLE_CHOICES)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="设定人")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ColumnChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["header"]
        verbose_name = "表头对应"
        verbose_name_plural = "表头对应"

    def __str__(self):
        return f"{self.header} → {self.get_role_display()}"

    def save(self, *args, **kwargs):
        self.header = squash(self.header)
        super().save(*args, **kwargs)
