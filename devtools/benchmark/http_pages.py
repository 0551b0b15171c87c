"""The pages the HTTP phase drives, the people it logs in as, and logging in through the login form.

Four roles, each a real user of the first benchmark government with a fresh random password per run:
the office admin (公开办), a liaison of a street office (联络员), the liaison of a unit that leads items
(牵头单位), and a leader (领导: a viewer without a unit). Each connection of a run has its own session,
logged in through the login form (GET for the CSRF token, POST the form, expect the 302 and a session
cookie), as a browser would.
"""
from __future__ import annotations

import asyncio
import math
import re
import secrets
import urllib.parse
from dataclasses import dataclass, field

from django.urls import reverse

from devtools.benchmark import data
from devtools.benchmark.http_client import Check, Connection, LoadError, Request, expect
from devtools.benchmark.http_server import HOST, PROXY_HEADERS
from devtools.benchmark.http_urls import MINIMAL_MARKER, MINIMAL_URL
from devtools.benchmark.ledger import orderable_columns
from tasks.models import Assignment, Item, Notice
from units.models import Unit, User

ROLES = {"office": "公开办", "liaison": "联络员", "lead": "牵头单位", "leader": "领导"}
USERNAMES = {"office": data.BENCH_OFFICE_USERNAME, "liaison": "benchmark-liaison", "lead": "benchmark-lead",
             "leader": "benchmark-leader"}
KEYWORD = "财政"  # a two-character word in many item titles (财政预决算)
LOGIN_FORM = 'name="password"'  # on the login page only: an answer holding it means the session was lost
LOGGED_IN = 'action="/accounts/logout/"'  # the logout form of the navigation bar: a logged-in page
XLSX = b"PK\x03\x04"


@dataclass
class Page:
    key: str  # ASCII, no spaces or colons (RESULT_HTTP's worst=<key>:<p95>)
    label: str
    role: str
    path: str
    markers: tuple[str | bytes, ...] = (LOGGED_IN,)
    export: bool = False  # a download: fewer requests, not in min_rps / worst
    ceiling: bool = False  # the minimal view: the server's ceiling, not a page of the site

    def check(self) -> Check:
        checks = [expect(marker, refuse=() if self.export else (LOGIN_FORM,)) for marker in self.markers]

        def combined(response):
            return next((problem for problem in (c(response) for c in checks) if problem), None)

        return combined


@dataclass
class Cast:
    """The run's people (role → user) and their passwords."""

    users: dict[str, User]
    passwords: dict[str, str] = field(default_factory=dict)


def _user(username: str, **fields) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    for name, value in fields.items():
        setattr(user, name, value)
    return user


def ensure_cast(*, lead_unit: Unit, liaison_unit: Unit) -> Cast:
    """The four users with fresh passwords, and any django-axes lockout of theirs cleared."""
    from axes.utils import reset

    office = data.ensure_office_user()
    government = office.government
    users = {
        "office": office,
        "liaison": _user(USERNAMES["liaison"], role=User.Role.LIAISON, unit=liaison_unit, government=government,
                         display_name="基准测试联络员"),
        "lead": _user(USERNAMES["lead"], role=User.Role.LIAISON, unit=lead_unit, government=government,
                      display_name="基准测试牵头单位"),
        "leader": _user(USERNAMES["leader"], role=User.Role.VIEWER, unit=None, government=government,
                        display_name="基准测试领导"),
    }
    cast = Cast(users=users)
    for role, user in users.items():
        password = secrets.token_urlsafe(18) + "Aa1!"
        user.set_password(password)
        user.is_active = True
        user.save()
        cast.passwords[role] = password
        reset(username=user.username)
    return cast


@dataclass
class Subjects:
    """The rows the pages are about: the latest year's first notice, its first item, the two units' rows."""

    year: int
    notice: Notice
    item: Item
    lead_unit: Unit
    liaison_unit: Unit
    liaison_row: Assignment
    office_rows: int


def find_subjects(office: User, year: int) -> Subjects:
    notice = (Notice.objects.filter(government_id=office.government_id, issuer_code=data.BENCH_ISSUER, work_year=year)
              .order_by("doc_serial").first())
    if notice is None:
        raise LoadError(f"没有找到{year}年的基准通知。")
    item = Item.objects.filter(notice=notice).order_by("number").first()
    lead = Assignment.objects.filter(item=item, role=Assignment.Role.LEAD).select_related("unit").first()
    rows = Assignment.objects.filter(item=item).exclude(unit_id=lead.unit_id).select_related("unit")
    liaison_row = rows.filter(unit__kind=Unit.Kind.STREET).first() or rows.first()
    return Subjects(year=year, notice=notice, item=item, lead_unit=lead.unit, liaison_unit=liaison_row.unit,
                    liaison_row=liaison_row, office_rows=Assignment.objects.visible_to(office).count())


def _q(path: str, **params) -> str:
    return f"{path}?{urllib.parse.urlencode(params)}" if params else path


def pages(subjects: Subjects, *, per_page: int = 50) -> list[Page]:
    """Every page of the navigation, grouped by role (a role's sessions are logged in when first needed)."""
    s = subjects
    ledger, my_ledger, home = reverse("tasks:ledger"), reverse("tasks:my-ledger"), reverse("home")
    ledger_title, my_title, home_title = "<title>台账 ·", "<title>本单位台账 ·", "<title>首页 ·"
    deep = max(1, math.ceil(s.office_rows / per_page / 2))
    section_id = s.item.section_id
    result = [
        Page("minimal", "最小视图（会话+用户，上限参照）", "office", MINIMAL_URL, (MINIMAL_MARKER,), ceiling=True),
        Page("home.office", "首页（公开办）", "office", home, (home_title, LOGGED_IN)),
        Page("ledger", "全部台账·首页", "office", ledger, (ledger_title, LOGGED_IN)),
        Page("ledger.deep", f"全部台账·深页（第{deep:,}页）", "office", _q(ledger, page=deep), (ledger_title,)),
    ]
    filters = [
        ("year", "年度", {"year": s.year}),
        ("notice", "通知", {"notice": s.notice.pk}),
        ("section", "通知+部分", {"notice": s.notice.pk, "section": section_id}),
        ("unit", "单位", {"unit": s.liaison_unit.pk}),
        ("unit_year", "单位+年度", {"unit": s.liaison_unit.pk, "year": s.year}),
        ("role", "角色=牵头", {"role": Assignment.Role.LEAD}),
        ("status", "状态=推进中", {"status": Assignment.Status.IN_PROGRESS}),
        ("overdue", "已逾期", {"overdue": "on"}),
        ("status_overdue", "状态+已逾期", {"status": Assignment.Status.IN_PROGRESS, "overdue": "on"}),
        ("due_within", "30天内到期", {"due_within": 30}),
        ("todo", "只看待办", {"todo": "on"}),
        ("q", f"关键词“{KEYWORD}”", {"q": KEYWORD}),
    ]
    result += [Page(f"ledger.{key}", f"全部台账·筛选：{label}", "office", _q(ledger, **params), (ledger_title,))
               for key, label, params in filters]
    for column in orderable_columns():
        for sort in (column, f"-{column}"):
            result.append(Page(f"ledger.sort.{sort}", f"全部台账·排序 {sort}", "office", _q(ledger, sort=sort),
                               (ledger_title,)))
    result += [
        Page("notice_list", "通知与分解表", "office", reverse("tasks:notice-list"), ("<title>通知与分解表 ·",)),
        Page("notice", "通知页（40项）", "office", reverse("tasks:notice-detail", args=[s.notice.pk]),
             (f"<title>{s.notice.doc_number} ·",)),
        Page("item", "事项页", "office", reverse("tasks:item-detail", args=[s.item.pk]),
             (f"第{s.item.number}项 ·",)),
        Page("stats", "统计", "office", reverse("reports:stats"), ("年统计 ·",)),
        Page("summary", "落实汇总（年度）", "office", reverse("reports:summary"), ("年落实情况汇总 ·",)),
        Page("annual_text", "年报文字", "office", reverse("reports:annual-text"), ("年报文字 ·",)),
        Page("lookback", "回头看整改", "office", reverse("reports:lookback"), ("<title>回头看整改 ·",)),
        Page("reviews", "待审核", "office", reverse("workflow:review-list"), ("<title>待审核 ·",)),
        Page("chase_new", "催办逾期任务", "office", reverse("workflow:chase-create"), ("<title>催办 ·",)),
        Page("chases", "催办记录", "office", reverse("workflow:chase-list"), ("<title>催办记录 ·",)),
        Page("calendar", "节假日与调休", "office", reverse("workflow:calendar"), ("年节假日与调休 ·",)),
        Page("notifications", "消息", "office", reverse("workflow:notification-list"), ("<title>消息 ·",)),
        Page("audit", "审计日志", "office", reverse("audit:audit-list")),
        Page("government", "本级政府", "office", reverse("units:government")),
        Page("annual", "年度报告", "office", reverse("reports:annual-list")),
        Page("disclosure", "依申请公开", "office", reverse("disclosure:application-list")),
        Page("export.summary", f"导出：{s.year}年落实情况汇总.xlsx", "office",
             _q(reverse("reports:summary-export"), year=s.year), (XLSX,), export=True),
        Page("export.notice", "导出：通知任务分解表.xlsx", "office",
             reverse("tasks:notice-export-xlsx", args=[s.notice.pk]), (XLSX,), export=True),
        Page("home.liaison", "首页（联络员）", "liaison", home, (home_title,)),
        Page("my_ledger.liaison", "本单位台账（联络员）", "liaison", my_ledger, (my_title,)),
        Page("my_ledger.liaison.todo", "本单位台账·只看待办（联络员）", "liaison", _q(my_ledger, todo="on"),
             (my_title,)),
        Page("ledger.liaison", "可见台账（联络员）", "liaison", ledger, (ledger_title,)),
        Page("assignment", "本单位的一行台账（联络员）", "liaison",
             reverse("tasks:assignment-detail", args=[s.liaison_row.pk]), (f"第{s.item.number}项 ·",)),
        Page("home.lead", "首页（牵头单位）", "lead", home, (home_title,)),
        Page("my_ledger.lead", "本单位台账（牵头单位）", "lead", my_ledger, (my_title,)),
        Page("lead_items", "牵头汇总（牵头单位）", "lead", reverse("reports:lead-items"), ("<title>牵头汇总 ·",)),
        Page("home.leader", "首页（领导）", "leader", home, (home_title,)),
        Page("ledger.leader", "全部台账（领导）", "leader", ledger, (ledger_title,)),
    ]
    return result


def _csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise LoadError("登录页上没有找到 CSRF 令牌。")
    return found.group(1)


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


async def login(port: int, username: str, password: str, *, timeout: float = 60) -> dict[str, str]:
    """Log in through the form like a browser; the session's cookies (sessionid, csrftoken)."""
    client = Connection(HOST, port)
    origin = f"https://{HOST}:{port}"
    login_url = reverse("login")
    try:
        page = await asyncio.wait_for(client.request(Request(login_url, headers=PROXY_HEADERS)), timeout)
        if page.status != 200:
            raise LoadError(f"登录页返回了 {page.status}。")
        cookies = dict(page.cookies)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": _csrf_token(page.text), "username": username,
                                       "password": password, "next": ""}).encode()
        headers = {**PROXY_HEADERS, "Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                   "Referer": origin + login_url, "Cookie": cookie_header(cookies)}
        answer = await asyncio.wait_for(client.request(Request(login_url, "POST", headers, form)), timeout)
    finally:
        client.close()
    cookies.update(answer.cookies)
    if answer.status != 302 or not cookies.get("sessionid"):
        locked = "锁定" in answer.text
        raise LoadError(f"以 {username} 的身份登录失败（{answer.status}"
                        f"{'，账号被登录失败次数锁定' if locked else ''}）。")
    return cookies


async def login_sessions(port: int, username: str, password: str, count: int, *, parallel: int = 3) -> list[dict]:
    """``count`` separate sessions of one user, ``parallel`` logins at a time (password hashing is slow)."""
    gate = asyncio.Semaphore(parallel)

    async def one() -> dict:
        async with gate:
            return await login(port, username, password)

    return list(await asyncio.gather(*(one() for _ in range(count))))


def session_requests(page: Page, sessions: list[dict]) -> list[Request]:
    """One request per session: the page as that session's browser asks for it."""
    return [Request(page.path, headers={**PROXY_HEADERS, "Cookie": cookie_header(cookies)}) for cookies in sessions]
