"""No ranking of units by activity (issue 17): statistics list units in their fixed order (Unit.sort_order)
whatever their counts, on the page, in its chart and in the exported workbook; the home page too."""
import datetime
import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from conftest import make_item, make_notice, make_unit
from tasks.services import progress_record

ORDER = ["甲单位", "乙单位", "丙单位"]  # the directory's fixed order (sort_order 1, 2, 3)
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The pages' "today", whatever the real date (the rows are then overdue, the year has data)."""
    monkeypatch.setattr("tasks.views.home.get_today", lambda: TODAY)
    monkeypatch.setattr("reports.views.stats.today", lambda: TODAY)
    monkeypatch.setattr("reports.views.summary.today", lambda: TODAY)


@pytest.fixture
def busy_last(government, office):
    """丙单位 (last in order) reports and finishes everything, 乙单位 some, 甲单位 (first) nothing: any ranking by
    activity or completion would reverse the order."""
    for order, name in enumerate(ORDER, 1):
        make_unit(f"测试区{name}", name, government=government, sort_order=order)
    notice = make_notice(doc_number="测政办〔2026〕5号")
    for number in (1, 2, 3):
        item = make_item(notice, number, responsible=ORDER, deadline=datetime.date(2026, 3, 31))
        for row in item.assignments.select_related("unit"):
            if row.unit.short_name == "丙单位" or (row.unit.short_name == "乙单位" and number == 1):
                for day in (1, 2, 3):
                    progress_record(assignment=row, author=office, text=f"第{day}次报送", status="in_progress",
                                    reported_on=datetime.date(2026, 3, day))
                progress_record(assignment=row, author=office, text="已完成", status="done",
                                reported_on=datetime.date(2026, 3, 20))
    return notice


def names_in(text: str) -> list[str]:
    return [m for m in re.findall("|".join(ORDER), text)]


def test_stats_page_and_chart_keep_the_fixed_order(client, office, busy_last):
    client.force_login(office)
    page = client.get(reverse("reports:stats") + "?year=2026").content.decode()
    table = page.split("按单位统计")[1].split("按部分统计")[0]
    assert names_in(table) == ORDER
    data = json.loads(page.split('id="chart-data" type="application/json">')[1].split("</script>")[0])
    assert data["units"]["labels"] == ORDER
    for word in ("排名", "排行", "最活跃", "报送次数"):
        assert word not in page


def test_the_exported_unit_sheet_keeps_the_fixed_order(client, office, busy_last):
    client.force_login(office)
    response = client.get(reverse("reports:summary-export") + "?year=2026")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    cells = [str(v) for row in book["单位统计"].iter_rows(values_only=True) for v in row if v is not None]
    units_part = "\n".join(cells).split("按单位统计")[1].split("按部分统计")[0]
    assert names_in(units_part) == ORDER
    assert not any(word in "\n".join(cells) for word in ("排名", "排行", "最活跃"))


def test_home_lists_late_units_in_the_fixed_order(client, office, busy_last):
    client.force_login(office)
    page = client.get(reverse("home") + "?year=2026").content.decode()
    card = page.split("有逾期事项的单位")[1].split("</ul>")[0]
    # 甲单位 has 3 overdue rows and 乙单位 2, yet they come in the directory's order, not by count.
    late = names_in(card)
    assert late == sorted(late, key=ORDER.index) and "甲单位" in late and "乙单位" in late
    assert "逾期最多" not in page
