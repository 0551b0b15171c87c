"""Date display in the form the UI uses everywhere: 2026年11月23日."""
import datetime


def cn_date(value: datetime.date | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"
