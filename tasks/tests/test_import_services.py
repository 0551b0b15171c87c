"""The import's answers for unknown unit names: aliases remembered, units and groups created, all or nothing."""
import pytest
from django.core.exceptions import ValidationError

from tasks.breakdown import ParsedNotice, ParsedSection, ParsedTask
from tasks.models import Notice
from tasks.services import NameChoice, alias_remember, name_choice_apply, notice_import_with_choices
from units.models import Alias, Unit, UnitGroup


def parsed(*units: str) -> ParsedNotice:
    return ParsedNotice(doc_number="测政办〔2026〕9号", year=2026, title="关于印发分解表的通知", sections=[
        ParsedSection("一", "推进公开", tasks=[ParsedTask(number=1, requirement="公开目录。", responsible_units=list(units))])])


def test_an_alias_is_remembered_once_and_never_for_the_names_themselves(unit_a):
    assert alias_remember(text="区发改局", target=unit_a) is None
    assert alias_remember(text="测试区发展和改革局", target=unit_a) is None
    alias = alias_remember(text="发改 局", target=unit_a)
    assert (alias.text, alias.unit) == ("发改局", unit_a)
    assert alias_remember(text="发改局", target=unit_a) is None  # already known
    assert Alias.objects.resolve("发改局") == unit_a


def test_an_alias_never_moves_to_another_unit(unit_a, unit_b):
    alias_remember(text="发改局", target=unit_a)
    with pytest.raises(ValidationError) as exc:
        alias_remember(text="发改局", target=unit_b)
    assert exc.value.messages == ["写法“发改局”已对应“区发改局”，不能再对应“区教育局”。"]


def test_a_spelling_with_a_scope_note_maps_by_its_name_and_keeps_the_note(unit_a):
    text = "市大数据委（负责专题建设）"
    notice = notice_import_with_choices(government=unit_a.government, parsed=parsed(text), choices=[
        NameChoice(texts=[text], action="map", target=unit_a)])
    row = notice.assignments.get()
    assert (row.unit, row.written_as, row.scope_note) == (unit_a, text, "负责专题建设")
    assert Alias.objects.get(text="市大数据委").unit == unit_a


def test_a_group_phrase_gets_its_members_and_a_new_unit_its_kind(unit_a, street):
    group = name_choice_apply(government=unit_a.government, choice=NameChoice(texts=["各街镇"], action="group", members=(street,)))
    assert (group.phrase, list(group.members.all())) == ("各街镇", [street])
    unit = name_choice_apply(government=unit_a.government, choice=NameChoice(texts=["西街"], action="unit", name="测试区西街街道办事处",
                                               short_name="西街街道", kind=Unit.Kind.STREET))
    assert (unit.kind, Alias.objects.get(text="西街").unit) == (Unit.Kind.STREET, unit)


@pytest.mark.parametrize("choice, message", [
    (NameChoice(texts=["档案馆"], action="map"), "请为“档案馆”选择对应的单位或单位组。"),
    (NameChoice(texts=["档案馆"], action="group"), "请为泛称“档案馆”选择至少一个成员单位。"),
    (NameChoice(texts=["档案馆"], action="unit", name="测试区发展和改革局", short_name="档案馆"),
     "单位“测试区发展和改革局”（简称“区发改局”）已存在，请将“档案馆”对应到该单位，或换一个名称。"),
    (NameChoice(texts=["档案馆"], action=""), "请为“档案馆”选择处理方式。"),
])
def test_incomplete_answers_are_refused_and_nothing_is_saved(unit_a, choice, message):
    before = (Unit.objects.count(), UnitGroup.objects.count(), Alias.objects.count())
    with pytest.raises(ValidationError) as exc:
        notice_import_with_choices(government=unit_a.government, parsed=parsed("档案馆"), choices=[choice])
    assert exc.value.messages == [message]
    assert (Unit.objects.count(), UnitGroup.objects.count(), Alias.objects.count()) == before
    assert not Notice.objects.exists()


def test_a_failing_notice_takes_the_new_units_with_it(unit_a, street):
    notice_import_with_choices(government=unit_a.government, parsed=parsed("区发改局"), choices=[])
    before = (Unit.objects.count(), UnitGroup.objects.count(), Alias.objects.count())
    with pytest.raises(ValidationError, match="已存在"):  # same 文号 again
        notice_import_with_choices(government=unit_a.government, parsed=parsed("档案馆"), choices=[
            NameChoice(texts=["档案馆"], action="unit", name="测试区档案馆", short_name="区档案馆")])
    assert (Unit.objects.count(), UnitGroup.objects.count(), Alias.objects.count()) == before
