from django.conf import settings
from django.db import migrations, models


def keep_one_value_per_date(apps, schema_editor):
    """Before the database refuses duplicates, keep the latest-saved value of each pair.

    Two values for one sub-indicator and date could be stored before this constraint
    (two editors adding at once); the one saved last is the one a user last saw.
    """
    Measurement = apps.get_model("indicators", "Measurement")
    duplicates = (
        Measurement.objects.values("sub_indicator_id", "date")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
    )
    for pair in duplicates.iterator():
        rows = Measurement.objects.filter(
            sub_indicator_id=pair["sub_indicator_id"], date=pair["date"]
        ).order_by("-updated_at", "-id")
        keep = rows.values_list("id", flat=True).first()
        rows.exclude(id=keep).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0002_initial'),
        ('plans', '0002_row_version'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='measurement',
            name='measurement_sub_date',
        ),
        migrations.AddField(
            model_name='indicator',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name='measurement',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name='measurementrevision',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name='subindicator',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.RunPython(keep_one_value_per_date, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='measurement',
            constraint=models.UniqueConstraint(fields=('sub_indicator', 'date'), name='measurement_one_per_date', violation_error_message='This sub-indicator already has a value at this date.'),
        ),
    ]
