# Squashed initial migration (issue 10): nothing had been released.

import django.db.models.deletion
import tasks.models.core
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Notice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('doc_number', models.CharField(max_length=60, unique=True, verbose_name='文号')),
                ('issuer_code', models.CharField(db_index=True, max_length=30, verbose_name='发文机关代字')),
                ('doc_year', models.PositiveIntegerField(verbose_name='文号年份')),
                ('doc_serial', models.PositiveIntegerField(verbose_name='文号序号')),
                ('title', models.CharField(max_length=300, verbose_name='标题')),
                ('issuer', models.CharField(blank=True, max_length=100, verbose_name='发文机关')),
                ('issue_date', models.DateField(blank=True, null=True, verbose_name='成文日期')),
                ('work_year', models.PositiveIntegerField(db_index=True, verbose_name='工作年度')),
                ('recipients', models.TextField(blank=True, verbose_name='主送')),
                ('cited_documents', models.JSONField(blank=True, default=list, verbose_name='引用的上级文件')),
                ('report_back_date', models.DateField(blank=True, null=True, verbose_name='报送截止日期')),
                ('publicity', models.CharField(blank=True, choices=[('主动公开', '主动公开'), ('依申请公开', '依申请公开'), ('不予公开', '不予公开'), ('', '未标注')], max_length=10, verbose_name='公开属性')),
                ('body', models.TextField(blank=True, verbose_name='正文')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='录入时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='版本')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
            ],
            options={
                'verbose_name': '通知',
                'verbose_name_plural': '通知',
                'ordering': ['-work_year', '-issue_date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Item',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='序号')),
                ('title', models.CharField(blank=True, max_length=300, verbose_name='工作任务')),
                ('requirement', models.TextField(blank=True, verbose_name='工作要求')),
                ('lead_units_text', models.JSONField(blank=True, default=list, verbose_name='牵头单位（原文）')),
                ('responsible_units_text', models.JSONField(blank=True, default=list, verbose_name='责任单位（原文）')),
                ('cooperating_units_text', models.JSONField(blank=True, default=list, verbose_name='配合单位（原文）')),
                ('deadline_text', models.CharField(blank=True, max_length=100, verbose_name='时限（原文）')),
                ('deadline', models.DateField(blank=True, db_index=True, null=True, verbose_name='完成时限')),
                ('is_ongoing', models.BooleanField(default=False, verbose_name='持续推进')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='录入时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='版本')),
                ('origin', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='rectifications', to='tasks.item', verbose_name='整改来源')),
                ('notice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='tasks.notice', verbose_name='通知')),
            ],
            options={
                'verbose_name': '任务事项',
                'verbose_name_plural': '任务事项',
                'ordering': ['notice', 'number'],
            },
        ),
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('lead', '牵头'), ('responsible', '责任'), ('cooperating', '配合')], default='responsible', max_length=20, verbose_name='角色')),
                ('written_as', models.CharField(blank=True, max_length=100, verbose_name='原文写法')),
                ('scope_note', models.CharField(blank=True, max_length=200, verbose_name='分工说明')),
                ('due_date', models.DateField(blank=True, null=True, verbose_name='完成时限')),
                ('is_ongoing', models.BooleanField(default=False, verbose_name='持续推进')),
                ('status', models.CharField(choices=[('not_started', '未开始'), ('in_progress', '推进中'), ('pending_review', '待审核'), ('returned', '已退回'), ('done', '已完成'), ('not_applicable', '不涉及')], default='not_started', max_length=20, verbose_name='状态')),
                ('completed_on', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                ('na_reason', models.CharField(blank=True, max_length=300, verbose_name='不涉及理由')),
                ('return_reason', models.CharField(blank=True, max_length=500, verbose_name='退回理由')),
                ('last_reported_on', models.DateField(blank=True, null=True, verbose_name='最近报送')),
                ('year', models.PositiveIntegerField(verbose_name='年度')),
                ('item_number', models.PositiveIntegerField(verbose_name='事项序号')),
                ('unit_sort_order', models.PositiveIntegerField(default=1000, verbose_name='单位排序')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='分配时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='版本')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='units.unit', verbose_name='单位')),
                ('via_group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='units.unitgroup', verbose_name='来自泛称')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='tasks.item', verbose_name='任务事项')),
                ('notice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='tasks.notice', verbose_name='通知')),
            ],
            options={
                'verbose_name': '台账行',
                'verbose_name_plural': '台账',
                'ordering': ['-year', 'notice_id', 'item_number', 'unit_sort_order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ProgressReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reported_on', models.DateField(verbose_name='报送日期')),
                ('text', models.TextField(verbose_name='落实情况')),
                ('resulting_status', models.CharField(choices=[('not_started', '未开始'), ('in_progress', '推进中'), ('pending_review', '待审核'), ('returned', '已退回'), ('done', '已完成'), ('not_applicable', '不涉及')], max_length=20, verbose_name='报送后状态')),
                ('completed_on', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                ('review_status', models.CharField(choices=[('not_required', '无需审核'), ('pending', '待审核'), ('accepted', '已通过'), ('returned', '已退回'), ('superseded', '已被新报送取代')], default='not_required', max_length=20, verbose_name='审核状态')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                ('review_comment', models.TextField(blank=True, verbose_name='审核意见')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='提交时间')),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='tasks.assignment', verbose_name='台账行')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='填报人')),
                ('corrects', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='corrections', to='tasks.progressreport', verbose_name='更正的报送')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
            ],
            options={
                'verbose_name': '落实情况',
                'verbose_name_plural': '落实情况',
                'ordering': ['-reported_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Evidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(blank=True, max_length=500, verbose_name='链接')),
                ('file', models.FileField(blank=True, max_length=300, upload_to=tasks.models.core.evidence_upload_to, verbose_name='文件')),
                ('original_name', models.CharField(blank=True, max_length=200, verbose_name='文件名')),
                ('size', models.PositiveIntegerField(default=0, verbose_name='大小（字节）')),
                ('content_type', models.CharField(blank=True, max_length=100, verbose_name='类型')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='tasks.progressreport', verbose_name='落实情况')),
            ],
            options={
                'verbose_name': '佐证材料',
                'verbose_name_plural': '佐证材料',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='Section',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=10, verbose_name='序号')),
                ('title', models.CharField(blank=True, max_length=300, verbose_name='标题')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='顺序')),
                ('notice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='tasks.notice', verbose_name='通知')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='subsections', to='tasks.section', verbose_name='上级部分')),
            ],
            options={
                'verbose_name': '部分',
                'verbose_name_plural': '部分',
                'ordering': ['notice', 'position', 'id'],
            },
        ),
        migrations.AddField(
            model_name='item',
            name='section',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='items', to='tasks.section', verbose_name='所属部分'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['unit', 'year', 'status'], name='asg_unit_year_status'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['-year', 'notice', 'item_number', 'unit_sort_order', 'id'], name='asg_ledger_order'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['year', 'notice', 'item_number', 'unit_sort_order', 'id'], name='asg_default_order'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['year', 'due_date'], name='asg_year_due'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['status', 'due_date', 'id'], name='asg_status_due_id'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['due_date', 'id'], name='asg_due_id'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['unit_sort_order', 'id'], name='asg_unit_order'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['role', 'id'], name='asg_role_id'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['last_reported_on', 'id'], name='asg_last_reported_id'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.UniqueConstraint(fields=('item', 'unit'), name='assignment_unique_item_unit'),
        ),
        migrations.AddIndex(
            model_name='progressreport',
            index=models.Index(fields=['assignment', '-reported_on', '-id'], name='report_latest'),
        ),
        migrations.AddIndex(
            model_name='progressreport',
            index=models.Index(condition=models.Q(('review_status', 'pending')), fields=['assignment'], name='report_pending_review'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('url', ''), _negated=True), models.Q(('file', ''), _negated=True), _connector='OR'), name='evidence_has_link_or_file'),
        ),
        migrations.AddConstraint(
            model_name='item',
            constraint=models.UniqueConstraint(fields=('notice', 'number'), name='item_number_unique_in_notice'),
        ),
    ]
