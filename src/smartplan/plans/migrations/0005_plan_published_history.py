
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0004_plan_published'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalplan',
            name='published',
            field=models.BooleanField(default=False, help_text='The public (anyone without a role in the plan) may read a published plan, except drafts, roles and people.', verbose_name='published'),
        ),
    ]
