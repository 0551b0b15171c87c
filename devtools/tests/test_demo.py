"""The demo data: the five real notices with the counts of the originals, loaded idempotently.

Loading takes a few seconds, so one test walks through everything the demo must hold.
"""
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tasks.models import Assignment, Item, Notice, ProgressReport
from units.models import User
from workflow.models import Chase

EXPECTED = {"鼓政办〔2022〕46号": 31, "榕政办〔2021〕53号": 37, "泉鲤政办〔2018〕77号": 38,
            "厦湖府办函〔2022〕80号": 28, "鼓政办〔2020〕65号": 18}


def counts():
    return (Notice.objects.count(), Item.objects.count(), Assignment.objects.count(), ProgressReport.objects.count())


@pytest.mark.django_db(transaction=True)  # real commits: the e-mails sent on commit are held
def test_load_demo_end_to_end(settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # as `make run` has it
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "Subject:" not in capsys.readouterr().out  # the demo's e-mails are held back, not printed
    # A short summary: the notices, the chain of governments, the held e-mails and one line per demo account.
    assert len(text.splitlines()) <= 20 and "封未发送" in text

    # The five notices, with the counts of the originals.
    for doc_number, items in EXPECTED.items():
        assert Notice.objects.get(doc_number=doc_number).items.count() == items, doc_number
    gulou = Notice.objects.get(doc_number="鼓政办〔2022〕46号")
    assert gulou.sections.filter(parent__isnull=True).count() == 14
    assert Notice.objects.get(doc_number="泉鲤政办〔2018〕77号").sections.filter(parent__isnull=False).count() == 14
    assert "鼓政办〔2022〕46号（2022年，31项）：已载入" in text

    # Every unit written in a table became ledger rows; group phrases expanded to their members.
    for item in Item.objects.all():
        if item.lead_units_text or item.responsible_units_text:
            assert item.assignments.exists(), item
    item3 = gulou.items.get(number=3)
    assert item3.lead_units_text == ["区发改局", "区建设局"]
    assert item3.assignments.filter(via_group__phrase="十街镇").count() == 10

    # Demo progress and accounts.
    assert Assignment.objects.filter(status="done").exists()
    assert Assignment.objects.filter(status="not_started").exists()
    assert ProgressReport.objects.count() > 100
    # Two liaisons' done-claims for the review pages: one waiting, one returned with a reason.
    pending = ProgressReport.objects.get(review_status="pending")
    assert (pending.author.username, pending.assignment.status) == ("jiaoyu", "pending_review")
    returned = ProgressReport.objects.get(review_status="returned")
    assert returned.author.username == "dongjie" and returned.assignment.status == "returned"
    assert returned.assignment.return_reason.startswith("佐证材料不全")
    chased = Chase.objects.all()
    assert chased.count() == 2 and {c.unit.short_name for c in chased} == {"区发改局"}
    roles = dict(User.objects.values_list("username", "role"))
    assert roles["admin"] == "office_admin" and roles["fagai"] == "liaison" and roles["leader"] == "viewer"
    assert User.objects.get(username="fagai").unit.short_name == "区发改局"
    assert User.objects.get(username="fagai").email == "fagai@example.gov.cn"  # reminders reach the console backend
    assert "fagai" in text and "Govopen-2026!" in text

    # The live table of this year (演示) and the closed years 2018–2021 (年度归档), each by its own office.
    from tasks.models import ClosedYear
    live = Notice.objects.get(doc_number__startswith="演示鼓政办")
    assert f"{live.doc_number}（{live.work_year}年，31项，演示用" in text
    closed = set(ClosedYear.objects.values_list("government__short_name", "year"))
    assert closed == {("鲤城区", 2018), ("鼓楼区", 2020), ("福州市", 2021)}
    assert "已归档：" in text and "鼓楼区2020年" in text
    assert set(ClosedYear.objects.values_list("closed_by__username", flat=True)) == {"admin", "fuzhou", "licheng"}

    # The live table's public progress page is published: /gongkai/ lists it, its page opens without a login.
    from django.test import Client

    from disclosure.models import Application
    public = Client()
    index = public.get("/gongkai/").content.decode()
    assert live.title in index and f"/gongkai/{live.public_token}/" in index
    assert live.doc_number in public.get(f"/gongkai/{live.public_token}/").content.decode()
    assert f"公开进度页已发布：/gongkai/{live.public_token}/" in text
    # A few 依申请公开 register entries of 鼓楼: answered, in progress, waiting for 补正, one overdue.
    applications = Application.objects.filter(unit__government__short_name="鼓楼区")
    assert applications.count() == 5 and "鼓楼区依申请公开登记 5 件" in text
    assert applications.filter(answered_on__isnull=False).count() == 2
    assert applications.filter(answered_on__isnull=True, due_on__lt=timezone.localdate()).count() == 1
    assert applications.filter(events__kind="correction_sent").exists()
    jiaoyu = Client()
    jiaoyu.force_login(User.objects.get(username="jiaoyu"))
    register = jiaoyu.get("/disclosure/").content.decode()
    assert "校外培训机构白名单" in register and "老旧小区改造" not in register  # the unit's own entries

    # Idempotent: a second run changes nothing.
    before = counts()
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert counts() == before and Application.objects.count() == 5
    assert "已存在，跳过" in again.getvalue() and "公开进度页" not in again.getvalue()

    # dump_notice gives back the fixture exactly.
    dumped = StringIO()
    call_command("dump_notice", "鼓政办〔2022〕46号", stdout=dumped)
    fixture = json.loads((settings.BASE_DIR / "fixtures" / "notices" / "gulou2022.json").read_text(encoding="utf-8"))
    assert json.loads(dumped.getvalue()) == fixture
    with pytest.raises(CommandError, match="找不到文号"):
        call_command("dump_notice", "鼓政办〔2099〕1号")
