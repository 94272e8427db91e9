"""The long select writes what Django's Select writes, only faster: the stack's and the
resources' project filter of a national plan keeps its markup, its choice and its errors."""

import pytest
from django import forms
from django.test.signals import template_rendered

from smartplan.plans.models import Plan
from smartplan.portal.long_select import LongSelect
from smartplan.portal.stack_forms import StackFilterForm
from smartplan.projects.models import FlagshipProject

CHOICES = [("", "všechny projekty"), (1, "1. Chytrá doprava"), (2, "Řízení & „data“ <b>"), (3, "3")]


@pytest.mark.parametrize("value", [None, "", 2, "2", "9"])
@pytest.mark.parametrize(
    "attrs",
    [
        {"id": "id_flagship"},
        {"id": "id_flagship", "aria-invalid": "true", "aria-describedby": "id_flagship-chyba"},
        {"id": "x", "required": True, "disabled": False},
    ],
)
def test_same_markup_as_django(value, attrs):
    django_select = forms.Select(choices=CHOICES)
    ours = LongSelect(choices=CHOICES)
    assert ours.render("flagship", value, attrs) == django_select.render("flagship", value, attrs)


def test_the_form_of_a_plan_renders_its_projects_with_the_chosen_one(db, demo_plan: Plan):
    project = FlagshipProject.objects.filter(plan=demo_plan).order_by("number")[1]
    form = StackFilterForm({"flagship": str(project.pk)}, plan=demo_plan)
    assert form.is_valid()
    html = str(form["flagship"])
    assert f'<option value="{project.pk}" selected>{project}</option>' in html
    assert html.count("<option") == FlagshipProject.objects.filter(plan=demo_plan).count() + 1
    field = form.fields["flagship"]
    assert isinstance(field, forms.ModelChoiceField)
    projects = FlagshipProject.objects.filter(plan=demo_plan).order_by("number")
    reference = forms.Select(choices=[("", field.empty_label), *((p.pk, str(p)) for p in projects)])
    assert html == reference.render("flagship", str(project.pk), {"id": "id_flagship"})


def test_hundreds_of_options_render_without_a_template_per_option():
    """What made Django's Select slow for 900 projects is a template rendered per option;
    the long select renders none per option (counted, not timed: the benchmarks time)."""
    choices = [("", "všechny projekty")] + [(n, f"{n}. Projekt číslo {n}") for n in range(1, 901)]

    def templates(widget: forms.Select) -> int:
        rendered: list[object] = []

        def count(sender: object, **kwargs: object) -> None:
            rendered.append(kwargs.get("template"))

        template_rendered.connect(count)
        try:
            html = widget.render("flagship", "450", {"id": "id_flagship"})
        finally:
            template_rendered.disconnect(count)
        assert html.count("<option") == len(choices)
        return len(rendered)

    assert templates(forms.Select(choices=choices)) > len(choices)
    assert templates(LongSelect(choices=choices)) <= 1
