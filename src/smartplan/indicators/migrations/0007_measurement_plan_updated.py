"""Open data's Last-Modified of a plan's measured values (and the catalogue's modification
dates) read the newest change through this index (one lookup) instead of every value."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0006_measurement_plan_date"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="measurement",
            index=models.Index(fields=["plan", "updated_at"], name="measurement_plan_updated"),
        ),
    ]
