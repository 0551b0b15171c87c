"""The menu and the home page's year selector fit the screen: at 1366×900 the office admin's menu (every entry
of a superuser office admin) stays on one line; at 390×844 it folds behind the menu button and opens whole;
the year selector shows a closed year's whole label (2025年（已归档）) at both sizes."""
import datetime

import pytest

from tests.browser.journeys import SIZES, Journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The width the selected option's text needs beside the select's padding and arrow, and the width it has.
LABEL_FITS = """select => {
  const style = getComputedStyle(select), probe = document.createElement("span");
  probe.style.font = style.font; probe.style.whiteSpace = "pre";
  probe.textContent = select.options[select.selectedIndex].text;
  document.body.appendChild(probe);
  const needed = probe.getBoundingClientRect().width;
  probe.remove();
  return [needed, select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)];
}"""


@pytest.fixture
def closed_year(cast, today):
    """Last year's table, its year closed (年度归档); the office admin is also a superuser (管理后台 in the menu)."""
    from django.utils import timezone

    from conftest import make_item, make_notice
    from tasks.models import ClosedYear

    year = today.year - 1
    notice = make_notice(doc_number=f"测政办〔{year}〕3号", year=year, title=f"{year}年分解表")
    make_item(notice, 1, responsible=["区教育局"], requirement="去年的任务。", deadline=datetime.date(year, 12, 31))
    office = cast["office"]
    ClosedYear.objects.create(government=office.government, year=year, closed_by=office, closed_at=timezone.now())
    office.is_superuser = office.is_staff = True
    office.save(update_fields=["is_superuser", "is_staff"])
    return year


@pytest.mark.parametrize("viewport", **SIZES)
def test_the_menu_and_the_year_selector_fit(viewport, cast, closed_year, new_context, live_server, shots):
    office = Journey(new_context, live_server, viewport, shots, "office")
    page = office.page
    office.log_in(cast["office"].username)
    page.goto(f"{office.url}/?year={closed_year}")
    office.fits()
    menu = page.locator("#mainnav")
    if office.phone:
        assert not menu.is_visible()
        office.tap(page.locator(".navbar-toggler"))
        page.wait_for_selector("#mainnav.show:not(.collapsing)")
    entries = menu.locator(":scope > ul > li").all()
    boxes = [entry.bounding_box() for entry in entries]
    texts = menu.inner_text()
    for label in ("首页", "通知与分解表", "本单位台账", "全部台账", "汇总统计", "督办", "年度报告", "消息", "基础数据",
                  "管理后台", "退出登录"):
        assert label in texts, label
    office.shot("menu")
    if not office.phone:
        tops = {round(box["y"]) for box in boxes}
        assert max(tops) - min(tops) <= 4, f"the menu takes more than one line: {tops}"
        assert page.locator("nav.navbar").bounding_box()["height"] < 70
        for link in menu.locator(".nav-link").all():  # no label wraps inside its entry
            assert link.bounding_box()["height"] < 50, link.inner_text()
        page.locator("#user-menu").click()  # the unit and role, no longer beside the name, are in its menu
        assert "公开办管理员" in page.locator("#mainnav .dropdown-menu.show").inner_text()
    else:
        assert all(box["x"] + box["width"] <= viewport["width"] + 0.5 for box in boxes)
        office.tap(page.locator(".navbar-toggler"))
        page.wait_for_selector("#mainnav:not(.show):not(.collapsing)", state="attached")
    select = page.get_by_label("年度")
    assert select.locator("option:checked").inner_text() == f"{closed_year}年（已归档）"
    needed, room = select.evaluate(LABEL_FITS)
    assert needed <= room + 0.5, f"the year selector cuts its label: {needed} px wanted, {room} px given"
    office.on_screen(select)
    office.fits()
    office.shot("year")
