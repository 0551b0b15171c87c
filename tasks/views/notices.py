"""Notices: list, the table as issued, create and edit (office staff)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import ListView

from core.http import require_office
from core.locking import MISSING_VERSION, STALE_MESSAGE, expected_version, take_row
from tasks.archive import year_is_closed
from tasks.forms import NoticeForm, SectionForm
from tasks.models import Item, Notice, Section
from tasks.services import notice_save


class NoticeListView(LoginRequiredMixin, ListView):
    template_name = "tasks/notice_list.html"
    context_object_name = "notices"
    paginate_by = 30

    def get_queryset(self):
        items = Item.objects.filter(notice_id=OuterRef("pk")).order_by().values("notice_id").annotate(n=Count("id"))
        qs = Notice.objects.visible_to(self.request.user).annotate(
            item_count=Coalesce(Subquery(items.values("n")), 0))  # per notice shown, not a join of every item
        year = self.request.GET.get("year")
        if year and year.isdigit():
            qs = qs.filter(work_year=int(year))
        return qs.order_by("-work_year", "-issue_date", "-id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["years"] = list(Notice.objects.visible_to(self.request.user).order_by("-work_year")
                            .values_list("work_year", flat=True).distinct())
        ctx["year"] = self.request.GET.get("year", "")
        return ctx


@login_required
def notice_detail(request, pk):
    notice = get_object_or_404(Notice.objects.visible_to(request.user).select_related("government"), pk=pk)
    # Withdrawn items (撤销 on a re-import, kept for their progress) follow the current item of their number.
    items = list(Item.objects.visible_to(request.user).filter(notice=notice).order_by("number", "withdrawn_on"))
    sections = list(notice.sections.select_related("parent"))
    rows = breakdown_rows(sections, items)
    user = request.user
    own = user.is_office and (user.sees_all_governments or notice.government_id == user.government_id)
    upper_office = (user.sees_everything and user.government_id is not None
                    and notice.government_id == user.government_id and notice.government.lowers.exists())
    return render(request, "tasks/notice_detail.html", {
        "notice": notice, "rows": rows, "item_count": sum(1 for i in items if i.withdrawn_on is None),
        "withdrawn_count": sum(1 for i in items if i.withdrawn_on is not None),
        "all_items_visible": len(items) == notice.items.count(),
        "can_edit": own,
        # The chain of tables: publish down, derive from the upper table, link items to it, the roll-up.
        "can_publish": own and upper_office and not notice.published_on,
        "can_derive": (user.is_office and notice.published_on is not None and user.government_id is not None
                       and notice.government_id == user.government.upper_id),
        "can_link": own and notice.government.upper_id is not None,
        "shows_rollup": upper_office,
        "year_closed": year_is_closed(notice.government_id, notice.work_year),  # 年度归档
    })


@login_required
def notice_create(request):
    require_office(request.user)
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and request.user.government_id is None:
        form.add_error(None, "请先为账号设置所属政府，再新建通知。")
    if request.method == "POST" and form.is_valid():
        notice = form.save(commit=False)
        notice.government = request.user.government
        notice.created_by = request.user
        notice_save(notice=notice, created_by=request.user)
        messages.success(request, f"已创建通知“{notice.doc_number}”，请添加部分和事项。")
        return redirect(notice)
    return render(request, "tasks/notice_form.html", {"form": form, "notice": None})


@login_required
def notice_edit(request, pk):
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    require_office(request.user, notice.government_id)
    form = NoticeForm(request.POST or None, instance=notice)
    stale = False
    if request.method == "POST":
        version = expected_version(request.POST, notice)
        stale = version != notice.version or (form.is_valid() and not take_row(notice, version))
        if stale:
            form.add_error(None, STALE_MESSAGE.format(what="该通知") if version is not None else MISSING_VERSION)
            notice.version = version or 0  # keep the stale version on the page: resubmitting is refused again
        elif form.is_valid():
            notice = form.save(commit=False)
            notice.version = version + 1
            notice_save(notice=notice, created_by=request.user)
            messages.success(request, "通知信息已保存。")
            return redirect(notice)
    return render(request, "tasks/notice_form.html", {"form": form, "notice": notice}, status=409 if stale else 200)


@login_required
def section_edit(request, notice_pk, pk=None):
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=notice_pk)
    require_office(request.user, notice.government_id)
    section = get_object_or_404(Section, pk=pk, notice=notice) if pk else None
    if section is None:
        last = notice.sections.order_by("-position").values_list("position", flat=True).first() or 0
        initial = {"position": last + 1}
    else:
        initial = {}
    form = SectionForm(request.POST or None, instance=section, notice=notice, initial=initial)
    if request.method == "POST" and form.is_valid():
        section = form.save(commit=False)
        section.notice = notice
        section.save()
        messages.success(request, f"已保存部分“{section.heading}”。")
        return redirect(notice)
    return render(request, "tasks/section_form.html", {"form": form, "notice": notice, "section": section})


def breakdown_rows(sections: list[Section], items: list[Item]) -> list[dict]:
    """The table as issued, row by row: section headings, subsection headings, items in order."""
    by_section: dict[int | None, list[Item]] = {}
    for item in items:
        by_section.setdefault(item.section_id, []).append(item)
    rows: list[dict] = []
    for section in (s for s in sections if s.parent_id is None):
        rows.append({"kind": "section", "section": section})
        rows.extend({"kind": "item", "item": i} for i in by_section.get(section.pk, []))
        for sub in (s for s in sections if s.parent_id == section.pk):
            rows.append({"kind": "subsection", "section": sub})
            rows.extend({"kind": "item", "item": i} for i in by_section.get(sub.pk, []))
    rows.extend({"kind": "item", "item": i} for i in by_section.get(None, []))
    return rows
