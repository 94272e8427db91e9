"""The editing interface's year filter of observations reads a plan's first and last period
end through this index instead of sorting the plan's observations."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("observations", "0005_api_order_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="observation",
            index=models.Index(fields=["plan", "period_end"], name="observation_plan_end"),
        ),
    ]
