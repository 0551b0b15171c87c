"""Governments (政府), their units (单位), unit groups (group phrases such as 区直各有关部门), name aliases and users.

One install serves a city's office and its districts (集约化): every unit, group phrase and alias belongs to one
government, and a name is resolved within one government, so 区教育局 in 鼓楼 is 鼓楼区教育局 and the same short
name in two districts never collides. A user belongs to a unit and so to its government.
"""
import re
from functools import cached_property

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


class GovernmentQuerySet(models.QuerySet):
    def lower_of(self, government):
        """The governments directly below ``government`` (a city's districts)."""
        return self.filter(upper=government)

    def in_fixed_order(self):
        return self.order_by("sort_order", "name")


class Government(models.Model):
    """A government (行政区划 / 机关) with its own office, units and tables: 福州市, 鼓楼区, 东街街道 …"""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县区"
        TOWNSHIP = "township", "乡镇街道"

    LEVEL_RANK = {Level.PROVINCE: 0, Level.CITY: 1, Level.COUNTY: 2, Level.TOWNSHIP: 3}

    name = models.CharField("全称", max_length=100, unique=True, help_text="例如 福州市鼓楼区人民政府")
    short_name = models.CharField("简称", max_length=50, help_text="例如 鼓楼区")
    level = models.CharField("层级", max_length=20, choices=Level.choices, default=Level.COUNTY)
    upper = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="lowers",
                              verbose_name="上级政府")
    shares_details = models.BooleanField(
        "允许上级查看明细", default=False,
        help_text="不勾选时，上级政府办只能看到本级落实上级任务的汇总情况；勾选后可查看各单位的台账明细。")
    office_unit = models.ForeignKey("Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="本级政府办", help_text="上级政府办催办本级时，催办记在这个单位名下。")
    sort_order = models.PositiveIntegerField("排序", default=1000)

    objects = GovernmentQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "政府"
        verbose_name_plural = "政府"

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        if self.office_unit_id and self.pk and self.office_unit.government_id != self.pk:
            raise ValidationError({"office_unit": "本级政府办必须是本级政府的单位。"})
        if self.upper_id is None:
            return
        if self.upper_id == self.pk:
            raise ValidationError({"upper": "上级政府不能是自己。"})
        upper, seen = self.upper, {self.pk}
        while upper is not None:
            if upper.pk in seen:
                raise ValidationError({"upper": "上级政府不能形成循环。"})
            seen.add(upper.pk)
            upper = upper.upper
        if self.LEVEL_RANK[self.upper.level] >= self.LEVEL_RANK[self.level]:
            raise ValidationError({"upper": f"上级政府的层级（{self.upper.get_level_display()}）应高于本级"
                                            f"（{self.get_level_display()}）。"})


class UnitQuerySet(models.QuerySet):
    def in_government(self, government):
        return self.filter(government=government)

    def visible_to(self, user):
        """The unit directory a user works with: the user's own government's units (all, for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser and not user.government_id:
            return self
        return self.filter(government_id=user.government_id)

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

    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="units", verbose_name="所属政府")
    name = models.CharField("全称", max_length=100)
    short_name = models.CharField("简称", max_length=50)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    sort_order = models.PositiveIntegerField("排序", default=1000, db_index=True)
    is_active = models.BooleanField("启用", default=True)
    # The unit's work-group robots: the daily digest goes there too (workflow.channels).
    wecom_robot_url = models.URLField("企业微信机器人地址", max_length=300, blank=True,
                                      help_text="企业微信群机器人的 Webhook 地址，留空则不发送")
    dingtalk_robot_url = models.URLField("钉钉机器人地址", max_length=300, blank=True,
                                         help_text="钉钉群机器人的 Webhook 地址，留空则不发送")
    dingtalk_secret = models.CharField("钉钉机器人加签密钥", max_length=100, blank=True,
                                       help_text="钉钉机器人“加签”安全设置的密钥（SEC 开头）")

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "单位"
        verbose_name_plural = "单位"
        constraints = [
            models.UniqueConstraint(fields=["government", "name"], name="unit_name_unique_in_government"),
            models.UniqueConstraint(fields=["government", "short_name"], name="unit_short_name_unique_in_government"),
        ]

    def __str__(self):
        return self.short_name


class UnitGroup(models.Model):
    """A phrase standing for many units: 区直各有关部门, 十街镇, 各街道办."""

    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="unit_groups",
                                   verbose_name="所属政府")
    phrase = models.CharField("词语", max_length=100)
    members = models.ManyToManyField(Unit, related_name="groups", verbose_name="成员单位", blank=True)
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = "单位组（泛称）"
        verbose_name_plural = "单位组（泛称）"
        constraints = [models.UniqueConstraint(fields=["government", "phrase"], name="group_phrase_unique_in_government")]

    def __str__(self):
        return self.phrase


class AliasQuerySet(models.QuerySet):
    def resolve(self, text: str, government=None):
        """The Unit or UnitGroup a name as written stands for within ``government``, or None.

        Without a government (commands naming a unit), the name is looked up in every government and
        resolves only where exactly one government knows it.
        """
        if government is None:
            found = {self.resolve(text, g) for g in Government.objects.all()} - {None}
            return found.pop() if len(found) == 1 else None
        key = normalise_name(text)
        unit = Unit.objects.filter(Q(short_name=key) | Q(name=key), government=government).first()
        if unit:
            return unit
        group = UnitGroup.objects.filter(phrase=key, government=government).first()
        if group:
            return group
        alias = self.select_related("unit", "group").filter(text=key, government=government).first()
        if alias:
            return alias.unit or alias.group
        return None


class Alias(models.Model):
    """Another way a table writes a unit or a group: 政府办 = 区政府办公室 = 区政府办."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="aliases",
                                   verbose_name="所属政府")
    text = models.CharField("写法", max_length=100)
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
            ),
            models.UniqueConstraint(fields=["government", "text"], name="alias_text_unique_in_government"),
        ]

    def __str__(self):
        return f"{self.text} → {self.unit or self.group}"

    def clean(self):
        if bool(self.unit_id) == bool(self.group_id):
            raise ValidationError("别名必须且只能指向一个单位或一个单位组。")
        target = self.unit if self.unit_id else self.group
        if self.government_id and target.government_id != self.government_id:
            raise ValidationError("别名只能指向本级政府的单位或单位组。")


class User(AbstractUser):
    class Role(models.TextChoices):
        OFFICE_ADMIN = "office_admin", "公开办管理员"
        LIAISON = "liaison", "单位联络员"
        VIEWER = "viewer", "只读查看"

    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="users",
                             verbose_name="所属单位")
    # The unit's government, kept with the user so leaders without a unit belong to one too; clean() keeps
    # it equal to the unit's. Only a superuser may have none (the install's operator: sees every government).
    government = models.ForeignKey(Government, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="users", verbose_name="所属政府")
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.VIEWER)
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    # Set when an office admin gives the user a password (a new account, a reset): the next page after login
    # is 修改密码 until the user chooses their own (units.middleware).
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.display_name or self.username

    @property
    def is_office(self) -> bool:
        """Office admins (and superusers) see and change every unit's rows of their government."""
        return self.is_superuser or self.role == self.Role.OFFICE_ADMIN

    @property
    def sees_everything(self) -> bool:
        """Office staff, and viewers without a unit (leaders), read every row of their government."""
        return self.is_office or (self.role == self.Role.VIEWER and self.unit_id is None)

    @property
    def sees_all_governments(self) -> bool:
        """The install's operator: a superuser without a government."""
        return self.is_superuser and self.government_id is None

    @cached_property
    def _governments(self) -> list[tuple[int, int | None, bool]]:
        """(id, upper id, shares details) of every government, read once per request (a few hundred rows at
        most): the visibility rule then filters on plain columns the ledger's indexes serve."""
        return list(Government.objects.values_list("id", "upper_id", "shares_details"))

    @property
    def sharing_lower_ids(self) -> list[int]:
        """The governments directly below the user's that let its office read their rows."""
        if getattr(self, "sharing_lower_count", None) == 0 and self.government_id is not None:
            return []  # counted with the request's user (units.backends)
        return [g for g, upper, shares in self._governments if upper == self.government_id and shares]

    @property
    def sees_whole_install(self) -> bool:
        """Sees every row there is (the operator; or the office of the only government)."""
        count = getattr(self, "government_count", None)  # read with the request's user (units.backends)
        return self.sees_all_governments or (
            self.sees_everything and (count if count is not None else len(self._governments)) == 1)

    @property
    def can_edit_own_unit(self) -> bool:
        return self.is_office or (self.role == self.Role.LIAISON and self.unit_id is not None)

    def clean(self):
        if self.role == self.Role.LIAISON and not self.unit_id:
            raise ValidationError({"unit": "单位联络员必须属于一个单位。"})
        if self.unit_id:
            if self.government_id and self.government_id != self.unit.government_id:
                raise ValidationError({"government": "所属政府必须与所属单位的政府一致。"})
            self.government_id = self.unit.government_id
        if not self.government_id and not self.is_superuser:
            raise ValidationError({"government": "请选择所属政府。"})
