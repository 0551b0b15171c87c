"""Re-import (issue 11): a 文号 already stored shows what differs and updates only when asked; progress on
unchanged rows is kept, removed items with progress are kept as withdrawn (撤销), never deleted."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from tasks.breakdown import ParsedNotice, ParsedSection, ParsedSubsection, ParsedTask
from tasks.ledger import ledger_refresh
from tasks.models import Assignment, Item, Notice, ProgressReport, Section
from tasks.reimport import notice_diff
from tasks.services import notice_import, notice_reimport, progress_record
from workflow.chasing import chaseable
from workflow.reminders import _reminder_candidates, reminders_send

DOC = "测政办〔2026〕9号"
TODAY = datetime.date(2026, 6, 1)


def table(*tasks, title="关于印发分解表的通知") -> ParsedNotice:
    return ParsedNotice(doc_number=DOC, year=2026, title=title, sections=[
        ParsedSection("一", "推进决策公开", subsections=[ParsedSubsection("一", "目录", tasks=list(tasks))])])


def task(number, requirement, *, lead=(), responsible=(), deadline_text="10月底前", deadline=datetime.date(2026, 10, 31)):
    return ParsedTask(number=number, requirement=requirement, lead_units=list(lead), responsible_units=list(responsible),
                      deadline_text=deadline_text, deadline=deadline)


FIRST = [task(1, "公开决策目录。", lead=["区发改局"], responsible=["区教育局"]),
         task(2, "公开档案目录。", responsible=["区教育局"]),
         task(3, "公开财政预算。", responsible=["区发改局"], deadline_text="5月底前", deadline=datetime.date(2026, 5, 31)),
         task(4, "做好政策解读。", responsible=["区发改局", "区教育局"])]


@pytest.fixture
def stored(unit_a, unit_b):
    notice = notice_import(parsed=table(*FIRST), government=unit_a.government, meta={"report_back_date": "2026-12-10"})
    row = notice.assignments.get(item__number=1, unit=unit_b)
    progress_record(assignment=row, author=None, text="已公开目录。", status=Assignment.Status.DONE, reported_on=TODAY)
    row = notice.assignments.get(item__number=3, unit=unit_a)  # 5月底前, in progress: overdue on TODAY
    progress_record(assignment=row, author=None, text="正在编制。", status=Assignment.Status.IN_PROGRESS,
                    reported_on=datetime.date(2026, 5, 1))
    return notice


SECOND = [task(1, "公开决策目录。", lead=["区发改局"], responsible=["区教育局"]),          # unchanged
          task(2, "做好政策解读。", responsible=["区发改局"]),                            # was 4, 区教育局 gone
          task(3, "公开档案目录。", responsible=["区教育局"], deadline_text="11月底前",      # was 2, new deadline
               deadline=datetime.date(2026, 11, 30)),
          task(4, "开展政府开放日活动。", responsible=["区教育局"])]                       # new; old 3 removed


def test_the_diff_names_items_added_changed_removed_and_units(stored):
    diff = notice_diff(stored, table(*SECOND))
    assert [c.summary for c in diff.changes if c.kind != "same"] == [
        "第2项（原第4项）：序号有变化；去掉单位 责任：区教育局",
        "第3项（原第2项）：时限、完成日期有变化",
        "第3项：新表中已没有“公开财政预算。”，已有落实情况，将保留并标记为撤销",
        "第4项：新增“开展政府开放日活动。”",
    ]
    assert (len(diff.added), len(diff.changed), len(diff.removed), diff.unchanged_count) == (1, 2, 1, 1)
    assert diff.units_added == ["责任：区教育局"] and "责任：区发改局" in diff.units_removed
    assert diff.lines()[0] == (f"文号“{DOC}”的通知已存在：新增 1 项，修改 2 项，删除 1 项（其中 1 项已有落实情况，保留为撤销），"
                               "未变 1 项。")


def test_an_identical_table_changes_nothing(stored):
    diff = notice_diff(stored, table(*FIRST))
    assert diff.is_empty and diff.unchanged_count == 4
    before = list(Assignment.objects.order_by("pk").values_list("pk", "status", "due_date", "version"))
    notice_reimport(notice=stored, parsed=table(*FIRST), today=TODAY)
    assert list(Assignment.objects.order_by("pk").values_list("pk", "status", "due_date", "version")) == before


def test_the_update_keeps_progress_and_withdraws_what_disappeared(stored, unit_a, unit_b):
    done_row = stored.assignments.get(item__number=1, unit=unit_b)
    withdrawn_row = stored.assignments.get(item__number=3, unit=unit_a)
    assert Assignment.objects.overdue(TODAY).filter(pk=withdrawn_row.pk).exists()  # before: overdue
    diff = notice_reimport(notice=stored, parsed=table(*SECOND), today=TODAY)
    assert len(diff.withdrawn) == 1
    done_row.refresh_from_db()
    assert (done_row.status, done_row.reports.count()) == (Assignment.Status.DONE, 1)  # progress kept
    # The removed item with progress is kept as withdrawn, its number free for the new item 3.
    old3 = Item.objects.get(pk=withdrawn_row.item_id)
    assert (old3.number, old3.withdrawn_on, old3.requirement) == (3, TODAY, "公开财政预算。")
    withdrawn_row.refresh_from_db()
    assert withdrawn_row.is_withdrawn and withdrawn_row.reports.count() == 1
    assert withdrawn_row.light_label(TODAY) == "已撤销"
    assert not Assignment.objects.overdue(TODAY).filter(pk=withdrawn_row.pk).exists()
    assert not chaseable(Assignment.objects.all()).filter(pk=withdrawn_row.pk).exists()
    # The current items, renumbered in place (same rows), with their new deadlines on the ledger.
    current = {i.number: i.requirement for i in stored.items.filter(withdrawn_on__isnull=True)}
    assert current == {1: "公开决策目录。", 2: "做好政策解读。", 3: "公开档案目录。", 4: "开展政府开放日活动。"}
    moved = stored.assignments.get(item__requirement="公开档案目录。", unit=unit_b)
    assert (moved.item_number, moved.due_date) == (3, datetime.date(2026, 11, 30))
    units_of_2 = set(stored.assignments.filter(item__number=2, is_withdrawn=False).values_list("unit__short_name",
                                                                                                flat=True))
    assert units_of_2 == {"区发改局"}
    assert stored.assignments.filter(item__number=4, unit=unit_b).exists()
    # Nothing stale for the one ledger recompute to fix.
    assert ledger_refresh(notices=[stored]) == 0
    # The JSON contract shows the current table only.
    from tasks.services import notice_to_parsed
    assert [t.number for t in notice_to_parsed(Notice.objects.get(pk=stored.pk)).all_tasks()] == [1, 2, 3, 4]


def test_a_removed_item_without_progress_is_deleted(stored):
    pk = stored.items.get(number=4).pk
    notice_reimport(notice=stored, parsed=table(*FIRST[:3]), today=TODAY)
    assert not Item.objects.filter(pk=pk).exists()
    assert Section.objects.filter(notice=stored).count() == 2


def test_withdrawn_rows_get_no_reminders(stored, unit_a):
    day = datetime.date(2026, 6, 2)
    assert [a.item.requirement for a in _reminder_candidates(day, day)] == ["公开财政预算。"]
    notice_reimport(notice=stored, parsed=table(*SECOND), today=TODAY)
    assert list(_reminder_candidates(day, day)) == []
    assert reminders_send(day=day, days_before=[7, 3]).overdue == 0  # 5月底前 but withdrawn: not reminded


def test_the_update_is_all_or_nothing(stored):
    before = list(Item.objects.order_by("pk").values_list("pk", "number", "requirement", "withdrawn_on"))
    bad = [*SECOND, task(5, "新增一项。", responsible=["不存在的单位"])]
    with pytest.raises(ValidationError) as exc:
        notice_reimport(notice=stored, parsed=table(*bad), today=TODAY)
    assert "无法识别单位“不存在的单位”" in exc.value.messages[0]
    assert list(Item.objects.order_by("pk").values_list("pk", "number", "requirement", "withdrawn_on")) == before
    assert ProgressReport.objects.count() == 2
    with pytest.raises(ValidationError):
        notice_reimport(notice=stored, parsed=table(task(1, "甲。"), task(1, "乙。")), today=TODAY)


def test_the_diff_names_changed_notice_fields(stored):
    diff = notice_diff(stored, table(*FIRST), meta={"title": "关于印发分解表（修订）的通知", "issuer": None,
                                                    "report_back_date": datetime.date(2026, 12, 10)})
    assert diff.meta_changes == ["标题"] and not diff.is_empty
    assert diff.lines()[1] == "通知信息有变化：标题"


def test_the_diff_reads_a_constant_number_of_queries(stored, django_assert_num_queries):
    many = [task(n, f"第{n}项工作要求。", responsible=["区教育局"]) for n in range(1, 41)]
    with django_assert_num_queries(2):  # the current items, the items with reports
        diff = notice_diff(stored, table(*many))
    assert len(diff.added) + len(diff.changed) == 40


def test_a_withdrawn_item_says_so_on_its_page(client, office, stored):
    notice_reimport(notice=stored, parsed=table(*SECOND), today=TODAY)
    item = Item.objects.get(notice=stored, withdrawn_on__isnull=False)
    client.force_login(office)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "2026年6月1日重新导入分解表时，新表中已没有此项；已报送的落实情况保留，不再提醒、不计逾期。" in page
    assert "已撤销（推进中）" in page
