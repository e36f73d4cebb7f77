"""Chunk.embedding_prefix: the exact prefix that was embedded, so keyword indexing reuses it.

Chunks stored before this column get the prefix rebuilt from their stored heading
path and their document's title, which is what indexing did until now (exact unless
the path was cut at 1,000 characters or a heading contains " > "; re-ingesting
such a document stores the exact prefix).
"""
from django.db import migrations, models

SEPARATOR = " > "


def prefixes_fill(apps, schema_editor):
    from ingest.chunking import embedding_prefix

    Chunk = apps.get_model("ingest", "Chunk")
    batch = []
    rows = Chunk.objects.exclude(heading_path="", document__title="").select_related("document").only(
        "id", "heading_path", "document__title").order_by("id")
    for chunk in rows.iterator(chunk_size=2000):
        path = tuple(chunk.heading_path.split(SEPARATOR)) if chunk.heading_path else ()
        chunk.embedding_prefix = embedding_prefix(title=chunk.document.title, heading_path=path)
        batch.append(chunk)
        if len(batch) >= 2000:
            Chunk.objects.bulk_update(batch, ["embedding_prefix"])
            batch = []
    if batch:
        Chunk.objects.bulk_update(batch, ["embedding_prefix"])


class Migration(migrations.Migration):

    dependencies = [
        ("ingest", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="chunk",
            name="embedding_prefix",
            field=models.TextField(blank=True, default="",
                                   help_text='The "title > headings" embedded before the text'),
            preserve_default=False,
        ),
        migrations.RunPython(prefixes_fill, migrations.RunPython.noop, elidable=True),
    ]
