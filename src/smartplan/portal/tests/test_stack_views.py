"""The public project stack: filters, search, sort, totals, errors, paging, privacy."""

import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartplan.portal.tests.czech_default import czech_default  # noqa: F401
from smartplan.stack.models import StackItem, StackStatus
from smartplan.stack.selectors import stack_by_status, stack_plan_total, stack_totals


def _url(plan, **query):
    url = reverse("portal:stack", args=[plan.slug])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def _numbers(response):
    return [int(n) for n in re.findall(r'<th scope="row">(\d+)</th>', response.content.decode())]


def test_whole_stack_with_totals_equal_to_the_stack_selectors(client, demo_plan):
    response = client.get(_url(demo_plan))
    assert response.status_code == 200
    total = stack_plan_total(plan=demo_plan)
    assert response.context["totals"] == total
    assert len(_numbers(response)) == min(total.items, 50)
    html = response.content.decode()
    assert "<caption" in html
    assert 'scope="col"' in html
    for status in StackStatus:
        assert str(status.label) in html  # the legend


def test_filter_by_status_totals_follow_the_filter(client, demo_plan):
    by_status = {group.key: group for group in stack_by_status(plan=demo_plan)}
    for status in StackStatus:
        response = client.get(_url(demo_plan, status=int(status)))
        totals = response.context["totals"]
        assert totals.items == by_status[int(status)].items
        assert totals.finance_mil == by_status[int(status)].finance_mil
        shown = _numbers(response)
        expected = StackItem.objects.filter(plan=demo_plan, status=status).values_list(
            "number", flat=True
        )
        assert sorted(shown) == sorted(expected)


def test_filter_by_area_and_flagship(client, demo_plan):
    item = StackItem.objects.filter(plan=demo_plan, flagship__isnull=False).first()
    response = client.get(_url(demo_plan, area=item.area_id, flagship=item.flagship_id))
    rows = StackItem.objects.filter(plan=demo_plan, area=item.area, flagship=item.flagship)
    assert response.context["totals"] == stack_totals(queryset=rows)
    assert sorted(_numbers(response)) == sorted(rows.values_list("number", flat=True))


def test_search_ignores_accents_and_case(client, demo_plan):
    StackItem.objects.filter(plan=demo_plan, number=1).update(name="Centrální ŘÍZENÍ provozu")
    response = client.get(_url(demo_plan, q="rizeni"))
    assert 1 in _numbers(response)
    for number in _numbers(response):
        item = StackItem.objects.get(plan=demo_plan, number=number)
        text = " ".join((item.name, item.description, item.note, item.area_label)).lower()
        assert "řízení" in text or "rizeni" in text or "řizeni" in text


def test_sort_by_cost_puts_items_without_an_amount_last(client, demo_plan):
    numbers = _numbers(client.get(_url(demo_plan, sort="-finance")))
    money = dict(StackItem.objects.filter(plan=demo_plan).values_list("number", "finance_mil"))
    amounts = [money[n] for n in numbers]
    known = [a for a in amounts if a is not None]
    assert known == sorted(known, reverse=True)
    assert amounts[: len(known)] == known  # the blanks come after every amount
    ascending = _numbers(client.get(_url(demo_plan, sort="finance")))
    asc_known = [money[n] for n in ascending if money[n] is not None]
    assert asc_known == sorted(asc_known)


def test_unknown_status_is_reported_in_czech_and_ignored(client, demo_plan):
    response = client.get(_url(demo_plan, status=9))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Neznámý stav „9“" in html
    assert 'aria-invalid="true"' in html
    assert 'role="alert"' in html
    # The list ignores the bad field: the whole stack.
    assert response.context["totals"] == stack_plan_total(plan=demo_plan)


def test_other_plans_area_is_refused(client, demo_plan, other_plan):
    from smartplan.plans.models import Area

    foreign = Area.objects.create(plan=other_plan, name="Cizí oblast")
    response = client.get(_url(demo_plan, area=foreign.pk))
    assert response.status_code == 400
    assert "Tento plán takovou oblast nemá." in response.content.decode()


def test_empty_result_says_what_to_do(client, demo_plan):
    response = client.get(_url(demo_plan, q="zzzneexistujicizzz"))
    assert response.status_code == 200
    assert response.context["totals"].items == 0
    html = response.content.decode()
    assert "Filtru neodpovídá žádná položka zásobníku." in html
    assert reverse("portal:stack", args=[demo_plan.slug]) in html


def test_paging_keeps_the_filter(client, demo_plan):
    StackItem.objects.bulk_create(
        StackItem(
            plan=demo_plan,
            number=1000 + n,
            area_id=StackItem.objects.filter(plan=demo_plan).first().area_id,
            name=f"Doplněná položka {n}",
            status=StackStatus.IDEA,
            finance_mil=Decimal(1),
        )
        for n in range(60)
    )
    first = client.get(_url(demo_plan, status=4))
    total = StackItem.objects.filter(plan=demo_plan, status=4).count()
    assert first.context["totals"].items == total
    assert len(_numbers(first)) == 50
    assert "status=4&amp;strana=2" in first.content.decode()
    second = client.get(_url(demo_plan, status=4, strana=2))
    assert len(_numbers(second)) == total - 50
    assert set(_numbers(first)).isdisjoint(_numbers(second))


def test_private_plan_is_not_found(client, demo_plan):
    demo_plan.published = False
    demo_plan.save(update_fields=["published"])
    assert client.get(_url(demo_plan)).status_code == 404


def test_english_page(client, demo_plan):
    response = client.get("/en" + _url(demo_plan))
    assert response.status_code == 200
    assert "Project stack" in response.content.decode()
    assert "Status legend" in response.content.decode()


def test_queries_do_not_depend_on_the_filter(client, demo_plan):
    counts = set()
    for query in ({}, {"q": "doprava"}, {"status": 2, "sort": "-finance"}, {"status": 9}):
        with CaptureQueriesContext(connection) as queries:
            client.get(_url(demo_plan, **query))
        counts.add(len(queries))
    assert max(counts) <= 7
