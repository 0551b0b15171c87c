from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from devtools.demo import load_demo
from workflow.models import Notification
from workflow.newwork import change_sets_notify

# The demo's chases and reviews notify people; while loading, their e-mails are kept in memory and counted
# instead of being printed (console backend) or sent (SMTP) to the demo's made-up addresses.
HELD_MAIL = "django.core.mail.backends.locmem.EmailBackend"


class Command(BaseCommand):
    help = "载入演示数据：各级政府及其单位名录、五份真实通知及其任务分解表、演示进展和演示账号（可重复运行）。"

    def handle(self, *args, **options):
        outbox_before = getattr(mail, "outbox", None)
        mail.outbox = []
        try:
            with override_settings(EMAIL_BACKEND=HELD_MAIL):
                result = load_demo()
            held = len(mail.outbox)
        except FileNotFoundError as exc:
            raise CommandError(f"找不到演示数据文件：{exc.filename}")
        finally:
            if outbox_before is None:
                del mail.outbox
            else:
                mail.outbox = outbox_before
        # The demo's messages (its chases, reviews, new work) stay in the app: never sent as digests later.
        change_sets_notify()
        fresh = Notification.objects.filter(digested_at__isnull=True)
        held += len(set(fresh.exclude(recipient__email="").values_list("recipient_id", flat=True)))
        now = timezone.now()
        fresh.update(digested_at=now, robot_digested_at=now)
        for notice, created in result["notices"]:
            state = "已载入" if created else "已存在，跳过"
            self.stdout.write(f"{notice.doc_number}（{notice.work_year}年，{notice.items.count()}项）：{state}")
        live, created = result["live"]
        state = "已载入" if created else "已存在，跳过"
        self.stdout.write(f"{live.doc_number}（{live.work_year}年，{live.items.count()}项，演示用，时限按今天排列）：{state}")
        extras = []
        if result["public_page"]:
            extras.append(f"公开进度页已发布：{result['public_page']}")
        if result["applications"]:
            extras.append(f"鼓楼区依申请公开登记 {result['applications']} 件")
        if extras:
            self.stdout.write("；".join(extras) + "。")
        if result["closed"]:
            years = "、".join(f"{government}{year}年" for government, year in result["closed"])
            self.stdout.write(f"已归档：{years}。")
        self.stdout.write(f"政府 {result['governments']} 个（福建省→福州市→鼓楼区等）；"
                          f"鼓楼区2022年任务分解表有 {result['linked']} 项关联到福州市2021年任务分解表的事项。")
        if held:
            self.stdout.write(f"演示产生的通知邮件 {held} 封未发送（站内通知照常可见）。")
        self.stdout.write("演示账号（密码相同）：")
        for username, password, description in result["accounts"]:
            self.stdout.write(f"  {username:<8} 密码 {password}  {description}")
