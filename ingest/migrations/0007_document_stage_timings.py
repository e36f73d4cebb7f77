from django.db import migrations, models


class Migration(migrations.Migration):
    """Per-stage timings of a document's ingestion (parse, chunk, embed, store; milliseconds)."""

    dependencies = [
        ('ingest', '0006_blob_store'),
    ]

    operations = [
        migrations.AddField(model_name='document', name='parse_ms', field=models.FloatField(blank=True, null=True)),
        migrations.AddField(model_name='document', name='chunk_ms', field=models.FloatField(blank=True, null=True)),
        migrations.AddField(model_name='document', name='embed_ms', field=models.FloatField(blank=True, null=True)),
        migrations.AddField(model_name='document', name='store_ms', field=models.FloatField(blank=True, null=True)),
    ]
