"""Unit cells as tables in other provinces write them (tasks.parsing.units)."""
import pytest

from tasks.parsing import split_unit_cell


def units(text, default="responsible", **kwargs):
    return [(u.text, u.role) for u in split_unit_cell(text, default, **kwargs)]


@pytest.mark.parametrize("text, expected", [
    ("区政务服务中心负责落实", [("区政务服务中心", "responsible")]),
    ("各乡镇参照落实", [("各乡镇", "responsible")]),
    ("区发改局牵头\n区财政局配合", [("区发改局", "lead"), ("区财政局", "cooperating")]),
    ("由区司法局负责", [("区司法局", "responsible")]),
    ("——", []), ("—", []), ("/", []), ("无", []), ("－", []),
    ("区财政局〔负责预算公开〕、区审计局", [("区财政局〔负责预算公开〕", "responsible"), ("区审计局", "responsible")]),
    ("区委网信办<负责舆情>", [("区委网信办<负责舆情>", "responsible")]),
    ("区发改局【牵头】、区财政局", [("区发改局", "lead"), ("区财政局", "responsible")]),
    ("各县（市、区）、市直各有关单位", [("各县（市、区）", "responsible"), ("市直各有关单位", "responsible")]),
    ("各县（市、区）人民政府", [("各县（市、区）人民政府", "responsible")]),
    ("各州、市人民政府", [("各州、市人民政府", "responsible")]),
    ("各区、县(市)政府、市政府各部门", [("各区、县(市)政府", "responsible"), ("市政府各部门", "responsible")]),
    ("各市〔州〕、县〔市、区〕政府,各级政府各部门、各单位按照职能分别落实",
     [("各市〔州〕、县〔市、区〕政府", "responsible"), ("各级政府各部门", "responsible"), ("各单位", "responsible")]),
    ("省政府办公厅、省发展改革委牵头;省直有关部门,各州、市人民政府按照职责分工负责",
     [("省政府办公厅", "lead"), ("省发展改革委", "lead"), ("省直有关部门", "responsible"),
      ("各州、市人民政府", "responsible")]),
    ("县司法局牵头各行政机关负责", [("县司法局", "lead"), ("各行政机关", "responsible")]),
    ("市政府办公室、市发展和改革局牵头,市直有关部门配合;各镇(街)参照落实",
     [("市政府办公室", "lead"), ("市发展和改革局", "lead"), ("市直有关部门", "cooperating"),
      ("各镇(街)", "responsible")]),
    ("市发展和改革局牵头，各镇(街)，市直有关部门配合",
     [("市发展和改革局", "lead"), ("各镇(街)", "responsible"), ("市直有关部门", "cooperating")]),
    ("牵头科室：办公室；责任科室：各科室", [("办公室", "lead"), ("各科室", "responsible")]),
    ("财政所、便民综合服务中心、土管所等", [("财政所", "responsible"), ("便民综合服务中心", "responsible"),
                                           ("土管所等", "responsible")]),
])
def test_unit_cells(text, expected):
    assert units(text) == expected


def test_lead_before_the_comma_when_the_table_says_so():
    text = "市发展改革委、市商务局,各区县政府、高新区管委会"
    assert units(text, lead_before_comma=True) == [
        ("市发展改革委", "lead"), ("市商务局", "lead"), ("各区县政府", "responsible"), ("高新区管委会", "responsible")]
    assert units(text)[0] == ("市发展改革委", "responsible")
