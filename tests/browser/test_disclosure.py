"""Journey: a unit's liaison keeps the 依申请公开 register — registers an application, sees its legal clock,
records an extension and the answer, imports last year's spreadsheet, and finds 表三 counted from it; the
office sees every unit's open applications. Screenshots at 1366×900 and on a phone (390×844)."""
import datetime

import openpyxl
import pytest

from disclosure.models import Application
from disclosure.tests.builders import make_application
from workflow.calendar import WorkCalendar, seed_from_package
from workflow.models import CalendarDay, CalendarYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def calendar(today):
    seed_from_package(CalendarDay, CalendarYear, years=[today.year - 1, today.year])


def register_xlsx(path, year):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([f"{year}年政府信息公开申请登记表"])
    sheet.append(["序号", "收到日期", "申请人", "申请人类型", "申请内容", "办理结果", "办结日期"])
    sheet.append([1, datetime.date(year, 3, 2), "周一", "自然人", "某小区规划许可", "予以公开", datetime.date(year, 3, 20)])
    sheet.append([2, datetime.date(year, 5, 6), "某公司", "企业", "某项目环评批复", "不予公开（保护第三方合法权益）",
                  datetime.date(year, 5, 30)])
    sheet.append([3, datetime.date(year, 12, 28), "吴二", "自然人", "年底收到的申请", "", ""])
    book.save(path)


def test_liaison_keeps_the_register(cast, calendar, open_as, shot, today, tmp_path):
    cal = WorkCalendar()
    received = cal.add_working_days(today, -3)
    page = open_as(cast["alice"])
    page.get_by_role("link", name="依申请公开", exact=True).click()
    assert page.locator("h1").inner_text() == "依申请公开登记簿"
    page.get_by_role("link", name="登记申请").click()
    page.fill("#id_received_on", (today + datetime.timedelta(days=1)).isoformat())
    page.select_option("#id_applicant_type", "natural")
    page.fill("#id_applicant_name", "赵敏")
    page.fill("#id_applicant_contact", "13912345678")
    page.fill("#id_request_text", "申请公开某道路拓宽工程的规划许可文件")
    page.get_by_role("button", name="保存").click()
    assert "晚于今天，不能登记未来的日期" in page.locator(".invalid-feedback").first.inner_text()
    assert not Application.objects.exists()
    shot(page, "future-date-refused")

    page.fill("#id_received_on", received.isoformat())
    page.get_by_role("button", name="保存").click()
    due = cal.add_working_days(received, 20)
    assert f"答复期限：{due.year}年{due.month}月{due.day}日" in page.locator(".card", has_text="法定期限").inner_text()
    assert "还剩17个工作日" in page.locator(".card", has_text="法定期限").inner_text()
    shot(page, "application")

    page.select_option("#id_kind", "extension")
    page.fill("#id_date", today.isoformat())
    page.get_by_role("button", name="登记办理过程").click()
    extended = cal.add_working_days(received, 40)
    assert f"答复期限：{extended.year}年{extended.month}月{extended.day}日" in page.get_by_role("alert").inner_text()

    page.select_option("#id_outcome", "partial")
    page.fill("#id_answered_on", today.isoformat())
    page.get_by_role("button", name="登记办结").click()
    assert "已登记办理结果“部分公开”，按时办结。" in page.get_by_role("alert").inner_text()
    shot(page, "answered")

    # Last year's spreadsheet: preview with a doubtful row, nothing saved until confirmed.
    path = tmp_path / "去年登记簿.xlsx"
    register_xlsx(path, today.year - 1)
    page.get_by_role("link", name="依申请公开", exact=True).click()
    page.get_by_role("link", name="导入登记簿").click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并预览").click()
    assert "共 3 条申请（其中未办结 1 条），存疑 1 行" in page.locator(".alert-success").inner_text()
    assert page.locator("tr.table-warning").count() == 1
    assert Application.objects.count() == 1
    shot(page, "import-preview")
    page.get_by_role("button", name="确认导入").click()
    assert "已导入 3 条申请" in page.get_by_role("alert").inner_text()
    shot(page, "register-list")

    page.get_by_role("link", name="年报表三表四").click()
    carried_row = page.locator("tr", has_text="二、上年结转")
    assert carried_row.locator("td").nth(7).inner_text() == "1"
    carried_row.locator("td").nth(1).get_by_role("link").click()
    assert "年底收到的申请" in page.locator("tbody").inner_text()
    assert page.locator("tbody tr").count() == 1
    page.go_back()
    shot(page, "annual-tables")

    phone = page.context.browser.new_context(viewport=PHONE)
    mobile = phone.new_page()
    mobile.context.add_cookies(page.context.cookies())
    for name, url in (("list", "/disclosure/"), ("detail", Application.objects.get(applicant_name="赵敏")
                                                   .get_absolute_url()), ("tables", "/disclosure/tables/"),
                      ("stats", "/disclosure/stats/")):
        mobile.goto(page.url.split("/disclosure")[0] + url)
        width = mobile.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} is {width}px wide on a phone"
        shot(mobile, f"phone-{name}")
    phone.close()


def test_office_sees_every_units_open_applications(cast, calendar, open_as, shot, today):
    cal = WorkCalendar()
    make_application(cast["unit_a"], cal.add_working_days(today, -25), name="甲", request="甲单位的逾期申请")
    make_application(cast["unit_b"], cal.add_working_days(today, -2), name="乙", request="乙单位的新申请")
    page = open_as(cast["office"])
    page.goto(page.url + "disclosure/open/")
    assert page.locator("h1").inner_text() == "各单位办理中的政府信息公开申请"
    body = page.locator("table").nth(1).inner_text()
    assert "甲单位的逾期申请" in body and "已逾期5个工作日" in body and "乙单位的新申请" in body
    shot(page, "office-open")
