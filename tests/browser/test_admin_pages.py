"""The Django admin a superuser reaches reads Chinese in a real browser, its JavaScript widgets included."""
import pytest

from tests.browser.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


def test_the_admin_a_superuser_reaches_is_chinese(cast, new_context, live_server, shot):
    """The Django admin's own widgets (filter_horizontal's 全选, the axes pages) read Chinese in a real browser."""
    from tests.browser.conftest import login

    office = cast["office"]
    office.is_superuser = True
    office.save(update_fields=["is_superuser"])
    page = new_context(viewport=DESKTOP).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    login(page, live_server, office)
    page.goto(f"{live_server.url}/admin/units/unitgroup/{cast['group'].pk}/change/")
    page.wait_for_selector(".selector-chooseall")
    text = page.locator("body").inner_text()
    assert "全选" in text and "Choose all" not in text and "Remove all" not in text
    shot(page, "admin-group")
    page.goto(f"{live_server.url}/admin/axes/accessattempt/")
    text = page.locator("body").inner_text()
    assert "登录保护" in text and "Attempt" not in text and "Axes" not in text
    shot(page, "admin-axes")
    page.goto(f"{live_server.url}/admin/")
    assert "Add" not in page.locator("body").inner_text()
    shot(page, "admin-index")
