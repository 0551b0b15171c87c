"""Journey (c): an office admin adds a unit and its first liaison account (基础数据 → 新增单位 → 保存并新增联络员账号
→ 创建账号, the initial password shown once); the new liaison logs in, must choose their own password first,
then opens 本单位台账 (empty: the unit has no rows yet). And any user changes their own password from the
user menu.

Measured at 1366×900 and at 390×844 (the README's journey table states these numbers): see the STEPS.
"""
import pytest

from tests.browser.conftest import PASSWORD
from tests.browser.journeys import SIZES, Journey
from units.models import Unit, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Tuiyi-jun-2026"
# (page loads, taps), from the login page, at each size
OFFICE_STEPS = {"desktop": (6, 10), "phone": (6, 11)}
NEWCOMER_STEPS = {"desktop": (4, 7), "phone": (4, 8)}
OWN_PASSWORD_STEPS = {"desktop": (4, 8), "phone": (4, 9)}


@pytest.mark.parametrize("viewport", **SIZES)
def test_office_adds_a_unit_and_its_liaison(viewport, cast, new_context, live_server, shots):
    office = Journey(new_context, live_server, viewport, shots, "office")
    page = office.page
    office.log_in(cast["office"].username)
    office.nav(page.locator("#nav-masterdata"))
    page.wait_for_url("**/units/")
    office.fits()
    office.tap(page.get_by_role("link", name="新增单位"))
    page.wait_for_url("**/units/new/")
    office.tap(page.locator("#id_name"))
    page.keyboard.type("测试区退役军人事务局")
    office.tap(page.locator("#id_short_name"))
    page.keyboard.type("区退役军人局")
    office.fits()
    office.shot("unit-new")
    office.tap(page.get_by_role("button", name="保存并新增联络员账号"))
    page.wait_for_url("**/units/accounts/new/?unit=*")
    assert "已保存单位“区退役军人局”" in page.get_by_role("alert").first.inner_text()
    office.fits()
    office.tap(page.locator("#id_username"))
    page.keyboard.type("tuiyi")
    office.tap(page.locator("#id_display_name"))
    page.keyboard.type("孙军")
    office.shot("account-new")
    office.tap(page.get_by_role("button", name="创建账号"))
    password = page.locator("#new-password").inner_text()
    office.on_screen(page.locator("#new-password"), without_scrolling=True)
    office.fits()
    office.shot("account-created")
    assert office.steps() == OFFICE_STEPS[office.size]
    office.close()
    unit = Unit.objects.get(short_name="区退役军人局")
    assert User.objects.get(username="tuiyi").unit == unit and unit.government == cast["office"].government

    newcomer = Journey(new_context, live_server, viewport, shots, "newcomer")
    page = newcomer.page
    newcomer.log_in("tuiyi", password, lands_on="/accounts/password/")
    assert "您的密码由管理员设置" in page.locator("main").inner_text()
    newcomer.shot("must-change")
    for field in ("#id_old_password", "#id_new_password1", "#id_new_password2"):
        newcomer.tap(page.locator(field))
        page.keyboard.type(password if field == "#id_old_password" else NEW_PASSWORD)
    newcomer.tap(page.get_by_role("button", name="修改密码"))
    page.wait_for_url(f"{live_server.url}/")
    assert "密码已修改" in page.get_by_role("alert").first.inner_text()
    newcomer.fits()
    newcomer.shot("home")
    newcomer.nav(page.locator("#mainnav").get_by_role("link", name="本单位台账"))
    page.wait_for_url("**/tasks/my-ledger/")
    newcomer.fits()
    assert "本单位没有符合条件的台账行。" in page.locator("main").inner_text()
    newcomer.shot("empty-ledger")
    assert newcomer.steps() == NEWCOMER_STEPS[newcomer.size]
    newcomer.close()


@pytest.mark.parametrize("viewport", **SIZES)
def test_a_user_changes_their_own_password(viewport, cast, new_context, live_server, shots):
    liaison = Journey(new_context, live_server, viewport, shots, "own")
    page = liaison.page
    liaison.log_in(cast["alice"].username)
    if liaison.phone:
        liaison.tap(page.locator(".navbar-toggler"))
        page.wait_for_selector("#mainnav.show:not(.collapsing)")
    liaison.tap(page.locator("#user-menu"))
    liaison.tap(page.get_by_role("link", name="修改密码"))
    page.wait_for_url("**/accounts/password/")
    liaison.fits()
    for field, value in (("#id_old_password", PASSWORD), ("#id_new_password1", NEW_PASSWORD),
                         ("#id_new_password2", NEW_PASSWORD)):
        liaison.tap(page.locator(field))
        page.keyboard.type(value)
    liaison.shot("form")
    liaison.tap(page.get_by_role("button", name="修改密码"))
    page.wait_for_url(f"{live_server.url}/")
    assert "密码已修改" in page.get_by_role("alert").first.inner_text()
    liaison.shot("changed")
    assert liaison.steps() == OWN_PASSWORD_STEPS[liaison.size]
    liaison.close()
    cast["alice"].refresh_from_db()
    assert cast["alice"].check_password(NEW_PASSWORD)
