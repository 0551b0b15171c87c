"""Resolving a name as a table writes it to a unit or a group phrase."""
import pytest
from django.db import IntegrityError

from units.models import Alias, Unit, UnitGroup, normalise_name


@pytest.mark.parametrize("written,expected", [
    ("市大数据委（负责专题建设）", "市大数据委"),
    ("区 发改局", "区发改局"),
    ("各县（市）区政府", "各县（市）区政府"),
    ("市司法局(负责市政府规章)", "市司法局"),
])
def test_normalise_name_strips_spaces_and_a_trailing_note(written, expected):
    assert normalise_name(written) == expected


@pytest.fixture
def office_unit(government):
    unit = Unit.objects.create(government=government, name="福州市鼓楼区人民政府办公室", short_name="区政府办", sort_order=1)
    Alias.objects.create(government=government, text="政府办", unit=unit)
    Alias.objects.create(government=government, text="区政府办公室", unit=unit)
    return unit


def test_short_name_full_name_and_aliases_resolve_to_one_unit(office_unit):
    for written in ["区政府办", "福州市鼓楼区人民政府办公室", "政府办", "区政府办公室", "政府办（牵头）"]:
        assert Alias.objects.resolve(written) == office_unit, written


def test_group_phrases_and_their_aliases_resolve(db, office_unit):
    group = UnitGroup.objects.create(government=office_unit.government, phrase="区直各有关部门")
    Alias.objects.create(government=office_unit.government, text="区直各部门", group=group)
    assert Alias.objects.resolve("区直各有关部门") == group
    assert Alias.objects.resolve("区直各部门") == group
    assert Alias.objects.resolve("十街镇") is None


def test_an_alias_points_to_exactly_one_target(office_unit):
    group = UnitGroup.objects.create(government=office_unit.government, phrase="十街镇")
    with pytest.raises(IntegrityError):
        Alias.objects.create(government=office_unit.government, text="两者", unit=office_unit, group=group)


def test_liaison_must_belong_to_a_unit(db):
    from django.core.exceptions import ValidationError

    from units.models import User

    user = User(username="x", role=User.Role.LIAISON)
    with pytest.raises(ValidationError) as exc:
        user.clean()
    assert "单位联络员必须属于一个单位。" in str(exc.value)
