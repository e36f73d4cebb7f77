"""A replacement row per document (is_replacement, partial unique constraints) and the uploading token."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0001_initial'),
        ('ingest', '0002_chunk_embedding_prefix'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='document',
            name='document_unique_source',
        ),
        migrations.AddField(
            model_name='document',
            name='is_replacement',
            field=models.BooleanField(default=False, help_text='A new version of the current document with this source, not serving yet'),
        ),
        migrations.AddField(
            model_name='document',
            name='uploaded_by_token',
            field=models.ForeignKey(blank=True, help_text='The API token that uploaded this version', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='access.apitoken'),
        ),
        migrations.AddConstraint(
            model_name='document',
            constraint=models.UniqueConstraint(condition=models.Q(('is_replacement', False)), fields=('collection', 'source'), name='document_unique_source'),
        ),
        migrations.AddConstraint(
            model_name='document',
            constraint=models.UniqueConstraint(condition=models.Q(('is_replacement', True)), fields=('collection', 'source'), name='document_one_replacement'),
        ),
    ]
