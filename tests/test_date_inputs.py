"""Every date field is a browser date picker whose pre-filled value the browser can read (2026-11-30).

Django writes dates of the zh-hans locale as 2026/11/30, which an <input type=date> shows as empty: a form
pre-filled with a date looked blank. core.forms.DateInput is the one widget for dates."""
import datetime

from audit.filters import AuditEventFilter
from tasks.forms import DATE_WIDGET
from workflow.forms import CalendarDayForm, ChaseSheetForm

DAY = datetime.date(2026, 11, 30)


def test_calendar_day_form_shows_its_initial_date():
    html = str(CalendarDayForm(initial={"date": DAY})["date"])
    assert 'type="date"' in html and 'value="2026-11-30"' in html


def test_chase_sheet_form_shows_its_default_date():
    html = str(ChaseSheetForm(initial={"by": DAY}, chased_on=DAY)["by"])
    assert 'type="date"' in html and 'value="2026-11-30"' in html


def test_task_forms_date_widget_writes_iso():
    assert 'value="2026-11-30"' in DATE_WIDGET.render("deadline", DAY)


def test_audit_filter_dates_are_date_pickers():
    form = AuditEventFilter(data={}).form
    for name in ("date_from", "date_to"):
        html = form[name].as_widget()
        assert 'type="date"' in html
        assert 'value="2026-11-30"' in form.fields[name].widget.render(name, DAY)
