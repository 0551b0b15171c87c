"""Journey: the office keeps its master data in the app (基础数据), on an office screen and on a phone.

The office admin opens 基础数据 from the navigation, edits a unit's aliases and groups, adds a liaison account
(the initial password is shown once), uploads a list of two more liaisons (preview, then confirm) and the new
liaison logs in with the initial password and must choose their own first. Every page is no wider than the
screen; screenshots of each step are saved for people to look at.
"""
import pytest
from openpyxl import Workbook

from tests.browser.conftest import TIMEOUT_MS
from units.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def fits(page, viewport):
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width} px wide"


def tappable(page, selector):
    """Every visible button or link matching selector is at least 44 px tall (a finger, not a mouse)."""
    heights = page.locator(selector).evaluate_all(
        "els => els.filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44, heights


def account_list_xlsx(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["单位", "姓名", "手机", "邮箱"])
    sheet.append(["区教育局", "周敏", "13800000011", "zhoumin@example.gov.cn"])
    sheet.append(["区司法局", "吴刚", "13800000012", ""])
    book.save(path)
    return path


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_office_keeps_units_and_accounts_in_the_app(viewport, cast, new_context, live_server, shot, tmp_path):
    from tests.browser.conftest import login

    size = "phone" if viewport is PHONE else "desktop"
    context = new_context(viewport=viewport, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    login(page, live_server, cast["office"])

    # 基础数据 from the navigation (behind the menu button on a phone)
    if viewport is PHONE:
        page.locator(".navbar-toggler").click()
        page.wait_for_selector("#mainnav.show:not(.collapsing)")  # the menu has finished opening
    with page.expect_navigation(url="**/units/"):
        page.locator("#nav-masterdata").click()
    # phones get one card per unit (no sideways scrolling), an office screen the table
    units, unit_row = ("#unit-cards", "#unit-cards .card") if viewport is PHONE else ("#unit-table", "#unit-table tr")
    table = page.locator(units).inner_text()
    assert "区发改局" in table and "区直各有关部门" in table
    fits(page, viewport)
    if viewport is PHONE:
        assert not page.locator("#unit-table").is_visible()
        tappable(page, "#unit-cards .btn")
    shot(page, f"{size}-unit-list")

    # edit 区发改局: an alias, the group and the work group's 企业微信 robot
    page.locator(f"{units} a", has_text="区发改局").first.click()
    page.wait_for_url("**/units/*/edit/")
    page.fill("#id_aliases", "发改局\n区发展改革局")
    page.get_by_label("区直各有关部门").check()
    page.fill("#id_wecom_robot_url", "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key-1")
    fits(page, viewport)
    shot(page, f"{size}-unit-edit")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/units/")
    row = page.locator(unit_row, has_text="测试区发展和改革局").inner_text()
    assert "区发展改革局" in row and "区直各有关部门" in row and "企业微信：已设置" in row
    assert "secret-key-1" not in page.content()

    # the groups
    page.get_by_role("link", name="单位组").click()
    page.wait_for_url("**/units/groups/")
    assert "区发改局" in page.locator("#group-cards").inner_text()
    fits(page, viewport)
    shot(page, f"{size}-groups")
    page.get_by_role("link", name="编辑").first.click()
    page.wait_for_url("**/units/groups/*/edit/")
    fits(page, viewport)
    shot(page, f"{size}-group-edit")

    # a new liaison account, its password shown once
    page.goto(f"{live_server.url}/units/accounts/new/?unit={cast['justice'].pk}")
    page.fill("#id_username", f"sifa-{size}")
    page.fill("#id_display_name", "郑义")
    page.fill("#id_phone", "13800000013")
    fits(page, viewport)
    shot(page, f"{size}-account-new")
    page.get_by_role("button", name="创建账号").click()
    password = page.locator("#new-password").inner_text()
    assert len(password) == 12
    fits(page, viewport)
    shot(page, f"{size}-account-created")

    # the accounts list
    page.get_by_role("link", name="完成").click()
    page.wait_for_url("**/units/accounts/?unit=*")
    assert "郑义" in page.locator("#account-cards" if viewport is PHONE else "#account-table").inner_text()
    fits(page, viewport)
    if viewport is PHONE:
        assert not page.locator("#account-table").is_visible()
        tappable(page, "#account-cards .btn")
    shot(page, f"{size}-accounts")

    # a list of two liaisons: preview, then confirm
    page.get_by_role("link", name="批量创建账号").click()
    page.wait_for_url("**/units/accounts/import/")
    fits(page, viewport)
    shot(page, f"{size}-import")
    page.set_input_files("#id_file", str(account_list_xlsx(tmp_path / "联络员名单.xlsx")))
    page.get_by_role("button", name="上传并预览").click()
    assert "2 个账号" in page.locator("#import-preview").inner_text()
    fits(page, viewport)
    shot(page, f"{size}-import-preview")
    page.get_by_role("button", name="确认创建 2 个账号").click()
    assert "已创建 2 个账号" in page.locator("#import-done").inner_text()
    fits(page, viewport)
    shot(page, f"{size}-import-done")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载账号及初始密码清单（只能下载一次）").click()
    assert download.value.suggested_filename == "新建账号及初始密码.xlsx"

    # the new liaison logs in and must change the password first
    liaison = new_context(viewport=viewport).new_page()
    liaison.set_default_timeout(TIMEOUT_MS)
    liaison.goto(f"{live_server.url}/accounts/login/")
    liaison.fill("#id_username", f"sifa-{size}")
    liaison.fill("#id_password", password)
    liaison.get_by_role("button", name="登录").click()
    liaison.wait_for_url("**/accounts/password/")
    assert "您的密码由管理员设置" in liaison.content()
    fits(liaison, viewport)
    shot(liaison, f"{size}-password-change")
    liaison.fill("#id_old_password", password)
    liaison.fill("#id_new_password1", "Zheng-yi-2026")
    liaison.fill("#id_new_password2", "Zheng-yi-2026")
    liaison.get_by_role("button", name="修改密码").click()
    liaison.wait_for_url(f"{live_server.url}/")
    assert "密码已修改" in liaison.content()
    assert not User.objects.get(username=f"sifa-{size}").must_change_password
    shot(liaison, f"{size}-password-changed")

