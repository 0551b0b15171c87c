"""The fixed cast of the test suite and small builders (no factories).

government: the district all of them belong to (测试区人民政府); unit_a / unit_b: two departments;
alice: unit A liaison; bob: unit A read-only viewer; charlie: unit B liaison; office: an office admin;
leader: a viewer without a unit (sees the whole government, read-only).
"""
import datetime
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

TODAY = datetime.date(2026, 11, 23)

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium: Playwright never downloads a browser here


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


def home_government():
    """The test's own government: the first one made (the `government` fixture), made here if none is."""
    from units.models import Government
    return Government.objects.order_by("id").first() or Government.objects.create(
        name="测试区人民政府", short_name="测试区", level=Government.Level.COUNTY)


@pytest.fixture
def government(db):
    return home_government()


def make_unit(name, short_name, *, government=None, **extra):
    from units.models import Unit
    return Unit.objects.create(government=government or home_government(), name=name, short_name=short_name, **extra)


@pytest.fixture
def unit_a(government):
    return make_unit("测试区发展和改革局", "区发改局", government=government, sort_order=10)


@pytest.fixture
def unit_b(government):
    return make_unit("测试区教育局", "区教育局", government=government, sort_order=20)


@pytest.fixture
def street(government):
    from units.models import Unit
    return make_unit("测试区东街街道办事处", "东街街道", government=government, kind=Unit.Kind.STREET, sort_order=100)


def make_user(username, *, unit=None, role="liaison", government=None, **extra):
    from units.models import User
    if government is None:
        government = unit.government if unit is not None else (None if extra.get("is_superuser") else home_government())
    return User.objects.create_user(username=username, password="Pass-word-2026", unit=unit, role=role,
                                    government=government, display_name=extra.pop("display_name", username), **extra)


@pytest.fixture
def alice(unit_a):
    return make_user("alice", unit=unit_a, role="liaison", display_name="王丽")


@pytest.fixture
def bob(unit_a):
    return make_user("bob", unit=unit_a, role="viewer", display_name="李波")


@pytest.fixture
def charlie(unit_b):
    return make_user("charlie", unit=unit_b, role="liaison", display_name="张超")


@pytest.fixture
def office(government):
    office_unit = make_unit("测试区人民政府办公室", "区政府办", government=government, sort_order=1)
    return make_user("office", unit=office_unit, role="office_admin", display_name="陈公开", is_staff=True)


@pytest.fixture
def leader(government):
    return make_user("leader", unit=None, role="viewer", government=government, display_name="刘领导")


def make_notice(*, doc_number="测政办〔2026〕1号", year=2026, report_back_date=None, government=None, **extra):
    from tasks.models import Notice
    from tasks.parsing import parse_doc_number
    doc = parse_doc_number(doc_number)
    return Notice.objects.create(
        government=government or home_government(), doc_number=doc.text, issuer_code=doc.issuer_code, doc_year=doc.year, doc_serial=doc.serial,
        title=extra.pop("title", f"关于印发{year}年政务公开工作主要任务分解表的通知"), issuer=extra.pop("issuer", "测试区人民政府办公室"),
        work_year=year, report_back_date=report_back_date, **extra)


def make_item(notice, number, *, lead=(), responsible=(), cooperating=(), deadline=None, section=None,
              requirement=None, title="", deadline_text=""):
    """An item with its ledger rows built from the unit names as written."""
    from tasks.models import Item
    from tasks.services import item_sync_assignments
    item = Item.objects.create(
        notice=notice, section=section, number=number, title=title,
        requirement=requirement or f"第{number}项工作要求：做好相关信息公开。",
        lead_units_text=list(lead), responsible_units_text=list(responsible),
        cooperating_units_text=list(cooperating), deadline=deadline, deadline_text=deadline_text,
        is_ongoing=deadline is None and deadline_text == "持续推进")
    item_sync_assignments(item=item)
    return item


@pytest.fixture
def notice(db):
    return make_notice()


@pytest.fixture
def ledger(notice, unit_a, unit_b):
    """Two items: item 1 led by unit A with unit B responsible; item 2 unit B alone."""
    item1 = make_item(notice, 1, lead=["区发改局"], responsible=["区教育局"], deadline=datetime.date(2026, 10, 31),
                      deadline_text="10月底前")
    item2 = make_item(notice, 2, responsible=["区教育局"], deadline=datetime.date(2026, 12, 31), deadline_text="年底前")
    return {"item1": item1, "item2": item2}


@pytest.fixture
def receiver():
    """A local HTTP server standing in for 企业微信 / 钉钉 robots and the SMS gateway (workflow.tests.receiver)."""
    from workflow.tests.receiver import start_receiver

    found, server = start_receiver()
    yield found
    server.shutdown()
    server.server_close()
