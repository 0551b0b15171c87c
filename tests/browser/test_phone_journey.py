"""Journey: a liaison, from the login page to a saved progress report with an evidence photo on an item
due in 5 days — on a phone (390×844) and on an office screen (1366×900).

Measured and asserted: at most 4 page loads and 6 taps (the user name field has the focus on arrival;
typing is not a tap); on every page nothing is wider than the screen (scrollWidth ≤ viewport width); each
thing the liaison taps is on screen before it is tapped (no scrolling hunt); tap targets on the phone are
at least 44 px tall. The measured steps are the ones the README's journey section states.
"""
import io

import pytest
from PIL import Image

from tasks.models import ProgressReport
from tests.browser.conftest import PASSWORD, TIMEOUT_MS, row_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
TEXT = "已梳理现行有效涉企政策文件86件，正在分类整理。"
MAX_LOADS, MAX_TAPS = 4, 6


def photo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


class Journey:
    """Counts page loads and taps; checks the width of every page and that each target is on screen."""

    def __init__(self, page, viewport):
        self.page, self.viewport, self.taps, self.loads = page, viewport, 0, 0
        page.on("load", lambda _: setattr(self, "loads", self.loads + 1))

    def assert_fits(self):
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.viewport["width"], f"{self.page.url} is {width} px wide"

    def assert_on_screen(self, locator):
        box = locator.bounding_box()
        assert box is not None, "not visible"
        assert 0 <= box["y"] and box["y"] + box["height"] <= self.viewport["height"], f"off screen: {box}"
        assert 0 <= box["x"] and box["x"] + box["width"] <= self.viewport["width"], f"off screen: {box}"
        if self.viewport is PHONE:
            assert box["height"] >= 44, f"tap target only {box['height']} px tall"

    def tap(self, locator):
        self.assert_on_screen(locator)
        self.taps += 1
        locator.click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_liaison_reports_progress_with_a_photo(viewport, cast, year_notice, new_context, live_server, shot, today):
    item = year_notice["items"][0]
    row = row_of(item, cast["unit_a"])
    size = "phone" if viewport is PHONE else "desktop"
    context = new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    journey = Journey(page, viewport)

    page.goto(f"{live_server.url}/accounts/login/")  # load 1
    journey.assert_fits()
    page.keyboard.type(cast["alice"].username)  # the user name field has the focus
    journey.tap(page.locator("#id_password"))
    page.keyboard.type(PASSWORD)
    shot(page, f"{size}-login")
    journey.tap(page.get_by_role("button", name="登录"))  # load 2: home
    page.wait_for_url(f"{live_server.url}/")
    journey.assert_fits()
    due = page.locator(".todo-card", has_text="7天内到期")
    assert "7天内到期（1）" in due.inner_text()
    card = due.locator(".todo-row", has_text="政策文件库更新")
    assert "时限" in card.inner_text() and "未开始" in card.inner_text()
    shot(page, f"{size}-home")
    journey.tap(card.get_by_role("link", name="填报"))  # load 3: the row's page, at its form
    page.wait_for_url(f"**/assignments/{row.pk}/#progress")
    journey.assert_fits()
    form = page.locator("#progress form")
    for essential in (form.locator("#id_status"), form.locator("#id_text"), form.get_by_role("button", name="提交")):
        journey.assert_on_screen(essential)  # the whole form on one screen, no scrolling
    assert form.locator("#id_status").input_value() == "in_progress"  # 推进中 is preselected
    assert "image/png" in form.locator("#id_files").get_attribute("accept")
    journey.tap(form.locator("#id_text"))
    page.keyboard.type(TEXT)
    if viewport is PHONE:
        camera = form.locator("label[for=id_photo]")
        assert form.locator("#id_photo").get_attribute("capture") == "environment"
        journey.tap(camera)  # opens the camera / photo picker: here the photo is handed over directly
        form.locator("#id_photo").set_input_files(
            files=[{"name": "专栏截图.png", "mimeType": "image/png", "buffer": photo_png()}])
    else:
        with page.expect_file_chooser() as chooser:
            journey.tap(form.locator("#id_files"))
        chooser.value.set_files(files=[{"name": "专栏截图.png", "mimeType": "image/png", "buffer": photo_png()}])
    shot(page, f"{size}-form-filled")
    journey.tap(form.get_by_role("button", name="提交"))  # load 4: saved, back on the row's page
    assert page.get_by_role("alert").inner_text().strip() == "已报送“区发改局”第1项的落实情况。"
    journey.assert_fits()
    assert "专栏截图.png" in page.locator(".card:not(.progress-card)", has_text=TEXT).last.inner_text()
    shot(page, f"{size}-saved")

    assert (journey.loads, journey.taps) == (MAX_LOADS, MAX_TAPS)
    report = ProgressReport.objects.get(assignment=row)
    assert report.text == TEXT and [e.original_name for e in report.evidence.all()] == ["专栏截图.png"]
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_unit_ledger_fits_the_screen(viewport, cast, year_notice, new_context, live_server, shot):
    """本单位台账: cards on the phone (item, 时限 with its light, status, one big 填报), the table on a desk."""
    from tests.browser.conftest import login

    size = "phone" if viewport is PHONE else "desktop"
    context = new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    login(page, live_server, cast["alice"])
    page.goto(f"{live_server.url}/tasks/my-ledger/")
    journey = Journey(page, viewport)
    journey.assert_fits()
    shot(page, f"{size}-ledger")
    if viewport is PHONE:
        cards = page.locator(".ledger-cards .card")
        assert cards.count() == 2  # 区发改局's two rows: item 1 (lead) and item 3
        first = cards.filter(has_text="政策文件库更新")
        assert "时限" in first.inner_text() and "未开始" in first.inner_text()
        assert first.locator(".light-yellow").count() == 1  # due in 5 days
        journey.assert_on_screen(first.get_by_role("link", name="填报"))
        assert page.locator("table").is_hidden()
    else:
        assert page.locator(".ledger-cards").is_hidden()
        assert page.locator("tbody tr", has_text="政策文件库更新").get_by_role("button", name="填报进展").is_visible()
    context.close()
