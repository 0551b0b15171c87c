# Squashed initial migration (issue 10): nothing had been released.

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# On PostgreSQL the database itself refuses UPDATE and DELETE on audit rows (TRUNCATE still works for
# test teardown and for a deliberate, privileged purge).
CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION govopen_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION govopen_audit_append_only();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS govopen_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='操作人账号')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='来源地址')),
                ('user_agent', models.CharField(blank=True, max_length=300, verbose_name='客户端')),
                ('request_path', models.CharField(blank=True, max_length=300, verbose_name='请求')),
                ('action', models.CharField(choices=[('create', '新增'), ('update', '修改'), ('delete', '删除'), ('login', '登录'), ('login_failed', '登录失败'), ('logout', '退出登录'), ('refused', '拒绝访问'), ('import', '导入'), ('export', '导出'), ('submit', '报送'), ('review_accept', '审核通过'), ('review_return', '审核退回'), ('chase', '催办'), ('other', '其他')], db_index=True, max_length=20, verbose_name='操作')),
                ('object_type', models.CharField(blank=True, max_length=100, verbose_name='对象类型')),
                ('object_id', models.CharField(blank=True, max_length=64, verbose_name='对象编号')),
                ('object_label', models.CharField(blank=True, max_length=300, verbose_name='对象')),
                ('parent_type', models.CharField(blank=True, max_length=100, verbose_name='所属对象类型')),
                ('parent_id', models.CharField(blank=True, max_length=64, verbose_name='所属对象编号')),
                ('success', models.BooleanField(default=True, verbose_name='结果')),
                ('changes', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='变更内容')),
                ('message', models.CharField(blank=True, max_length=500, verbose_name='说明')),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('actor_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.unit', verbose_name='操作人单位')),
                ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.unit', verbose_name='涉及单位')),
            ],
            options={
                'verbose_name': '审计日志',
                'verbose_name_plural': '审计日志',
                'ordering': ['-created_at', '-id'],
                'default_permissions': ('view',),
                'indexes': [models.Index(fields=['object_type', 'object_id'], name='audit_object'), models.Index(fields=['parent_type', 'parent_id'], name='audit_parent'), models.Index(fields=['actor', 'created_at'], name='audit_actor_time'), models.Index(fields=['unit', 'created_at'], name='audit_unit_time')],
            },
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
