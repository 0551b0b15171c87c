"""Loading a government's unit directory from parsed rows (tasks.importers.unit_directory, `import_units`)."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from units.models import Alias, Unit, UnitGroup

FIELD_LABELS = {"name": "全称", "short_name": "简称", "kind": "类型", "sort_order": "排序",
                "wecom_robot_url": "企业微信机器人", "dingtalk_robot_url": "钉钉机器人", "dingtalk_secret": "钉钉加签密钥"}
SECRET_FIELDS = {"wecom_robot_url", "dingtalk_robot_url", "dingtalk_secret"}  # printed as 已设置, never in clear


@dataclass
class DirectoryResult:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0


def _shown(name: str, unit: Unit) -> str:
    value = getattr(unit, name)
    if name == "kind":
        return unit.get_kind_display()
    if name in SECRET_FIELDS:
        return "已设置" if value else "空"
    return str(value)


def _find(government, row) -> Unit | None:
    by_name = Unit.objects.filter(government=government, name=row.name).first() if row.name else None
    by_short = (Unit.objects.filter(government=government, short_name=row.short_name).first()
                if row.short_name else None)
    if by_short and (by_name is None and row.name or by_name and by_name.pk != by_short.pk):
        # a new 全称 with a taken 简称: a rename is done on the unit's page, never guessed from a workbook
        raise ValidationError(f"第{row.number}行“简称”列“{row.short_name}”已是另一单位（{by_short.name}）的简称")
    return by_name or by_short


def _aliases_add(government, unit: Unit, row) -> list[str]:
    added = []
    for text in row.aliases:
        if text in (unit.name, unit.short_name):
            continue
        other = Unit.objects.filter(Q(name=text) | Q(short_name=text), government=government).exclude(pk=unit.pk)
        if other.exists() or UnitGroup.objects.filter(government=government, phrase=text).exists():
            raise ValidationError(f"第{row.number}行“别名”列“{text}”已是另一单位或单位组的名称")
        alias = Alias.objects.filter(government=government, text=text).first()
        if alias is None:
            Alias.objects.create(government=government, text=text, unit=unit)
            added.append(text)
        elif alias.unit_id != unit.pk:
            raise ValidationError(f"第{row.number}行“别名”列“{text}”已是{alias.unit or alias.group}的别名")
    return added


@transaction.atomic
def unit_directory_import(*, government, rows) -> DirectoryResult:
    """Create or update the government's units from the rows (matched by 全称; by 简称 only where 全称 is blank),
    add their aliases;
    all or nothing (ValidationError naming the row and column)."""
    result = DirectoryResult()
    for row in rows:
        unit = _find(government, row)
        wanted = {"name": row.name, "short_name": row.short_name, "kind": row.kind, "sort_order": row.sort_order,
                  "wecom_robot_url": row.wecom_robot_url, "dingtalk_robot_url": row.dingtalk_robot_url,
                  "dingtalk_secret": row.dingtalk_secret}
        wanted = {k: v for k, v in wanted.items() if v not in ("", None)}  # a blank cell changes nothing
        if unit is None:
            if not row.name:
                raise ValidationError(f"第{row.number}行“单位全称”列为空，无法新建单位“{row.short_name}”")
            unit = Unit(government=government, **{"short_name": row.name, **wanted})
            before = None
        else:
            before = {name: (getattr(unit, name), _shown(name, unit)) for name in FIELD_LABELS}
            for name, value in wanted.items():
                setattr(unit, name, value)
        try:
            unit.full_clean()
        except ValidationError as exc:
            field_name, messages = next(iter(exc.message_dict.items()))
            label = FIELD_LABELS.get(field_name, "单位全称")
            raise ValidationError(f"第{row.number}行“{label}”列：{messages[0]}") from None
        unit.save()
        added = _aliases_add(government, unit, row)
        alias_note = f"，新增别名{'、'.join(added)}" if added else ""
        if before is None:
            result.created.append(f"新建：{unit.name}（简称{unit.short_name}，{unit.get_kind_display()}，"
                                  f"排序{unit.sort_order}）{alias_note}")
            continue
        changes = []
        for name in FIELD_LABELS:
            value, shown = before[name]
            if value == getattr(unit, name):
                continue
            after = _shown(name, unit)
            changes.append(f"{FIELD_LABELS[name]}已更换" if shown == after else f"{FIELD_LABELS[name]}{shown}→{after}")
        if changes or added:
            result.changed.append(f"更新：{unit.name}：{'，'.join(changes) or '别名'}{alias_note}")
        else:
            result.unchanged += 1
    return result

