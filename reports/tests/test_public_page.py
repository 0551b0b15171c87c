"""The public progress page (/gongkai/): off by default, published and withdrawn by the notice's office (audited),
and an anonymous visitor sees the table and each item's state, never a unit's texts, evidence, people or reviews."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import TODAY, make_item, make_notice, make_unit, make_user
from reports.services import notice_page_publish
from tasks.models import Section
from tasks.services import progress_record
from units.models import Government
from workflow.models import Chase

# What units, people and the office wrote inside the app: never on the public page.
INTERNAL = ["内部落实文字甲", "内部落实文字乙", "内部佐证.pdf", "https://intranet.example/secret.html", "王丽", "张超",
            "陈公开", "alice", "charlie", "退回理由：请补充材料", "不涉及的内部理由", "请尽快落实（催办）"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def table(unit_a, unit_b, street, alice, charlie, office):
    """A notice with a section and a subsection: item 1 done (both units), item 2 in progress (a done-claim of unit
    B returned with a reason), item 3 not started, item 4 withdrawn; item 5 all 不涉及."""
    notice = make_notice(doc_number="测政办〔2026〕7号", title="关于印发2026年政务公开工作要点任务分解表的通知",
                         issuer="测试区人民政府办公室", issue_date=datetime.date(2026, 3, 2))
    top = Section.objects.create(notice=notice, number="一", title="深化重点领域信息公开", position=1)
    sub = Section.objects.create(notice=notice, number="一", title="财政信息", parent=top, position=2)
    item1 = make_item(notice, 1, lead=["区发改局"], responsible=["区教育局"], section=top, title="政策文件库",
                      requirement="更新政策文件库并公开。", deadline=datetime.date(2026, 6, 30), deadline_text="6月底前")
    item2 = make_item(notice, 2, responsible=["区教育局"], section=sub, requirement="公开预决算信息。",
                      deadline=datetime.date(2026, 10, 31), deadline_text="10月底前")
    make_item(notice, 3, responsible=["区发改局"], section=sub, requirement="开展政府开放日活动。",
              deadline_text="持续推进")
    item4 = make_item(notice, 4, responsible=["区发改局"], requirement="已撤销的事项要求。",
                      deadline=datetime.date(2026, 12, 31))
    item4.withdrawn_on = datetime.date(2026, 5, 1)
    item4.save()
    item4.assignments.update(is_withdrawn=True)
    item5 = make_item(notice, 5, responsible=["东街街道"], requirement="街道不涉及的要求。",
                      deadline=datetime.date(2026, 12, 31))
    a1, b1 = item1.assignments.get(unit=unit_a), item1.assignments.get(unit=unit_b)
    progress_record(assignment=a1, author=alice, text="内部落实文字甲", status="done", reported_on=datetime.date(2026, 6, 1),
                    links=["https://intranet.example/secret.html"],
                    files=[SimpleUploadedFile("内部佐证.pdf", b"%PDF-1.4 x")])
    progress_record(assignment=b1, author=charlie, text="内部落实文字乙", status="done",
                    reported_on=datetime.date(2026, 6, 20))
    b2 = item2.assignments.get(unit=unit_b)
    progress_record(assignment=b2, author=charlie, text="内部落实文字乙", status="done", reported_on=datetime.date(2026, 9, 5),
                    submit_for_review=True)
    b2.refresh_from_db()
    b2.status, b2.return_reason = "returned", "退回理由：请补充材料"
    b2.save()
    progress_record(assignment=item5.assignments.get(), author=office, text="", status="not_applicable",
                    na_reason="不涉及的内部理由", reported_on=datetime.date(2026, 4, 1))
    Chase.objects.create(assignment=b2, unit=unit_b, item=item2, year=2026, message="请尽快落实（催办）",
                         created_by=office, created_on=TODAY)
    return notice


def publish(client, user, notice, action="publish"):
    client.force_login(user)
    response = client.post(reverse("reports:notice-public-page", args=[notice.pk]), {"action": action})
    client.logout()
    return response


def test_off_by_default_and_unpublished_is_a_404_without_its_texts(client, table, office):
    assert not table.is_public and table.public_token is None
    assert client.get("/gongkai/not-published-0/").status_code == 404
    publish(client, office, table)
    table.refresh_from_db()
    address = reverse("public:notice", args=[table.public_token])
    assert client.get(address).status_code == 200
    publish(client, office, table, action="unpublish")
    response = client.get(address)
    assert response.status_code == 404
    page = response.content.decode()
    for text in [table.title, "更新政策文件库并公开。", "区发改局", *INTERNAL]:
        assert text not in page
    index = client.get(reverse("public:index")).content.decode()
    assert table.title not in index and "目前没有公开的任务落实情况。" in index


def test_anonymous_sees_the_table_and_each_items_state_and_nothing_internal(client, table, office, django_assert_num_queries):
    publish(client, office, table)
    table.refresh_from_db()
    address = reverse("public:notice", args=[table.public_token])
    with django_assert_num_queries(4):
        response = client.get(address)
    assert response.status_code == 200
    assert not response.cookies  # no session, no login
    page = response.content.decode()
    for text in ["测政办〔2026〕7号", "关于印发2026年政务公开工作要点任务分解表的通知", "测试区人民政府办公室", "2026年3月2日",
                 "一、深化重点领域信息公开", "（一）财政信息", "政策文件库", "更新政策文件库并公开。", "6月底前",
                 "区发改局", "区教育局", "持续推进", "开展政府开放日活动。"]:
        assert text in page, text
    rows = {n: page.split(f'data-label="序号">{n}</td>')[1].split("</tr>")[0] for n in (1, 2, 3, 5)}
    assert "已完成" in rows[1] and "2026年6月20日完成" in rows[1]
    assert "推进中" in rows[2] and "最近进展2026年9月5日" in rows[2]  # a returned done-claim is not done
    assert "未开始" in rows[3]
    assert "不涉及" in rows[5]
    assert "已撤销的事项要求。" not in page
    assert "已完成 1 项" in page and "推进中 1 项" in page and "未开始 1 项" in page
    for text in INTERNAL + ["已逾期", "待审核", "已退回", "佐证", "evidence"]:
        assert text not in page, text


def test_publishing_and_withdrawing_are_recorded_with_who_and_when(client, table, office):
    publish(client, office, table)
    publish(client, office, table, action="unpublish")
    publish(client, office, table)
    events = list(AuditEvent.objects.filter(object_type="tasks.notice", object_id=str(table.pk),
                                            action=AuditEvent.Action.STATE).order_by("id"))
    assert [e.message.split("（")[0] for e in events] == ["发布公开进度页", "撤回公开进度页", "发布公开进度页"]
    assert all(e.actor == office and e.created_at for e in events)
    table.refresh_from_db()
    assert table.is_public and table.public_by == office
    first_token = events[0].message.split("/gongkai/")[1].rstrip("/）")
    assert table.public_token == first_token  # published again at the same address
    client.force_login(office)
    trail = client.get(reverse("audit:audit-list")).content.decode()
    assert trail.count("发布公开进度页") == 2 and trail.count("撤回公开进度页") == 1 and "状态变更" in trail


def test_the_notice_page_offers_publishing_to_its_office_only(client, table, office, alice, leader):
    client.force_login(office)
    page = client.get(table.get_absolute_url()).content.decode()
    assert "发布公开进度页" in page and "未发布" in page
    publish(client, office, table)
    client.force_login(office)
    page = client.get(table.get_absolute_url()).content.decode()
    assert "撤回公开进度页" in page and "已发布" in page
    client.force_login(alice)
    page = client.get(table.get_absolute_url()).content.decode()
    assert "已发布" in page and "撤回公开进度页" not in page


@pytest.mark.parametrize("who", ["alice", "leader"])
def test_only_the_office_may_publish(client, table, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("reports:notice-public-page", args=[table.pk]), {"action": "publish"})
    assert response.status_code == 403
    table.refresh_from_db()
    assert not table.is_public


def test_another_governments_office_cannot_publish_and_anonymous_must_log_in(client, table):
    other = Government.objects.create(name="外区人民政府", short_name="外区")
    other_office = make_user("wai_office", unit=make_unit("外区政府办", "外区政府办", government=other), role="office_admin")
    client.force_login(other_office)
    assert client.post(reverse("reports:notice-public-page", args=[table.pk]), {"action": "publish"}).status_code == 404
    client.logout()
    response = client.post(reverse("reports:notice-public-page", args=[table.pk]), {"action": "publish"})
    assert response.status_code == 302 and reverse("login") in response.url
    assert client.get(reverse("reports:notice-public-page", args=[table.pk])).status_code in (302, 405)
    table.refresh_from_db()
    assert not table.is_public


def test_the_index_lists_published_notices_by_government(client, table, office):
    other = Government.objects.create(name="外区人民政府", short_name="外区", sort_order=5000)
    hidden = make_notice(doc_number="外政办〔2026〕3号", title="外区未公开的分解表", government=other)
    shown = make_notice(doc_number="外政办〔2026〕4号", title="外区公开的分解表", government=other)
    notice_page_publish(notice=shown, user=None, now=timezone.now())
    publish(client, office, table)
    page = client.get(reverse("public:index")).content.decode()
    assert page.index("测试区人民政府") < page.index(table.title) < page.index("外区人民政府") < page.index("外区公开的分解表")
    assert hidden.title not in page
    table.refresh_from_db()
    assert reverse("public:notice", args=[table.public_token]) in page


def test_a_page_prints_and_fits_a_phone(client, table, office):
    publish(client, office, table)
    table.refresh_from_db()
    page = client.get(reverse("public:notice", args=[table.public_token])).content.decode()
    assert 'name="viewport"' in page and "css/public.css" in page and "<script" not in page
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/public.css"), encoding="utf-8").read()
    assert "@media print" in css and "@media (max-width: 767.98px)" in css
