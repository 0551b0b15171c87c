"""Sends over the channels (e-mail, SMS, work-group robots): every attempt recorded; people's choices."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from units.models import Government, Unit


class DeliveryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Send records an office admin may read: their government's (all, for the install's operator)."""
        if not user.is_authenticated or not user.is_office:
            return self.none()
        if user.sees_all_governments:
            return self
        return self.filter(government_id=user.government_id)

    def due_for_retry(self, now):
        return self.filter(status=Delivery.Status.FAILED, next_attempt_at__isnull=False, next_attempt_at__lte=now)


class Delivery(models.Model):
    """One digest sent (or being sent) over one channel to one person or one unit's work group."""

    class Channel(models.TextChoices):
        EMAIL = "email", "电子邮件"
        SMS = "sms", "短信"
        WECOM = "wecom", "企业微信群"
        DINGTALK = "dingtalk", "钉钉群"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        DELIVERED = "delivered", "已送达"
        FAILED = "failed", "发送失败"

    government = models.ForeignKey(Government, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                                   verbose_name="所属政府")
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="deliveries", verbose_name="接收人")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries",
                             verbose_name="单位工作群")
    address = models.CharField("地址", max_length=300, help_text="邮箱、手机号，或机器人地址（不含密钥）")
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    item_count = models.PositiveIntegerField("消息条数", default=0)
    urgent = models.BooleanField("加急", default=False)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField("失败原因", max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    last_attempt_at = models.DateTimeField("最近尝试", null=True, blank=True)
    next_attempt_at = models.DateTimeField("下次重试", null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        indexes = [
            models.Index(fields=["government", "-created_at"], name="delivery_gov_recent"),
            models.Index(fields=["next_attempt_at"], condition=Q(status="failed"), name="delivery_retry"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}：{self.get_status_display()}"

    @property
    def will_retry(self) -> bool:
        return self.status == self.Status.FAILED and self.next_attempt_at is not None


class ChannelPreference(models.Model):
    """How a person wants to be told besides the app (in-app messages always): e-mail, SMS."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preference",
                                verbose_name="用户")
    by_email = models.BooleanField("电子邮件", default=True)
    by_sms = models.BooleanField("短信", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "通知方式"
        verbose_name_plural = "通知方式"

    def __str__(self):
        return f"{self.user} 的通知方式"
