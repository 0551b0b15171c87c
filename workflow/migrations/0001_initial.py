# Squashed initial migration (issue 10): nothing had been released.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def seed_calendar(apps, schema_editor):
    """Seed the working-day calendar from the chinesecalendar package (its data covers 2004–2026).

    Self-contained on purpose: a migration must not import app code that may change later. Later years
    are entered by office admins, or by `manage.py seed_calendar` after a package upgrade.
    """
    from chinese_calendar import constants

    def chinese(name):
        try:
            return constants.Holiday(name).chinese
        except ValueError:
            return name

    day_model = apps.get_model("workflow", "CalendarDay")
    year_model = apps.get_model("workflow", "CalendarYear")
    days = [(d, "holiday", n) for d, n in constants.holidays.items()]
    days += [(d, "workday", n) for d, n in constants.workdays.items()]
    day_model.objects.bulk_create([day_model(date=d, kind=kind, name=chinese(n)) for d, kind, n in sorted(days)])
    year_model.objects.bulk_create([
        year_model(year=year, source="package", note="由 chinesecalendar 数据包导入")
        for year in sorted({d.year for d, _, _ in days})
    ])


def unseed_calendar(apps, schema_editor):
    apps.get_model("workflow", "CalendarDay").objects.all().delete()
    apps.get_model("workflow", "CalendarYear").objects.filter(source="package").delete()


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('tasks', '0001_initial'),
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='日期')),
                ('kind', models.CharField(choices=[('holiday', '放假'), ('workday', '调休上班')], max_length=10, verbose_name='类型')),
                ('name', models.CharField(blank=True, max_length=50, verbose_name='节日')),
            ],
            options={
                'verbose_name': '节假日与调休日',
                'verbose_name_plural': '节假日与调休日',
                'ordering': ['date'],
            },
        ),
        migrations.CreateModel(
            name='CalendarYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(unique=True, verbose_name='年度')),
                ('source', models.CharField(choices=[('package', 'chinesecalendar 数据包'), ('manual', '管理员录入')], default='manual', max_length=20, verbose_name='来源')),
                ('note', models.CharField(blank=True, help_text='例如国务院办公厅关于部分节假日安排的通知文号。', max_length=200, verbose_name='说明')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='录入时间')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
            ],
            options={
                'verbose_name': '节假日安排年度',
                'verbose_name_plural': '节假日安排年度',
                'ordering': ['-year'],
            },
        ),
        migrations.CreateModel(
            name='Chase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(db_index=True, verbose_name='年度')),
                ('due_date', models.DateField(blank=True, null=True, verbose_name='当时的完成时限')),
                ('message', models.TextField(verbose_name='催办内容')),
                ('created_on', models.DateField(verbose_name='催办日期')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='催办时间')),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chases', to='tasks.assignment', verbose_name='台账行')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='催办人')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chases', to='tasks.item', verbose_name='任务事项')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='chases', to='units.unit', verbose_name='被催办单位')),
            ],
            options={
                'verbose_name': '催办记录',
                'verbose_name_plural': '催办记录',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('due_soon', '临近时限提醒'), ('overdue', '逾期提醒'), ('chase', '催办'), ('review_requested', '待审核'), ('review_accepted', '审核通过'), ('review_returned', '退回修改')], max_length=20, verbose_name='类型')),
                ('key_date', models.DateField(blank=True, null=True, verbose_name='提醒日期')),
                ('title', models.CharField(max_length=200, verbose_name='标题')),
                ('body', models.TextField(blank=True, verbose_name='内容')),
                ('link', models.CharField(blank=True, max_length=300, verbose_name='链接')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='邮件发送时间')),
                ('email_error', models.CharField(blank=True, max_length=300, verbose_name='邮件发送错误')),
                ('assignment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='tasks.assignment', verbose_name='台账行')),
                ('chase', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='workflow.chase', verbose_name='催办记录')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
            ],
            options={
                'verbose_name': '通知消息',
                'verbose_name_plural': '通知消息',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddIndex(
            model_name='chase',
            index=models.Index(fields=['unit', 'year'], name='chase_unit_year'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['recipient', 'read_at'], name='notification_inbox'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(condition=models.Q(('key_date__isnull', False)), fields=('assignment', 'kind', 'key_date', 'recipient'), name='notification_once_per_key'),
        ),
        migrations.RunPython(seed_calendar, unseed_calendar),
    ]
