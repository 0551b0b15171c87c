"""The ledger (台账): every visible assignment, filtered, sorted and paginated; and a unit's own ledger."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.template.loader import render_to_string
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.http import today
from tasks.filters import LedgerFilter
from tasks.forms import ProgressForm
from tasks.models import Assignment, ProgressReport
from tasks.tables import LedgerTable


class LedgerView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """Paginated by django-tables2 only (``table_pagination``): setting FilterView's ``paginate_by`` too
    would count the rows twice (django-tables2 #669)."""

    template_name = "tasks/ledger.html"
    table_class = LedgerTable
    filterset_class = LedgerFilter
    table_pagination = {"per_page": 50}
    title = "台账"
    # The whole ledger, unfiltered, for someone who sees everything: PostgreSQL's estimate is enough.
    estimate_unfiltered_count = True

    def get_table_pagination(self, table):
        pagination = dict(self.table_pagination)
        per_page = self.request.GET.get("per_page", "")
        if per_page in {"10", "20", "50", "100"}:
            pagination["per_page"] = int(per_page)
        return pagination

    def get_queryset(self):
        return Assignment.objects.visible_to(self.request.user).for_ledger_page()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        kwargs["today"] = today()
        return kwargs

    def filters_applied(self) -> bool:
        form = self.filterset.form
        if not form.is_bound:
            return False
        return not form.is_valid() or any(value not in (None, "", False) for value in form.cleaned_data.values())

    def get_table_kwargs(self):
        user = self.request.user
        estimate = self.estimate_unfiltered_count and user.sees_whole_install and not self.filters_applied()
        # The 停滞 marker and the 停滞 filter share one cutoff: the work calendar is read once per request.
        return {"today": today(), "user": user, "estimate_count": estimate,
                "stalled_cutoff": lambda: self.filterset.stalled_cutoff}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title
        ctx["today"] = today()
        year = self.request.GET.get("year", "")
        ctx["year_closed"] = year.isdigit() and int(year) in self.filterset.closed_years
        return ctx


class MyLedgerView(LedgerView):
    """本单位台账: the user's unit's own rows, with progress entry next to each row."""

    template_name = "tasks/my_ledger.html"
    title = "本单位台账"
    estimate_unfiltered_count = False

    def get_queryset(self):
        user = self.request.user
        if not user.unit_id:
            raise Http404("您不属于任何单位。")
        # The inline progress form starts from each row's last text (edit, don't retype): one subquery column.
        last_text = ProgressReport.objects.filter(assignment=OuterRef("pk")).to_start_from().values("text")[:1]
        return Assignment.objects.of_own_unit(user).for_ledger_page().annotate(last_text=Subquery(last_text))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = self.request.user.can_edit_own_unit
        ctx["progress_form"] = form = ProgressForm(today=today())
        parts = {}
        if ctx["can_edit"]:
            for part in ("head", "tail"):
                parts[f"form_{part}"] = render_to_string("tasks/includes/my_ledger_form_part.html",
                                                         {**ctx, "part": part}, request=self.request)
        ctx["own"] = ctx["table"].own_rows_html(can_edit=ctx["can_edit"], status_choices=form.fields["status"].choices,
                                                **parts)
        return ctx
