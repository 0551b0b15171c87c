"""The annual-report paragraph: the draft from the figures, office editing, access."""
import pytest
from django.urls import reverse

from conftest import home_government
from reports.models import AnnualSummaryText
from reports.services import annual_text_draft
from reports.tests.summary_data import TODAY, build_year, freeze_views_today

URL = reverse("reports:annual-text")


@pytest.fixture
def year(unit_a, unit_b, street, monkeypatch):
    freeze_views_today(monkeypatch)
    return build_year(unit_a, unit_b, street)


def test_the_draft_tells_the_figures_by_section_and_what_remains(office, year):
    text = annual_text_draft(user=office, year=2026, today=TODAY)
    assert "《关于印发2026年政务公开工作主要任务分解表的通知》（测政办〔2026〕1号）" in text
    assert "分解为2个方面4项具体任务" in text
    assert "截至2026年11月23日，已完成1项，其中按期完成0项，按期完成率0.0%；1项经核实不涉及；正在推进1项，逾期未完成1项。" in text
    assert "分方面看：一、加强涉及市场主体的信息公开共2项，已完成1项；二、推进政务公开平台规范化共2项，已完成0项。" in text
    assert "第2项“第2项工作要求：做好相关信息公开。”（推进中）" in text
    assert "第3项“第3项工作要求：做好相关信息公开。”（已逾期）" in text
    assert "纳入2027年政务公开工作任务分解表跟踪督办" in text


def test_a_year_without_notices(office, db):
    assert annual_text_draft(user=office, year=2030, today=TODAY) == "2030年暂无政务公开工作任务分解表。"


def test_anonymous_goes_to_login_and_units_get_403(client, alice, year):
    assert client.get(URL).url.startswith(reverse("login"))
    client.force_login(alice)
    assert client.get(URL).status_code == 403
    assert client.post(URL + "?year=2026", {"text": "单位改写"}).status_code == 403
    assert not AnnualSummaryText.objects.exists()


def test_office_gets_the_draft_then_saves_and_it_is_kept_with_the_year(client, office, year):
    client.force_login(office)
    html = client.get(URL, {"year": 2026}).content.decode()
    assert "草稿" in html and "分解为2个方面4项具体任务" in html
    response = client.post(URL + "?year=2026", {"text": "修改后的年报文字。"}, follow=True)
    html = response.content.decode()
    assert "2026年年报文字已保存" in html and "修改后的年报文字。" in html
    saved = AnnualSummaryText.objects.get(year=2026, notice=None)
    assert saved.text == "修改后的年报文字。" and saved.updated_by == office
    client.post(URL + "?year=2026", {"text": "第二次修改。"})
    assert AnnualSummaryText.objects.get().text == "第二次修改。"
    html = client.get(URL, {"year": 2026, "draft": 1}).content.decode()
    assert "分解为2个方面4项具体任务" in html and AnnualSummaryText.objects.get().text == "第二次修改。"


def test_a_text_per_notice_is_kept_apart(client, office, year):
    client.force_login(office)
    client.post(URL + f"?year=2026&notice={year['notice'].pk}", {"text": "本通知的文字。"})
    client.post(URL + "?year=2026", {"text": "全年的文字。"})
    assert dict(AnnualSummaryText.objects.values_list("notice_id", "text")) == {
        year["notice"].pk: "本通知的文字。", None: "全年的文字。"}


def test_empty_text_is_refused(client, office, year):
    client.force_login(office)
    html = client.post(URL + "?year=2026", {"text": "  "}).content.decode()
    assert "请填写年报文字。" in html
    assert not AnnualSummaryText.objects.exists()


def test_leader_reads_without_a_form(client, leader, year):
    AnnualSummaryText.objects.create(government=home_government(), year=2026, text="已定稿的文字。")
    client.force_login(leader)
    html = client.get(URL, {"year": 2026}).content.decode()
    assert "已定稿的文字。" in html and "保存年报文字" not in html
    assert client.post(URL + "?year=2026", {"text": "领导改"}).status_code == 403
