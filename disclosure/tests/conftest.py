import pytest


@pytest.fixture(autouse=True)
def plain_calendar(db):
    """Start from an empty holiday table (the migration seeds the real one): each test adds the days it needs."""
    from workflow.models import CalendarDay, CalendarYear

    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
