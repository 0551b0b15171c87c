"""Browsing, filtering and exporting the audit trail; no page or admin action edits it."""
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from audit.trail import audit_event
from conftest import make_user

LIST = reverse("audit:audit-list")
EXPORT = reverse("audit:audit-export")
A = AuditEvent.Action


@pytest.fixture
def events(alice, charlie, office):
    audit_event(alice, A.EXPORT, label="区发改局台账", message="导出台账")
    audit_event(charlie, A.IMPORT, object_type="tasks.notice", object_id=3, label="鼓政办〔2022〕46号")
    for n in range(40):
        audit_event(office, A.OTHER, label=f"批量记录{n}")
    return AuditEvent.objects.all()


@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_anonymous_is_sent_to_login(client, db, url):
    assert client.get(url).url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["alice", "bob", "leader"])
def test_only_office_admins_read_the_trail(client, events, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_list_filters_by_user_action_unit_and_date(client, office, alice, events, django_assert_max_num_queries):
    client.force_login(office)
    with django_assert_max_num_queries(16):
        page = client.get(LIST).content.decode()
    assert "审计日志只能追加" in page and "批量记录39" in page
    page = client.get(LIST, {"actor": alice.pk}).content.decode()
    assert "区发改局台账" in page and "鼓政办〔2022〕46号" not in page and "批量记录" not in page
    page = client.get(LIST, {"action": "import"}).content.decode()
    assert "鼓政办〔2022〕46号" in page and "区发改局台账" not in page
    page = client.get(LIST, {"unit": alice.unit_id}).content.decode()
    assert "区发改局台账" in page and "鼓政办〔2022〕46号" not in page
    page = client.get(LIST, {"object_type": "tasks.notice", "object_id": "3"}).content.decode()
    assert "鼓政办〔2022〕46号" in page and "区发改局台账" not in page
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    assert "没有符合条件的审计记录。" in client.get(LIST, {"date_from": tomorrow}).content.decode()


def test_export_is_the_filtered_list_and_is_itself_recorded(client, office, alice, events):
    client.force_login(office)
    response = client.get(EXPORT, {"actor": alice.pk})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "操作人账号", "操作人单位", "来源地址", "操作")
    assert [r[7] for r in rows[1:]] == ["区发改局台账"]
    export = AuditEvent.objects.filter(action=A.EXPORT, actor=office).get()
    assert "导出审计日志" in export.message


def test_no_view_writes_to_the_trail(client, office, events):
    client.force_login(office)
    before = AuditEvent.objects.count()
    assert client.post(LIST, {"message": "x"}).status_code == 405
    assert client.post(EXPORT).status_code == 405
    assert AuditEvent.objects.count() == before


def test_the_admin_is_read_only(client, db, events):
    root = make_user("root", role="office_admin", is_staff=True, is_superuser=True)
    client.force_login(root)
    event = AuditEvent.objects.filter(action=A.IMPORT).get()
    changelist = client.get(reverse("admin:audit_auditevent_changelist"))
    assert changelist.status_code == 200 and "delete_selected" not in changelist.content.decode()
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    change = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert client.post(reverse("admin:audit_auditevent_change", args=[event.pk]),
                       {"message": "篡改"}).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).message == "" and AuditEvent.objects.filter(pk=event.pk).exists()
