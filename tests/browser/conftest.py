"""Real-browser journeys: Playwright drives Debian's chromium against pytest-django's live_server.

Where /usr/bin/chromium is missing, every test marked ``browser`` is skipped with a Chinese reason and
the terminal summary says, in one line, how many were skipped and why. Every journey saves numbered
screenshots under test-artifacts/screenshots/<journey>/ (git-ignored) for people to look at.

Fixtures: ``cast`` (the root conftest's users with a password that passes the validators, a group
phrase and a third department), ``open_as(user)`` (a fresh browser context logged in through the real
login form), ``shot(page, step)`` (the next numbered screenshot of this journey) and ``shots`` (the same,
one folder per test and viewport; tests/browser/journeys.py counts a journey's page loads and taps).
"""
from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SKIP_REASON = "未找到 /usr/bin/chromium：已跳过真实浏览器测试（apt-get install chromium fonts-noto-cjk 后可运行）"
PASSWORD = "Govopen-2026!"
VIEWPORT = {"width": 1366, "height": 900}  # a common office screen
TIMEOUT_MS = 15_000


# --- skipping where there is no browser ---------------------------------------------------------------

def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if SKIP_REASON in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(f"真实浏览器测试：已跳过 {len(skipped)} 项。{SKIP_REASON}", yellow=True, bold=True)
        return
    ran = [r for key in ("passed", "failed") for r in terminalreporter.stats.get(key, [])
           if getattr(r, "when", "") == "call" and "browser" in getattr(r, "keywords", {})]
    if ran:
        terminalreporter.write_line(f"真实浏览器测试：已用 {CHROMIUM} 运行 {len(ran)} 项，截图见 test-artifacts/screenshots/")


# --- the cast, logging in, screenshots ----------------------------------------------------------------

@pytest.fixture
def cast(office, alice, bob, charlie, leader, unit_a, unit_b, street):
    """The fixed cast, plus 区司法局 and the group phrase 区直各有关部门 (区教育局, 区司法局)."""
    from django.contrib.auth.password_validation import validate_password

    from units.models import Unit, UnitGroup

    for user in (office, alice, bob, charlie, leader):
        validate_password(PASSWORD, user)  # the validators of production settings accept it
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    justice = Unit.objects.create(government=unit_a.government, name="测试区司法局", short_name="区司法局", sort_order=30)
    group = UnitGroup.objects.create(government=unit_a.government, phrase="区直各有关部门", description="区直部门")
    group.members.set([unit_b, justice])
    return {"office": office, "alice": alice, "bob": bob, "charlie": charlie, "leader": leader,
            "unit_a": unit_a, "unit_b": unit_b, "street": street, "justice": justice, "group": group}


@pytest.fixture
def today():
    """The date the app uses (timezone.localdate(): the live server runs on the real clock)."""
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def year_notice(cast, today):
    """This year's notice, one section, three items:

    1 政策文件库更新: lead 区发改局, responsible 区直各有关部门 (区教育局, 区司法局), due in 5 days;
    2 教育收费信息公开: 区教育局 alone, 20 days overdue;
    3 政务公开专栏维护: 区发改局, 持续推进 (no date).
    """
    from conftest import make_item, make_notice
    from tasks.models import Section

    notice = make_notice(doc_number=f"测政办〔{today.year}〕30号", year=today.year,
                         title=f"关于印发{today.year}年测试区政务公开工作主要任务分解表的通知",
                         report_back_date=today + datetime.timedelta(days=30))
    section = Section.objects.create(notice=notice, number="一", title="推进重点领域信息公开", position=1)
    items = [
        make_item(notice, 1, section=section, title="政策文件库更新", lead=["区发改局"], responsible=["区直各有关部门"],
                  requirement="集中梳理现行有效的涉企政策文件，更新政策文件库并在门户网站公开。",
                  deadline=today + datetime.timedelta(days=5)),
        make_item(notice, 2, section=section, title="教育收费信息公开", responsible=["区教育局"],
                  requirement="公开义务教育阶段收费项目、标准和依据。",
                  deadline=today - datetime.timedelta(days=20)),
        make_item(notice, 3, section=section, title="政务公开专栏维护", responsible=["区发改局"],
                  requirement="持续更新政务公开专栏，确保栏目信息准确。", deadline_text="持续推进"),
    ]
    return {"notice": notice, "section": section, "items": items}


def row_of(item, unit):
    from tasks.models import Assignment

    return Assignment.objects.get(item=item, unit=unit)


def login(page, live_server, user, password: str = PASSWORD):
    """Log in through the login form as a person would, and land on the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    assert f"{user}，您好" in page.locator("h1").inner_text()


@pytest.fixture
def open_as(new_context, live_server):
    """open_as(user) -> a page of a new browser context (its own cookies), logged in as ``user``."""

    def _open(user):
        context = new_context(viewport=VIEWPORT, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        login(page, live_server, user)
        return page

    return _open


@pytest.fixture
def shot(request):
    """shot(page, step): save test-artifacts/screenshots/<journey>/NN-<step>.png (full page)."""
    journey = request.node.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    folder = Path(request.config.rootpath) / "test-artifacts" / "screenshots" / journey
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    counter = iter(range(1, 100))

    def _shot(page, step: str) -> Path:
        path = folder / f"{next(counter):02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return _shot


@pytest.fixture
def shots(request):
    """shots(page, step): test-artifacts/screenshots/<journey>/<test>-<size>/NN-<step>.png, one folder per test
    and viewport (the shared ``shot`` keeps one folder per module: a module's second test wipes the first's)."""
    journey = request.node.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    size = request.node.callspec.id.split("-")[-1] if hasattr(request.node, "callspec") else "all"
    test = request.node.originalname.removeprefix("test_")
    folder = Path(request.config.rootpath) / "test-artifacts" / "screenshots" / journey / f"{test}-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    counter = iter(range(1, 100))

    def _shot(page, step: str) -> Path:
        path = folder / f"{next(counter):02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return _shot
