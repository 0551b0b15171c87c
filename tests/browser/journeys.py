"""Counting the steps of an everyday journey in the browser (used by tests/browser/test_journeys_*.py).

A ``Journey`` wraps one page: it counts page loads (the page's "load" events) and taps (every click the
person makes, including opening the phone's menu and the file picker; typing is not a tap), checks that
each page is no wider than the screen and that what is tapped is visible and inside the screen's width.
"""
from __future__ import annotations

from tests.browser.conftest import PASSWORD, TIMEOUT_MS

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SIZES = {"argvalues": [DESKTOP, PHONE], "ids": ["desktop", "phone"]}


class Journey:
    def __init__(self, new_context, live_server, viewport, shot=None, name: str = ""):
        phone = viewport is PHONE
        self.context = new_context(viewport=viewport, is_mobile=phone, has_touch=phone, accept_downloads=True)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.url, self.viewport, self.phone = live_server.url, viewport, phone
        self.size = "phone" if phone else "desktop"
        self.name, self._shot = name, shot
        self.loads = self.taps = 0
        self.page.on("load", lambda _: setattr(self, "loads", self.loads + 1))

    # --- checks --------------------------------------------------------------------------------------------
    def fits(self):
        """Nothing on the page is wider than the screen."""
        self.page.wait_for_load_state("load")
        # Not window.innerWidth: a phone's browser widens its layout viewport to fit wide content.
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.viewport["width"], f"{self.page.url} is {width} px wide on a {self.viewport['width']} px screen"

    def on_screen(self, locator, *, without_scrolling: bool = False):
        """Visible and inside the screen's width (and, when asked, inside the first screen, no scrolling)."""
        locator.wait_for(state="visible")
        if not without_scrolling:
            locator.scroll_into_view_if_needed()
        box = locator.bounding_box()
        assert box is not None, "not visible"
        assert 0 <= box["x"] and box["x"] + box["width"] <= self.viewport["width"] + 0.5, f"off screen: {box}"
        if without_scrolling:
            assert 0 <= box["y"] and box["y"] + box["height"] <= self.viewport["height"], f"below the screen: {box}"
        return box

    def shot(self, step: str):
        if self._shot is not None:
            self._shot(self.page, f"{self.name}{'-' if self.name else ''}{self.size}-{step}")

    # --- steps ---------------------------------------------------------------------------------------------
    def tap(self, locator, **checks):
        self.on_screen(locator, **checks)
        self.taps += 1
        locator.click()

    def nav(self, locator):
        """A navigation entry: behind the menu button on a phone (one tap more)."""
        if self.phone:
            self.tap(self.page.locator(".navbar-toggler"))
            self.page.wait_for_selector("#mainnav.show:not(.collapsing)")
        self.tap(locator)

    def nav_menu(self, menu: str, entry: str):
        """An entry of a navigation drop-down such as 督办 → 催办逾期任务."""
        if self.phone:
            self.tap(self.page.locator(".navbar-toggler"))
            self.page.wait_for_selector("#mainnav.show:not(.collapsing)")
        self.tap(self.page.locator("#mainnav").get_by_role("button", name=menu))
        self.tap(self.page.locator("#mainnav .dropdown-menu.show").get_by_role("link", name=entry))

    def log_in(self, username: str, password: str = PASSWORD, *, lands_on: str = "/"):
        """From the login page (one load): the user name has the focus, tap the password, tap 登录."""
        self.page.goto(f"{self.url}/accounts/login/")
        self.fits()
        self.page.keyboard.type(username)
        self.tap(self.page.locator("#id_password"))
        self.page.keyboard.type(password)
        self.tap(self.page.get_by_role("button", name="登录"))
        self.page.wait_for_url(f"{self.url}{lands_on}")
        self.fits()

    def steps(self) -> tuple[int, int]:
        self.page.wait_for_load_state("load")
        return self.loads, self.taps

    def close(self):
        self.context.close()
