"""Filters of the audit trail page (django-filter)."""
import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from audit.models import AuditEvent, object_type_name
from audit.registry import registered_labels
from core.forms import DateInput


def _unit_model():
    """The unit model, as the audit row names it (audit imports no project app)."""
    return AuditEvent._meta.get_field("unit").related_model


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(label="操作人", queryset=get_user_model().objects.order_by("username"),
                                             empty_label="全部操作人")
    unit = django_filters.ModelChoiceFilter(label="单位", queryset=_unit_model().objects.none(),
                                            empty_label="全部单位", method="filter_unit")
    action = django_filters.ChoiceFilter(label="操作", choices=AuditEvent.Action.choices, empty_label="全部操作")
    object_type = django_filters.ChoiceFilter(label="对象类型", choices=(), empty_label="全部类型",
                                              method="filter_object_type")
    object_id = django_filters.CharFilter(label="对象编号", method="filter_object_id")
    success = django_filters.ChoiceFilter(label="结果", choices=[("1", "成功"), ("0", "失败")], empty_label="全部结果",
                                          method="filter_success")
    date_from = django_filters.DateFilter(label="起始日期", field_name="created_at", lookup_expr="date__gte",
                                          widget=DateInput())
    date_to = django_filters.DateFilter(label="截止日期", field_name="created_at", lookup_expr="date__lte",
                                        widget=DateInput())
    q = django_filters.CharFilter(label="关键词", method="filter_keyword")

    class Meta:
        model = AuditEvent
        fields = ["actor", "action"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices are the reader's government's users and units (the whole install's for its operator), not
        # every government's: at province scale thousands of options were most of the page.
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated and not user.sees_all_governments:
            self.filters["actor"].queryset = self.filters["actor"].queryset.filter(government_id=user.government_id)
        self.filters["unit"].queryset = (_unit_model().objects.visible_to(user).in_fixed_order() if user is not None
                                         else _unit_model().objects.none())
        self.filters["object_type"].extra["choices"] = [(label, object_type_name(label))
                                                        for label in registered_labels()]
        self.filters["actor"].field.label_from_instance = lambda u: f"{u.username}（{u}）"
        for f in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm"
            f.widget.attrs["class"] = css

    def filter_unit(self, queryset, name, value):
        return queryset.filter(Q(unit=value) | Q(actor_unit=value)) if value else queryset

    def filter_object_type(self, queryset, name, value):
        return queryset.filter(Q(object_type=value) | Q(parent_type=value)) if value else queryset

    def filter_object_id(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        object_type = self.form.cleaned_data.get("object_type")
        if object_type:
            return queryset.filter(Q(object_type=object_type, object_id=value)
                                   | Q(parent_type=object_type, parent_id=value))
        return queryset.filter(object_id=value)

    def filter_success(self, queryset, name, value):
        return queryset.filter(success=value == "1") if value in ("0", "1") else queryset

    def filter_keyword(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(object_label__icontains=value) | Q(actor_name__icontains=value)
                               | Q(message__icontains=value) | Q(ip_address__startswith=value)
                               | Q(request_path__icontains=value))
