"""Every URL that takes an id, asked by unit A's users for unit B's objects: refused, nothing changed, audited.
The same for the users of another government: a sibling district's office, leader and liaison, and the upper
city's office (which sees a district's progress only through the roll-up of its own tables).

The URL patterns are discovered from the resolver, so a new pattern is checked as soon as it exists. Each
id-taking pattern needs an entry in OBJECT_FOR (which of unit B's objects its id names); a pattern without
one fails `test_every_id_taking_url_is_mapped`, so nobody can add an unchecked URL.
"""
import datetime
import io
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditEvent
from conftest import TODAY, make_item, make_notice

# Which of unit B's objects (keys of the `world` fixture) a URL's `pk` names, by URL name.
OBJECT_FOR = {
    "tasks:notice-detail": "notice", "tasks:notice-edit": "notice",
    "tasks:notice-export-xlsx": "notice",
    "tasks:section-create": "notice", "tasks:section-edit": "section", "tasks:item-create": "notice",
    "tasks:item-detail": "item", "tasks:item-history": "item", "tasks:item-edit": "item", "tasks:item-delete": "item",
    "tasks:assignment-detail": "assignment", "tasks:progress-create": "assignment",
    "tasks:evidence-download": "evidence",
    "workflow:calendar-day-delete": "calendar_day",
    "workflow:notification-read": "notification",
    "workflow:report-accept": "report", "workflow:report-return": "report",
    "reports:lead-summary": "item",
    "reports:annual-detail": "annual_report", "reports:annual-edit": "annual_report",
    "reports:annual-submit": "annual_report", "reports:annual-return": "annual_report",
    "reports:annual-finalise": "annual_report", "reports:annual-export-xlsx": "annual_report",
    "reports:annual-export-docx": "annual_report",
    "reports:annual-check": "annual_report", "reports:annual-publish": "annual_report",
    "reports:annual-finding": "annual_report", "reports:annual-redraft": "annual_report",
    "disclosure:application-detail": "application", "disclosure:application-edit": "application",
    "disclosure:event-add": "application", "disclosure:application-answer": "application",
    "disclosure:application-reopen": "application", "disclosure:document-upload": "application",
    "disclosure:case-add": "application", "disclosure:event-delete": "application_event",
    "disclosure:document-download": "application_document", "disclosure:case-edit": "review_case",
    "tasks:notice-publish": "notice", "tasks:notice-derive": "notice", "tasks:notice-link-upper": "notice",
    "workflow:chase-government": "notice", "workflow:chase-sheet": "chase",
    "reports:chain-rollup": "notice", "reports:chain-rollup-export": "notice",
    "reports:notice-public-page": "notice",
    "units:unit-edit": "unit", "units:unit-active": "unit", "units:unit-delete": "unit",
    "units:group-edit": "group", "units:account-edit": "account", "units:account-active": "account",
    "units:account-password": "account",
}
# Install-wide master data every government's office keeps: the official holiday calendar (节假日与调休).
SHARED_BY_GOVERNMENTS = {"workflow:calendar-day-delete"}
# Other id kwargs, whatever the URL: what they name.
OBJECT_FOR_KWARG = {"notice_pk": "notice", "item_pk": "item", "assignment_pk": "assignment",
                    "report_pk": "report", "unit_pk": "unit", "annual_pk": "annual_report"}
NOT_AN_ID = {"year", "month", "app_label", "page", "url", "token"}  # token: a public page's address (/gongkai/)
ID_NAME = re.compile(r"^(pk|id|.*_pk|.*_id)$")
# A POST that would change something if it were let through.
HOSTILE = {"title": "越权修改", "text": "越权填报", "status": "done", "reported_on": "2026-11-20", "version": "1",
           "requirement": "越权修改的要求", "number": "99", "doc_number": "测政办〔2026〕99号", "work_year": "2026",
           "message": "越权", "overview": "越权", "note": "越权", "open": "1", "confirm": "1"}
B_ONLY = ["乙单位独有的工作要求", "乙单位的落实情况", "乙单位的汇总", "乙单位的年报", "乙单位的申请人", "13900009999"]


@dataclass
class Route:
    name: str  # "namespace:name", or "" for an unnamed pattern
    route: str  # the full route, "tasks/items/<int:pk>/"
    kwargs: list

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield Route(name=name, route=prefix + str(p.pattern), kwargs=re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>",
                                                                                   prefix + str(p.pattern)))


def all_routes() -> list[Route]:
    routes = []
    for r in _walk(get_resolver().url_patterns):
        r.kwargs = [a or b for a, b in r.kwargs]
        routes.append(r)
    return routes


def id_routes() -> list[Route]:
    return [r for r in all_routes() if any(k not in NOT_AN_ID for k in r.kwargs)]


def test_every_id_taking_url_is_mapped():
    unmapped = []
    for r in id_routes():
        if r.is_admin:
            continue  # the admin site: handled by model, below
        for kwarg in r.kwargs:
            if kwarg in NOT_AN_ID:
                continue
            known = (kwarg == "pk" and r.name in OBJECT_FOR) or kwarg in OBJECT_FOR_KWARG
            if not known or not ID_NAME.match(kwarg):
                unmapped.append(f"{r.name or '(unnamed)'} {r.route} <{kwarg}>")
    assert not unmapped, ("These URLs take an id that tests/test_object_permissions.py does not know: add them to "
                          "OBJECT_FOR / OBJECT_FOR_KWARG with one of unit B's objects:\n" + "\n".join(unmapped))


@pytest.fixture
def world(ledger, unit_a, unit_b, alice, bob, charlie, office, settings, tmp_path):
    """Unit B owns one object of every kind; item 1 of `ledger` is led by unit A (A's own rows)."""
    from reports.models import AnnualReport, LeadSummary
    from tasks.models import Evidence, Section
    from tasks.services import progress_record
    from workflow.models import CalendarDay, Chase, Notification

    settings.MEDIA_ROOT = tmp_path
    notice = make_notice(doc_number="测政办〔2026〕9号", title="只发给区教育局的通知")
    section = Section.objects.create(notice=notice, number="一", title="乙单位的部分", position=1)
    item = make_item(notice, 1, lead=["区教育局"], section=section, requirement="乙单位独有的工作要求。",
                     deadline=datetime.date(2026, 10, 31))
    assignment = item.assignments.get(unit=unit_b)
    report = progress_record(
        assignment=assignment, author=charlie, text="乙单位的落实情况（内部）。", status="in_progress",
        reported_on=TODAY, links=["https://www.example.gov.cn/b.html"],
        files=[SimpleUploadedFile("乙单位佐证.pdf", b"%PDF-1.7 unit B only")])
    progress_record(assignment=ledger["item1"].assignments.get(unit=unit_a), author=alice, text="甲单位的落实情况。",
                    status="in_progress", reported_on=TODAY)
    objects = {
        "notice": notice, "section": section, "item": item, "assignment": assignment, "report": report,
        "evidence": Evidence.objects.get(report=report, file__gt=""), "unit": unit_b, "account": charlie,
        "group": _group_of(unit_b),
        "lead_summary": LeadSummary.objects.create(item=item, text="乙单位的汇总。", unit=unit_b, author=charlie,
                                                   written_on=TODAY),
        "annual_report": AnnualReport.objects.create(government=unit_b.government, year=2026, unit=unit_b, owner_name=unit_b.name,
                                                     overview="乙单位的年报。"),
        "notification": Notification.objects.create(recipient=charlie, kind="chase", title="乙单位的消息",
                                                     assignment=assignment),
        "chase": Chase.objects.create(assignment=assignment, unit=unit_b, item=item, year=2026, message="请落实",
                                      created_by=office, created_on=TODAY),
        **_disclosure_objects(unit_b),
        "calendar_day": CalendarDay.objects.get_or_create(date=datetime.date(2026, 10, 1),
                                                          defaults={"kind": "holiday", "name": "国庆节"})[0],
    }
    return objects


def _group_of(unit_b):
    from units.models import UnitGroup

    group = UnitGroup.objects.create(government=unit_b.government, phrase="乙单位所在的组")
    group.members.set([unit_b])
    return group


def _disclosure_objects(unit_b) -> dict:
    """Unit B's 依申请公开 application (its request names B's own words, so exports can be checked) and what
    hangs off it: an event, an answer document, a review case."""
    from disclosure.models import ApplicationDocument, ApplicationEvent, ReviewCase
    from disclosure.services import application_create

    application = application_create(unit=unit_b, today=TODAY, values={
        "received_on": datetime.date(2026, 11, 2), "applicant_type": "natural", "applicant_name": "乙单位的申请人",
        "applicant_contact": "13900009999", "request_text": "乙单位独有的工作要求（依申请公开）"})
    document = ApplicationDocument(application=application, original_name="乙单位告知书.pdf")
    document.file.save("乙单位告知书.pdf", SimpleUploadedFile("乙单位告知书.pdf", b"%PDF-1.7 unit B"), save=True)
    return {
        "application": application, "application_document": document,
        "application_event": ApplicationEvent.objects.create(application=application, kind="extension",
                                                             date=datetime.date(2026, 11, 20)),
        "review_case": ReviewCase.objects.create(application=application, kind="review", body="测试区人民政府",
                                                 filed_on=datetime.date(2026, 11, 20)),
    }


def path_for(route: Route, world) -> str:
    if route.is_admin:
        return _admin_path(route, world)
    kwargs = {}
    for kwarg in route.kwargs:
        if kwarg == "year":  # a work year (年度归档 pages), not an object
            kwargs[kwarg] = 2026
            continue
        if kwarg == "token":  # the public progress page of a notice that is not published: a 404 for everyone
            kwargs[kwarg] = "not-published-0"
            continue
        key = OBJECT_FOR[route.name] if kwarg == "pk" else OBJECT_FOR_KWARG[kwarg]
        kwargs[kwarg] = world[key].pk
    return reverse(route.name, kwargs=kwargs)


def _admin_path(route: Route, world) -> str:
    """Admin URLs: the model comes from the route (admin/<app>/<model>/…); its object is B's where there is one."""
    path = route.route
    by_model = {type(obj)._meta.label_lower: obj for obj in world.values()}
    for kwarg in route.kwargs:
        if kwarg == "content_type_id":
            value = ContentType.objects.get_for_model(world["notice"]).pk
        elif kwarg == "object_id" and route.name == "admin:view_on_site":
            value = world["notice"].pk
        else:
            parts = path.split("/")
            model = apps.get_model(parts[1], parts[2])
            obj = by_model.get(model._meta.label_lower) or model._base_manager.first()
            value = obj.pk if obj else 1
        path = re.sub(rf"<(?:\w+:)?{kwarg}>", str(value), path)
    return "/" + path


def snapshot() -> dict:
    """Every row of every model, except the ones a refused request may add to (audit, sessions, axes)."""
    skip = {"audit.auditevent", "audit.auditseal", "sessions.session"}
    result = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in skip or label.startswith("axes."):
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        result[label] = sorted(map(repr, model._base_manager.values_list(*fields)))
    return result


def refusals(user) -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor=user).count()


@pytest.fixture
def other_government(government):
    """测试市 above the test's district, and 乙区 beside it with its own office, leader and unit liaison (its
    unit has the same short name, 区教育局, as unit B)."""
    from conftest import make_unit, make_user
    from units.models import Government

    city = Government.objects.create(name="测试市人民政府", short_name="测试市", level=Government.Level.CITY)
    government.upper = city
    government.save()
    district = Government.objects.create(name="测试市乙区人民政府", short_name="乙区", upper=city)
    office_unit = make_unit("测试市乙区人民政府办公室", "区政府办", government=district, sort_order=1)
    education = make_unit("测试市乙区教育局", "区教育局", government=district, sort_order=20)
    return {
        "other_office": make_user("yi_office", unit=office_unit, role="office_admin"),
        "other_leader": make_user("yi_leader", role="viewer", government=district),
        "other_liaison": make_user("yi_jiaoyu", unit=education, role="liaison"),
        "city_office": make_user("city_office", role="office_admin", government=city),
    }


@pytest.mark.parametrize("who", ["alice", "bob", "other_office", "other_leader", "other_liaison", "city_office"])
def test_unit_a_cannot_read_or_change_unit_bs_objects(client, world, who, request, other_government):
    user = request.getfixturevalue(who) if who in ("alice", "bob") else other_government[who]
    client.force_login(user)
    before = snapshot()
    problems = []
    for route in id_routes():
        if route.name in SHARED_BY_GOVERNMENTS and who not in ("alice", "bob"):
            continue
        path = path_for(route, world)
        for method in ("get", "post"):
            audited = refusals(user)
            response = getattr(client, method)(path, HOSTILE if method == "post" else None)
            status = response.status_code
            if route.is_admin:  # the admin site sends non-staff users to its login page
                ok = status == 302 and response.url.startswith(reverse("admin:login"))
            else:
                ok = status in (403, 404) or (method == "get" and status == 405)
                if status in (403, 404) and refusals(user) <= audited:
                    problems.append(f"{method.upper()} {path} ({route.name}): {status} not in the audit trail")
            if not ok:
                problems.append(f"{method.upper()} {path} ({route.name}): {status}")
    assert not problems, "\n".join(problems)
    assert snapshot() == before


def test_the_mapped_objects_are_real_for_unit_b(client, world, charlie, office):
    """Control: the ids used above do name objects that unit B (or the office) reaches, so a 404 means refusal."""
    problems = []
    for route in id_routes():
        if route.is_admin:
            continue
        path = path_for(route, world)
        statuses = set()
        for user in (charlie, office):
            client.force_login(user)
            statuses.add(client.get(path).status_code)
        if not statuses & {200, 302, 405}:
            problems.append(f"{path} ({route.name}): {sorted(statuses)}")
    assert not problems, "\n".join(problems)


def page_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
                         if v is not None)
    if "wordprocessingml" in kind:
        import docx

        document = docx.Document(io.BytesIO(body))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return body.decode("utf-8", errors="replace")


def export_routes() -> list[Route]:
    return [r for r in all_routes() if "export" in r.name and not r.kwargs]


def test_exports_hold_no_other_units_rows(client, world, alice, office, unit_b):
    """Every export without an id: refused outright, or holding none of unit B's rows."""
    assert export_routes(), "no export URL found"
    served = []
    for route in export_routes():
        client.force_login(alice)
        mine = client.get(reverse(route.name), {"year": 2026, "unit": unit_b.pk})
        if mine.status_code in (403, 404):
            continue
        assert mine.status_code == 200, route.name
        served.append(route.name)
        text = page_text(mine)
        assert not [m for m in B_ONLY if m in text], route.name
        # Naming B's notice outright gives nothing of it either.
        forced = client.get(reverse(route.name), {"year": 2026, "notice": world["notice"].pk})
        if forced.status_code == 200:
            text = page_text(forced)
            assert not [m for m in B_ONLY if m in text], route.name
        # Control: the same export does carry B's rows for the office.
        client.force_login(office)
        assert "乙单位独有的工作要求" in page_text(client.get(reverse(route.name), {"year": 2026})), route.name
    assert "reports:summary-export" in served


def test_ledger_search_finds_no_other_units_rows(client, world, alice, charlie, unit_b):
    url = reverse("tasks:ledger")
    client.force_login(alice)
    for params in ({"q": "乙单位独有"}, {"unit": unit_b.pk, "q": "乙单位"}, {"notice": world["notice"].pk}, {}):
        html = client.get(url, params).content.decode()
        assert "乙单位独有的工作要求" not in html, params
    assert "第1项工作要求" in client.get(url, {"q": "第1项"}).content.decode()
    client.force_login(charlie)
    assert "乙单位独有的工作要求" in client.get(url, {"q": "乙单位独有"}).content.decode()
