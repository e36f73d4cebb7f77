"""The API token a question was asked with; streamed questions are saved before their answer."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0001_initial'),
        ('qa', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='question',
            name='asked_by_token',
            field=models.ForeignKey(blank=True, help_text='The API token the question was asked with', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='access.apitoken'),
        ),
        migrations.AlterField(
            model_name='question',
            name='status',
            field=models.CharField(choices=[('answered', 'Answered'), ('abstained', 'Abstained'), ('error', 'Error'), ('streaming', 'Streaming'), ('interrupted', 'Interrupted')], max_length=16),
        ),
    ]
