"""表三 / 表四 from the register: counts by row and column, the year-end carry-over, the predicate."""
import json

import pytest
from django.core.management import call_command

from disclosure.models import T3_ROW_CODES, ReviewCase
from disclosure.services import annual_tables, unit_keeps_register, year_end_carry_over
from disclosure.tests.builders import d, make_application

ROW = {code: i for i, code in enumerate(T3_ROW_CODES)}


@pytest.fixture
def register(unit_a, unit_b):
    make_application(unit_a, d("2025-12-20"), name="去年未办结", request="去年收到、今年办结")  # carried into 2026
    last = make_application(unit_a, d("2025-12-29"), name="去年跨年", request="跨年申请", outcome="open",
                            answered_on=d("2026-01-15"), applicant_type="commercial")
    make_application(unit_a, d("2025-03-01"), name="去年已办", request="去年办结", outcome="open",
                     answered_on=d("2025-03-20"))
    make_application(unit_a, d("2026-02-03"), name="李四", request="申请甲", outcome="partial",
                     answered_on=d("2026-02-20"))
    make_application(unit_a, d("2026-03-03"), name="某律所", applicant_type="legal", request="申请乙",
                     outcome="deny_secret", answered_on=d("2026-03-10"))
    open_app = make_application(unit_a, d("2026-12-28"), name="王五", request="年底收到")  # carried into 2027
    make_application(unit_b, d("2026-05-05"), name="乙单位申请人", request="乙单位的申请", outcome="open",
                     answered_on=d("2026-05-06"))
    ReviewCase.objects.create(application=last, kind="review", body="测试区人民政府", filed_on=d("2026-02-01"),
                              decided_on=d("2026-04-01"), result="upheld")
    ReviewCase.objects.create(application=last, kind="suit_direct", body="测试区人民法院", filed_on=d("2026-03-01"))
    ReviewCase.objects.create(application=last, kind="suit_after_review", body="测试市中级人民法院",
                              filed_on=d("2026-06-01"), decided_on=d("2027-01-10"), result="corrected")
    return {"open": open_app, "last": last}


def test_table3_counts_new_carried_results_and_carry_over(register, unit_a):
    t3 = annual_tables(year=2026, unit=unit_a)["table3"]
    assert len(t3) == 25 and all(len(r) == 7 for r in t3)
    assert t3[ROW["new"]] == [2, 0, 0, 0, 1, 0, 3]
    assert t3[ROW["carried"]] == [1, 1, 0, 0, 0, 0, 2]
    assert t3[ROW["open"]] == [0, 1, 0, 0, 0, 0, 1]
    assert t3[ROW["partial"]] == [1, 0, 0, 0, 0, 0, 1]
    assert t3[ROW["deny_secret"]] == [0, 0, 0, 0, 1, 0, 1]
    assert t3[ROW["total"]] == [1, 1, 0, 0, 1, 0, 3]
    assert t3[ROW["carry_next"]] == [2, 0, 0, 0, 0, 0, 2]
    for c in range(7):  # 一 + 二 = （七）总计 + 四, and 总计 = the results' sum
        assert t3[0][c] + t3[1][c] == t3[-2][c] + t3[-1][c]
        assert sum(row[c] for row in t3[2:-2]) == t3[-2][c]


def test_open_on_31_december_is_carried_to_next_year(register, unit_a):
    carried = {a.applicant_name for a in year_end_carry_over(year=2026, unit=unit_a)}
    assert carried == {"王五", "去年未办结"}  # open on 31 December 2026, whenever received
    t2026 = annual_tables(year=2026, unit=unit_a)["table3"]
    t2027 = annual_tables(year=2027, unit=unit_a)["table3"]
    assert t2027[ROW["carried"]] == t2026[ROW["carry_next"]]
    assert annual_tables(year=2025, unit=unit_a)["table3"][ROW["carry_next"]][6] == t2026[ROW["carried"]][6]


def test_table4_counts_cases_by_result_as_at_year_end(register, unit_a):
    t4 = annual_tables(year=2026, unit=unit_a)["table4"]
    assert t4 == [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1]
    assert annual_tables(year=2026, unit=None)["table4"] == t4


def test_whole_government_adds_every_unit(register, unit_a, unit_b):
    everyone = annual_tables(year=2026, unit=None)["table3"]
    assert everyone[ROW["new"]][6] == 4
    assert annual_tables(year=2026, unit=unit_b)["table3"][ROW["open"]] == [1, 0, 0, 0, 0, 0, 1]


def test_unit_keeps_register_from_its_first_year(register, unit_a, unit_b, street):
    assert unit_keeps_register(unit_a, 2026) and unit_keeps_register(unit_a, 2025)
    assert not unit_keeps_register(unit_a, 2024)
    assert not unit_keeps_register(street, 2026)


def test_applications_table_command_prints_the_contract_json(register, unit_a, capsys):
    call_command("applications_table", "--year", "2026", "--unit", "区发改局")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"table3", "table4"}
    assert len(data["table3"]) == 25 and len(data["table4"]) == 15
    assert data == annual_tables(year=2026, unit=unit_a)
