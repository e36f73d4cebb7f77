"""Per-collection roles replace the read-only group list: every group that could read a
collection becomes its ``reader`` (read no longer implies write)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def groups_become_readers(apps, schema_editor):
    CollectionAccess = apps.get_model("access", "CollectionAccess")
    CollectionRole = apps.get_model("access", "CollectionRole")
    CollectionRole.objects.bulk_create([
        CollectionRole(collection_id=access.collection_id, group=group, role="reader")
        for access in CollectionAccess.objects.prefetch_related("groups") for group in access.groups.all()
    ])


def readers_become_groups(apps, schema_editor):
    CollectionAccess = apps.get_model("access", "CollectionAccess")
    CollectionRole = apps.get_model("access", "CollectionRole")
    for role in CollectionRole.objects.filter(group__isnull=False):
        access, _ = CollectionAccess.objects.get_or_create(collection_id=role.collection_id)
        access.groups.add(role.group_id)


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('ingest', '0003_document_replacement_and_token'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CollectionRole',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('reader', 'reader: read documents, ask questions'), ('contributor', 'contributor: also add and replace documents'), ('manager', 'manager: also grant access, set the privacy level, delete')], max_length=16)),
                ('granted_at', models.DateTimeField(auto_now=True)),
                ('collection', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='ingest.collection')),
                ('granted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='collection_roles', to='auth.group')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='collection_roles', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['collection__slug', 'group__name', 'user__username'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('group__isnull', False), ('user__isnull', True)), models.Q(('group__isnull', True), ('user__isnull', False)), _connector='OR'), name='collection_role_group_xor_user'), models.UniqueConstraint(fields=('collection', 'group'), name='collection_role_one_per_group'), models.UniqueConstraint(fields=('collection', 'user'), name='collection_role_one_per_user')],
            },
        ),
        migrations.RunPython(groups_become_readers, readers_become_groups),
        migrations.RemoveField(
            model_name='collectionaccess',
            name='groups',
        ),
    ]
