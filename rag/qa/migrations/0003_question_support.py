from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("qa", "0002_question_asked_by_token_streaming")]

    operations = [
        migrations.AddField(
            model_name="question", name="support_reason",
            field=models.CharField(blank=True, max_length=500, help_text=(
                'Why it abstained or is weakly supported, e.g. "the documents cover Django up to 5.2.19; '
                'the question asks about Django 6.1" (rag.search.abstention)')),
        ),
        migrations.AddField(
            model_name="question", name="support_probability",
            field=models.FloatField(blank=True, null=True,
                                    help_text="P(answerable) from the support model; empty under the rule"),
        ),
        migrations.AddField(model_name="question", name="weakly_supported",
                            field=models.BooleanField(default=False)),
    ]
