"""本级政府: the office's own government — its place in the chain and whether the upper office may read its
rows (允许上级查看明细), which only its own office changes."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from units.models import Government


@login_required
@require_http_methods(["GET", "POST"])
def government_settings(request):
    user = request.user
    if not user.sees_everything or user.government_id is None:
        raise PermissionDenied("只有本级政府办和领导可以查看本级政府设置。")
    government = Government.objects.select_related("upper", "office_unit").get(pk=user.government_id)
    if request.method == "POST":
        if not user.is_office:
            raise PermissionDenied("只有本级政府办管理员可以修改本级政府设置。")
        shares = request.POST.get("shares_details") == "1"
        if shares != government.shares_details:
            government.shares_details = shares
            government.save(update_fields=["shares_details"])
        messages.success(request, "已保存：" + ("上级政府办可以查看本级落实上级任务的台账明细。" if shares
                                                else "上级政府办只能看到本级落实上级任务的汇总情况。"))
        return redirect("units:government")
    return render(request, "units/government.html", {
        "government": government, "lowers": list(Government.objects.lower_of(government).in_fixed_order()),
        "can_edit": user.is_office,
    })
