"""How messages leave the app: a person's channel choices (通知方式); the office's send records (发送记录)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from core.http import require_office
from workflow.channels import sms_configured
from workflow.forms import ChannelPreferenceForm, DeliveryFilterForm
from workflow.models import ChannelPreference, Delivery
from workflow.notifications import channel_preference_save


@login_required
def channel_settings(request):
    user = request.user
    pref = ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)
    form = ChannelPreferenceForm(request.POST or None, initial={"by_email": pref.by_email, "by_sms": pref.by_sms})
    if request.method == "POST" and form.is_valid():
        channel_preference_save(user=user, **form.cleaned_data)
        messages.success(request, "通知方式已保存。")
        return redirect("workflow:channel-settings")
    return render(request, "workflow/channel_settings.html", {
        "form": form, "sms_available": sms_configured(), "unit": user.unit,
    })


@login_required
def delivery_list(request):
    require_office(request.user)
    rows = Delivery.objects.visible_to(request.user).select_related("recipient", "unit")
    form = DeliveryFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["channel"]:
            rows = rows.filter(channel=form.cleaned_data["channel"])
    page = Paginator(rows.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    failed = Delivery.objects.visible_to(request.user).filter(status=Delivery.Status.FAILED).count()
    return render(request, "workflow/delivery_list.html", {
        "form": form, "page_obj": page, "rows": page.object_list, "failed_count": failed,
        "query": _without_page(request),
    })


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
