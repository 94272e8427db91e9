"""The editing interface's year filter of measured values reads a plan's first and last date
through this index (two lookups) instead of sorting the plan's values."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0005_api_order_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="measurement",
            index=models.Index(fields=["plan", "date"], name="measurement_plan_date"),
        ),
    ]
