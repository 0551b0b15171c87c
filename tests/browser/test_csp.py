"""Journey: the pages' scripts work under the strict Content-Security-Policy (issue 16).

The browser enforces the policy the server sends; every page visited must log no CSP violation, and the
behaviours moved out of inline handlers (auto-submitting year pickers, confirmation dialogs, "select
all", the statistics charts) must still work.
"""
import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_violations(page) -> list[str]:
    seen = []
    page.on("console", lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None)
    return seen


def test_behaviours_work_under_the_policy(cast, year_notice, open_as, shot, live_server, today):
    page = open_as(cast["office"])
    violations = watch_violations(page)

    page.goto(f"{live_server.url}/reports/stats/?year={today.year}")
    assert page.locator("#chart-units").bounding_box()["height"] > 50
    drawn = page.locator("#chart-units").evaluate("c => c.getContext('2d').getImageData(0, 0, c.width, c.height)"
                                                  ".data.some(v => v !== 0)")
    assert drawn, "the chart script did not draw"
    shot(page, "stats-charts")

    from conftest import make_notice
    make_notice(doc_number=f"测政办〔{today.year - 1}〕8号", year=today.year - 1)
    page.goto(f"{live_server.url}/tasks/notices/")
    page.select_option("select[name=year]", str(today.year - 1))
    page.wait_for_url(f"**year={today.year - 1}**")  # the picker submitted its form by itself
    shot(page, "notice-list-year")

    item = year_notice["items"][2]
    page.goto(f"{live_server.url}/tasks/items/{item.pk}/")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="删除").click()
    assert questions == ["确定删除第3项？"]
    assert page.url.endswith(f"/tasks/items/{item.pk}/")  # dismissed: nothing was posted
    from tasks.models import Item
    assert Item.objects.filter(pk=item.pk).exists()

    page.goto(live_server.url + reverse("workflow:chase-create"))
    boxes = page.locator("input[name=assignments]")
    if boxes.count():
        page.locator("#check-all").check()
        assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert violations == []
