"""No lost updates and no duplicates of measured values: an edit based on an older version is
refused with what is stored now; two values entered at once for one date end as one."""

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from smartplan.access.policy import PROVIDER
from smartplan.access.services import plan_role_grant
from smartplan.core.problems import ChangeRefusedError
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.actions.measurements import (
    MeasurementEntry,
    SaveMeasurements,
    measurement_save,
    measurements_save,
)
from smartplan.organisations.models import Person

MID_2021 = dt.date(2021, 6, 30)


@pytest.fixture
def datasets(demo_plan):
    return SubIndicator.objects.get(plan=demo_plan, code="8.1")


def _entry(sub, value, **fields):
    return MeasurementEntry(sub_indicator=sub, date=MID_2021, value=Decimal(value), **fields)


# -- the action ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_edit_based_on_an_older_version_is_refused_with_what_is_stored_now(datasets):
    stored = measurement_save(entry=_entry(datasets, 3, note="Jaro"), user=None)
    base = stored.version
    measurement_save(entry=_entry(datasets, 5, note="Kolega opravil"), user=None)

    stale = _entry(datasets, 4, note="Moje", measurement_id=stored.pk, based_on_version=base)
    with pytest.raises(ChangeRefusedError) as refused:
        measurement_save(entry=stale, user=None)

    [problem] = refused.value.problems
    assert problem.field == "based_on_version"
    assert "Hodnotu 8.1 k 30. 6. 2021 po otevření formuláře změnil někdo jiný" in problem.message
    assert "hodnota 5 (předběžná), komentář „Kolega opravil“" in problem.message
    stored.refresh_from_db()
    assert (stored.value, stored.note) == (5, "Kolega opravil")


@pytest.mark.django_db
def test_an_edit_based_on_the_stored_version_saves_and_raises_the_version(datasets):
    stored = measurement_save(entry=_entry(datasets, 3), user=None)
    changed = measurement_save(
        entry=_entry(datasets, 4, measurement_id=stored.pk, based_on_version=stored.version),
        user=None,
    )
    assert changed.value == 4
    assert changed.version == stored.version + 1


@pytest.mark.django_db
def test_a_value_entered_as_new_is_refused_when_one_was_stored_meanwhile(datasets):
    measurement_save(entry=_entry(datasets, 3, note="První"), user=None)
    with pytest.raises(ChangeRefusedError) as refused:
        measurement_save(entry=_entry(datasets, 4, based_on_version=0), user=None)
    [problem] = refused.value.problems
    assert "Zatímco jste zadávali svou hodnotu, uložil někdo jiný hodnotu 8.1" in problem.message
    assert "hodnota 3" in problem.message
    assert Measurement.objects.get(sub_indicator=datasets).value == 3


@pytest.mark.django_db
def test_without_a_version_a_value_at_a_stored_date_updates_it_by_the_rules(datasets):
    """A file or an API call without a version: the one stored value is updated."""
    measurement_save(entry=_entry(datasets, 3), user=None)
    measurement_save(entry=_entry(datasets, 4), user=None)
    assert list(Measurement.objects.filter(sub_indicator=datasets).values_list("value")) == [
        (Decimal(4),)
    ]


def _after_the_first_check(monkeypatch, concurrent):
    """Run ``concurrent`` once, right after the first check of a save: as if another writer
    committed between this writer's check and its write."""
    original = SaveMeasurements.check
    done = []

    def check(self):
        problems = original(self)
        if not done and self._locking:
            done.append(True)
            concurrent()
        return problems

    monkeypatch.setattr(SaveMeasurements, "check", check)
    return done


@pytest.mark.django_db
def test_a_file_racing_another_writer_for_a_new_date_updates_the_one_value(datasets, monkeypatch):
    """Both writers saw no value at the date; the database keeps one, the second writer
    finds it on its second check and updates it by the rules (no IntegrityError)."""
    done = _after_the_first_check(
        monkeypatch, lambda: measurement_save(entry=_entry(datasets, 3, note="A"), user=None)
    )
    saved = measurements_save(entries=[_entry(datasets, 4, note="B")], user=None, source="b.csv")
    assert done
    assert (saved.created, saved.updated) == (0, 1)
    [stored] = Measurement.objects.filter(sub_indicator=datasets)
    assert (stored.value, stored.note) == (4, "B")


@pytest.mark.django_db
def test_a_form_racing_another_writer_for_a_new_date_is_refused(datasets, monkeypatch):
    done = _after_the_first_check(
        monkeypatch, lambda: measurement_save(entry=_entry(datasets, 3, note="A"), user=None)
    )
    with pytest.raises(ChangeRefusedError) as refused:
        measurement_save(entry=_entry(datasets, 4, note="B", based_on_version=0), user=None)
    assert done
    assert "uložil někdo jiný hodnotu 8.1" in refused.value.problems[0].message
    assert "hodnota 3 (předběžná), komentář „A“" in refused.value.problems[0].message
    # (The other writer ran inside this test's one connection, so the refusal rolled it back
    # too; the PostgreSQL test below keeps both writers' commits apart.)


@pytest.mark.django_db
def test_an_edit_racing_another_edit_is_refused_by_the_version(datasets, monkeypatch):
    stored = measurement_save(entry=_entry(datasets, 3), user=None)
    base = stored.version
    _after_the_first_check(
        monkeypatch,
        lambda: measurement_save(entry=_entry(datasets, 5, note="A"), user=None),
    )
    # The check passed before the other edit; the write still must not overwrite it.
    with pytest.raises(ChangeRefusedError) as refused:
        measurement_save(
            entry=_entry(datasets, 4, note="B", measurement_id=stored.pk, based_on_version=base),
            user=None,
        )
    assert "nyní je: hodnota 5 (předběžná), komentář „A“" in str(refused.value)


# -- "my indicators" -----------------------------------------------------------------------


@pytest.fixture
def tvrznik_user(demo_plan, django_user_model):
    user = django_user_model.objects.create_user("tvrznik", password="heslo-tvrznik")
    Person.objects.filter(plan=demo_plan, name="Pavel Tvrzník").update(user=user)
    # Entering values is a data provider's (roles are the only door, access/policy.py).
    plan_role_grant(
        plan=demo_plan,
        user=user,
        role=PROVIDER,
        sub_indicators=SubIndicator.objects.filter(plan=demo_plan, code="8.1"),
    )
    return user


def _session(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    return client


def _form(page):
    form = page.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else field.field.widget.format_value(value)
    return data


@pytest.mark.django_db
def test_a_note_edited_on_a_stale_value_form_does_not_put_the_old_value_back(
    tvrznik_user, datasets
):
    """The attack of the issue: a note edited on a stale form put back the old value."""
    stored = measurement_save(entry=_entry(datasets, 3, note="Jaro"), user=None)
    edit = reverse("monitoring:measurement-edit", args=[stored.pk])
    mine = _session(tvrznik_user)
    data = _form(mine.get(edit))
    assert data["edit_base"]

    colleague = _session(tvrznik_user)
    other = _form(colleague.get(edit))
    other["value"] = "5"
    assert colleague.post(edit, other).status_code == 302

    data["note"] = "Jen doplňuji komentář"
    response = mine.post(edit, data)

    assert response.status_code == 200
    text = response.content.decode()
    assert "po otevření tohoto formuláře změnil někdo jiný" in text
    assert "„8.1 k 30. 6. 2021“ po otevření tohoto formuláře změnil někdo jiný" in text
    assert "Hodnota (datových sad): „3“ při otevření formuláře, nyní „5“" in text
    stored.refresh_from_db()
    assert (stored.value, stored.note) == (5, "Jaro")


@pytest.mark.django_db
def test_two_people_entering_a_value_for_one_date_keep_the_first_and_tell_the_second(
    tvrznik_user, datasets
):
    add = reverse("monitoring:measurement-add", args=[datasets.pk])
    first, second = _session(tvrznik_user), _session(tvrznik_user)
    first_form, second_form = _form(first.get(add)), _form(second.get(add))
    first_form.update({"date": "30. 6. 2021", "value": "3", "note": "První"})
    second_form.update({"date": "30. 6. 2021", "value": "4", "note": "Druhý"})

    assert first.post(add, first_form).status_code == 302
    response = second.post(add, second_form)

    assert response.status_code == 200
    assert "uložil někdo jiný hodnotu 8.1 k 30. 6. 2021" in response.content.decode()
    [stored] = Measurement.objects.filter(sub_indicator=datasets)
    assert (stored.value, stored.note) == (3, "První")

    # Reloaded, the page knows the value: the same entry now changes it, by the rules.
    again = _form(second.get(add))
    again.update({"date": "30. 6. 2021", "value": "4", "note": "Druhý"})
    assert second.post(again and add, again).status_code == 302
    [stored] = Measurement.objects.filter(sub_indicator=datasets)
    assert (stored.value, stored.note) == (4, "Druhý")


@pytest.mark.django_db
def test_an_altered_record_of_seen_values_is_refused(tvrznik_user, datasets):
    add = reverse("monitoring:measurement-add", args=[datasets.pk])
    session = _session(tvrznik_user)
    data = _form(session.get(add))
    data.update({"date": "30. 6. 2021", "value": "3", "seen": data["seen"][:-3] + "abc"})
    response = session.post(add, data)
    assert response.status_code == 200
    assert "je poškozený" in response.content.decode()
    assert not Measurement.objects.filter(sub_indicator=datasets).exists()


# -- two connections on PostgreSQL -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once: PostgreSQL")
def test_two_writers_at_once_on_postgresql_store_one_value(demo_plan, monkeypatch):
    """Two threads, each with its own connection, both check (no value at the date), then
    both insert: the database refuses the second insert, which checks again and updates the
    first writer's value (a file) — or is refused (a form that saw no value)."""
    sub = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    both_checked = threading.Barrier(2, timeout=30)
    original = SaveMeasurements.check

    def check(self):
        problems = original(self)
        if self._locking and not getattr(self, "_waited", False):
            self._waited = True
            both_checked.wait()
        return problems

    monkeypatch.setattr(SaveMeasurements, "check", check)
    results = {}

    def write(name, entry):
        try:
            results[name] = measurements_save(entries=[entry], user=None, source=f"{name}.csv")
        except Exception as error:
            results[name] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=write, args=("a", _entry(sub, 3, note="A"))),
        threading.Thread(target=write, args=("b", _entry(sub, 4, note="B"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not any(isinstance(result, Exception) for result in results.values()), results
    [stored] = Measurement.objects.filter(sub_indicator=sub, date=MID_2021)
    assert sorted((r.created, r.updated) for r in results.values()) == [(0, 1), (1, 0)]
    assert stored.version == 2

    # Two forms that both saw no value at a new date: one stored, one refused in Czech.
    both_checked.reset()
    later = dt.date(2021, 9, 30)
    results.clear()
    threads = [
        threading.Thread(
            target=write,
            args=(
                name,
                MeasurementEntry(
                    sub_indicator=sub, date=later, value=Decimal(value), based_on_version=0
                ),
            ),
        )
        for name, value in (("c", 5), ("d", 6))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    refusals = [r for r in results.values() if isinstance(r, ChangeRefusedError)]
    assert len(refusals) == 1, results
    assert "uložil někdo jiný hodnotu 8.1" in str(refusals[0])
    assert Measurement.objects.filter(sub_indicator=sub, date=later).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once: PostgreSQL")
def test_two_edits_of_one_version_at_once_on_postgresql_keep_the_first(demo_plan, monkeypatch):
    """The first edit holds the value from its check to its commit; the second edit's check
    waits for it, then sees the new version and is refused: nothing is overwritten."""
    sub = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    stored = measurement_save(entry=_entry(sub, 3), user=None)
    first_checked = threading.Event()
    original = SaveMeasurements.check

    def check(self):
        problems = original(self)
        if self._locking and self.entries[0].note == "A" and not first_checked.is_set():
            first_checked.set()
            time.sleep(0.5)  # the second edit arrives while this one holds the value
        return problems

    monkeypatch.setattr(SaveMeasurements, "check", check)
    results = {}

    def edit(name, wait):
        if wait:
            first_checked.wait(30)
        try:
            entry = _entry(
                sub,
                4 if name == "A" else 5,
                note=name,
                measurement_id=stored.pk,
                based_on_version=stored.version,
            )
            results[name] = measurement_save(entry=entry, user=None)
        except Exception as error:
            results[name] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=edit, args=("A", False)),
        threading.Thread(target=edit, args=("B", True)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert isinstance(results["A"], Measurement), results
    assert isinstance(results["B"], ChangeRefusedError), results
    assert "nyní je: hodnota 4 (předběžná), komentář „A“" in str(results["B"])
    stored.refresh_from_db()
    assert (stored.value, stored.note) == (4, "A")
