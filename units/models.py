"""Units (单位), unit groups (group phrases such as 区直各有关部门), name aliases and users."""
import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

# A parenthesised note written after a unit name: "市大数据委（负责专题建设）".
_NOTE_RE = re.compile(r"[（(][^（）()]*[）)]$")


def normalise_name(text: str) -> str:
    """The lookup form of a unit name: no whitespace, no trailing note."""
    text = re.sub(r"\s+", "", text or "")
    # Keep notes that are part of the name itself, such as 各县（市）区政府: only strip a trailing one.
    stripped = _NOTE_RE.sub("", text)
    return stripped or text


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_fixed_order(self):
        return self.order_by("sort_order", "name")


class Unit(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", "区直部门"
        STREET = "street", "街道"
        TOWN = "town", "镇"
        UPPER = "upper", "上级部门"
        ENTERPRISE = "enterprise", "企事业单位"
        OTHER = "other", "其他"

    name = models.CharField("全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, unique=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    sort_order = models.PositiveIntegerField("排序", default=1000, db_index=True)
    is_active = models.BooleanField("启用", default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self):
        return self.short_name


class UnitGroup(models.Model):
    """A phrase standing for many units: 区直各有关部门, 十街镇, 各街道办."""

    phrase = models.CharField("词语", max_length=100, unique=True)
    members = models.ManyToManyField(Unit, related_name="groups", verbose_name="成员单位", blank=True)
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = "单位组（泛称）"
        verbose_name_plural = "单位组（泛称）"

    def __str__(self):
        return self.phrase


class AliasQuerySet(models.QuerySet):
    def resolve(self, text: str):
        """The Unit or UnitGroup a name as written stands for, or None."""
        key = normalise_name(text)
        unit = Unit.objects.filter(Q(short_name=key) | Q(name=key)).first()
        if unit:
            return unit
        group = UnitGroup.objects.filter(phrase=key).first()
        if group:
            return group
        alias = self.select_related("unit", "group").filter(text=key).first()
        if alias:
            return alias.unit or alias.group
        return None


class Alias(models.Model):
    """Another way a table writes a unit or a group: 政府办 = 区政府办公室 = 区政府办."""

    text = models.CharField("写法", max_length=100, unique=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="aliases",
                             verbose_name="单位")
    group = models.ForeignKey(UnitGroup, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="aliases", verbose_name="单位组")

    objects = AliasQuerySet.as_manager()

    class Meta:
        ordering = ["text"]
        verbose_name = "别名"
        verbose_name_plural = "别名"
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False, group__isnull=True) | Q(unit__isnull=True, group__isnull=False)),
                name="alias_points_to_exactly_one",
            )
        ]

    def __str__(self):
        return f"{self.text} → {self.unit or self.group}"

    def clean(self):
        if bool(self.unit_id) == bool(self.group_id):
            raise ValidationError("别名必须且只能指向一个单位或一个单位组。")


class User(AbstractUser):
    class Role(models.TextChoices):
        OFFICE_ADMIN = "office_admin", "公开办管理员"
        LIAISON = "liaison", "单位联络员"
        VIEWER = "viewer", "只读查看"

    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="users",
                             verbose_name="所属单位")
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.VIEWER)
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.display_name or self.username

    @property
    def is_office(self) -> bool:
        """Office admins (and superusers) see and change every unit's rows."""
        return self.is_superuser or self.role == self.Role.OFFICE_ADMIN

    @property
    def sees_everything(self) -> bool:
        """Office staff, and viewers without a unit (leaders), read every row."""
        return self.is_office or (self.role == self.Role.VIEWER and self.unit_id is None)

    @property
    def can_edit_own_unit(self) -> bool:
        return self.is_office or (self.role == self.Role.LIAISON and self.unit_id is not None)

    def clean(self):
        if self.role == self.Role.LIAISON and not self.unit_id:
            raise ValidationError({"unit": "单位联络员必须属于一个单位。"})
