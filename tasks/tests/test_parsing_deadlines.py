"""tasks.parsing.deadlines: the one 时限 vocabulary, on the phrases real tables use."""
import datetime

import pytest

from tasks.parsing import ONGOING_WORDS, Deadline, is_open_ended, resolve_deadline

D = datetime.date


@pytest.mark.parametrize("text, date", [
    ("2024年6月底前", D(2024, 6, 30)), ("上半年", D(2024, 6, 30)), ("下半年", D(2024, 12, 31)),
    ("第三季度", D(2024, 9, 30)), ("三季度末", D(2024, 9, 30)), ("二〇二二年十二月底前", D(2022, 12, 31)),
    ("二〇二四年三月五日前", D(2024, 3, 5)), ("6月中旬", D(2024, 6, 20)), ("全年", D(2024, 12, 31)),
    ("２０２４年１０月底前", D(2024, 10, 31)), ("12月31日", D(2024, 12, 31)),
])
def test_dated_phrases(text, date):
    assert resolve_deadline(text, 2024) == Deadline(date)


@pytest.mark.parametrize("text", ["每季度", "每月", "每年", "定期", "按季度", "每季度末", "每月10日前", "每年6月底前"])
def test_recurring_phrases_never_take_a_date(text):
    found = resolve_deadline(text, 2024, fallback=D(2024, 10, 28))
    assert (found.date, found.ongoing, found.recurring, found.recognised) == (None, True, True, True)
    assert is_open_ended(text)


@pytest.mark.parametrize("text", ["持续推进", "长期坚持", "及时", "常态化", "长期推进", "实时", "立行立改"])
def test_open_ended_phrases_never_take_the_report_back_date(text):
    found = resolve_deadline(text, 2024, fallback=D(2024, 10, 28))
    assert (found.date, found.ongoing, found.recurring) == (None, True, False)
    assert is_open_ended(text)


def test_dated_phrases_are_not_open_ended():
    assert not is_open_ended("10月底前") and not is_open_ended("") and not is_open_ended("按上级要求")


def test_working_days_count_from_the_issue_date_with_a_pluggable_calendar():
    issued = D(2024, 9, 27)  # a Friday
    assert resolve_deadline("10个工作日内", 2024, issue_date=issued).date == D(2024, 10, 11)

    def after_national_day(start, days):  # a calendar that knows 10-01..10-07 are holidays
        current = start
        while days:
            current += datetime.timedelta(days=1)
            if current.weekday() < 5 and not D(2024, 10, 1) <= current <= D(2024, 10, 7):
                days -= 1
        return current

    found = resolve_deadline("10个工作日内", 2024, issue_date=issued, add_working_days=after_national_day)
    assert (found.date, found.working_days) == (D(2024, 10, 18), 10)
    assert resolve_deadline("30日内", 2024, issue_date=issued).date == D(2024, 10, 27)
    assert resolve_deadline("10个工作日内", 2024).date is None  # no issue date: no date, no guess


def test_working_days_after_an_event_are_open_ended():
    found = resolve_deadline("收到申请之日起20个工作日内", 2024, issue_date=D(2024, 3, 5))
    assert (found.date, found.ongoing, found.working_days) == (None, True, 20)


def test_the_vocabulary_is_importable_from_tasks_parsing():
    assert {"持续推进", "长期坚持", "及时", "定期", "每季度", "每月", "每年", "常态化"} <= set(ONGOING_WORDS)
