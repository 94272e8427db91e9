"""The portal's frame: language switcher, plan switcher, navigation, breadcrumbs, private
plans hidden, the home page, error pages and the accessibility statement."""

import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation

from smartplan.demo.services import DEMO_SLUG
from smartplan.plans.models import Plan
from smartplan.portal.errors import server_error

pytestmark = pytest.mark.django_db


def _page(path, **headers):
    response = Client(**headers).get(path)
    return response, response.content.decode()


def _links(html, rel_text):
    return re.findall(rf'<a href="([^"]*)"[^>]*>{rel_text}</a>', html)


@pytest.fixture
def private_plan(other_plan):
    other_plan.name = "Tajný plán Chytrá obec"
    other_plan.save()
    assert not other_plan.published
    return other_plan


@pytest.fixture
def second_public_plan(other_plan):
    other_plan.published = True
    other_plan.save()
    return other_plan


def test_language_switcher_leads_to_the_same_page_in_the_other_language(demo_plan):
    response, html = _page(f"/{DEMO_SLUG}/?rok=2020")
    assert response.status_code == 200
    assert '<html lang="cs"' in html
    assert _links(html, "English") == [f"/en/{DEMO_SLUG}/?rok=2020"]
    assert 'hreflang="en" href="/en/liberec-2020/?rok=2020"' in html

    response, html = _page(f"/en/{DEMO_SLUG}/")
    assert '<html lang="en"' in html
    assert _links(html, "Čeština") == [f"/{DEMO_SLUG}/"]
    assert "Skip to content" in html


def test_language_switcher_on_home_and_statement(demo_plan):
    _, html = _page("/")
    assert _links(html, "English") == ["/en/"]
    _, html = _page("/en/pristupnost/")
    assert _links(html, "Čeština") == ["/pristupnost/"]


def test_the_browser_language_does_not_change_the_portal_language(demo_plan):
    _, html = _page("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="cs"' in html
    assert "Přeskočit na obsah" in html or "Skip to content" not in html


def test_navigation_marks_the_current_page(demo_plan):
    _, html = _page(f"/{DEMO_SLUG}/")
    nav = html.split('class="sp-nav"', 1)[1].split("</nav>", 1)[0]
    for name in ("projekty", "indikatory", "zasobnik", "zdroje", "ridici-skupina", "zpravy"):
        assert f'href="/{DEMO_SLUG}/{name}/"' in nav
    assert f'href="/{DEMO_SLUG}/otevrena-data/"' in nav
    assert re.search(rf'<a href="/{DEMO_SLUG}/" aria-current="page">', nav)
    assert nav.count("aria-current") == 1


def test_plan_switcher_only_with_several_published_plans(demo_plan):
    _, html = _page(f"/{DEMO_SLUG}/")
    assert "sp-switcher" not in html


def test_plan_switcher_lists_the_published_plans(demo_plan, second_public_plan):
    _, html = _page(f"/{DEMO_SLUG}/")
    switcher = html.split('<details class="sp-switcher">', 1)[1].split("</details>", 1)[0]
    assert f'href="/{DEMO_SLUG}/" aria-current="true"' in switcher
    assert f'href="/{second_public_plan.slug}/"' in switcher
    assert 'href="/"' in switcher


def test_private_plans_appear_nowhere(demo_plan, private_plan):
    for path in ("/", "/en/", f"/{DEMO_SLUG}/", "/pristupnost/"):
        response, html = _page(path)
        assert response.status_code == 200, path
        assert private_plan.name not in html, path
        assert private_plan.slug not in html, path
    response, html = _page(f"/{private_plan.slug}/")
    assert response.status_code == 404
    assert private_plan.name not in html


def test_home_lists_published_plans_with_owner_and_period(demo_plan, second_public_plan):
    response, html = _page("/")
    assert response.status_code == 200
    assert demo_plan.name in html
    assert second_public_plan.name in html
    assert "2020–2022" in html  # years without a thousands separator
    assert demo_plan.owner.name in html
    # Several plans: no shortcut straight to one of them.
    assert "Otevřít plán" not in html


def test_home_with_one_plan_links_straight_to_it(demo_plan):
    _, html = _page("/")
    assert (
        f'<a class="gov-button" data-color="primary" data-type="solid" href="/{DEMO_SLUG}/">'
        in html
    )


def test_home_without_plans(empty_instance):
    _, html = _page("/")
    assert "Zatím není zveřejněn žádný plán." in html


def test_home_reads_the_plans_in_a_bounded_number_of_queries(demo_plan, second_public_plan):
    Client().get("/")  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as queries:
        Client().get("/")
    assert len(queries) <= 2, [q["sql"] for q in queries]  # 1 today; a page cache may add its stamp


@pytest.mark.parametrize("path", ["/pristupnost/", "/en/nic-takoveho/neni/"])
def test_frame_pages_read_little(demo_plan, second_public_plan, path):
    Client().get(path)
    with CaptureQueriesContext(connection) as queries:
        Client().get(path)
    assert len(queries) <= 2, [q["sql"] for q in queries]


def test_the_footer_names_the_owner_without_another_query(demo_plan):
    _, html = _page(f"/{DEMO_SLUG}/")
    assert f"Plán zveřejňuje {demo_plan.owner.name}." in html


def test_breadcrumbs_lead_back_to_the_plan(demo_plan, rf):
    from django.template.loader import render_to_string
    from django.urls import resolve

    request = rf.get(f"/{DEMO_SLUG}/projekty/1/")
    request.resolver_match = resolve(request.path)
    html = render_to_string("portal/base.html", {"plan": demo_plan}, request=request)
    crumbs = html.split('class="gov-breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="([^"]+)"', crumbs) == [
        "/",
        f"/{DEMO_SLUG}/",
        f"/{DEMO_SLUG}/projekty/",
    ]


def test_footer_links(demo_plan):
    _, html = _page(f"/{DEMO_SLUG}/")
    footer = html.split('<footer class="sp-footer">', 1)[1]
    for href in ("/pristupnost/", "/lkod/katalog", "/prihlaseni/", f"/{DEMO_SLUG}/otevrena-data/"):
        assert f'href="{href}"' in footer


def test_the_frame_uses_the_design_system_and_no_inline_styles(demo_plan):
    _, html = _page(f"/{DEMO_SLUG}/")
    assert '<link rel="stylesheet" href="/static/gov/gov.css">' in html
    assert '<link rel="stylesheet" href="/static/portal/print.css" media="print">' in html
    assert "style=" not in html
    assert "<script" not in html
    assert html.index('class="sp-skip-link" href="#obsah"') < html.index("<header")
    assert '<main id="obsah"' in html


def test_404_in_czech_and_english(demo_plan):
    response, html = _page("/tahle-stranka-neni/")
    assert response.status_code == 404
    assert '<html lang="cs"' in html
    assert "Stránka nenalezena" in html
    assert "sp-header" in html  # the portal's look

    response, html = _page("/en/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="en"' in html
    assert "Page not found" in html
    assert _links(html, "Čeština") == ["/no-such-page/"]


def test_404_of_a_plan_page(demo_plan):
    response, html = _page("/en/neni-takovy-plan/projekty/")
    assert response.status_code == 404
    assert "Page not found" in html


def test_the_api_keeps_plain_404(demo_plan):
    response = Client().get("/api/v1/nic-takoveho/")
    assert response.status_code == 404
    assert b"sp-header" not in response.content


@pytest.mark.parametrize(
    ("path", "lang", "text"), [("/x/", "cs", "Chyba 500"), ("/en/x/", "en", "Error 500")]
)
def test_500_page_needs_no_database(path, lang, text):
    request = RequestFactory().get(path)
    with translation.override(lang), CaptureQueriesContext(connection) as queries:
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert text in html
    assert f'<html lang="{lang}"' in html
    assert len(queries) == 0


def test_accessibility_statement_czech(demo_plan):
    response, html = _page("/pristupnost/")
    assert response.status_code == 200
    for heading in (
        "Stav souladu",
        "Nepřístupný obsah",
        "Vypracování tohoto prohlášení o přístupnosti",
        "Zpětná vazba a kontaktní údaje",
        "Postupy pro prosazování práva",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "zákonem č. 99/2019 Sb." in html
    assert "Ministerstvo vnitra" in html
    assert "axe-core" in html
    assert "2. prosince 2026" in html
    assert demo_plan.owner.name in html  # the operator, from the published plans


@override_settings(
    OPERATOR_NAME="Krajský úřad Libereckého kraje",
    OPERATOR_EMAIL="pristupnost@example.invalid",
    OPERATOR_PHONE="+420 485 226 111",
)
def test_accessibility_statement_from_settings_in_english(demo_plan):
    _, html = _page("/en/pristupnost/")
    assert '<html lang="en"' in html
    assert "<h2>Compliance status</h2>" in html
    assert "Krajský úřad Libereckého kraje is committed" in html
    assert 'href="mailto:pristupnost@example.invalid"' in html
    assert "+420 485 226 111" in html
    assert "<h2>Enforcement procedure</h2>" in html


def test_no_published_plan_statement_still_names_someone(empty_instance):
    _, html = _page("/pristupnost/")
    assert "Provozovatel tohoto portálu se zavazuje" in html


def test_published_plan_must_be_published(demo_plan):
    Plan.objects.filter(pk=demo_plan.pk).update(published=False)
    response, _ = _page(f"/{DEMO_SLUG}/")
    assert response.status_code == 404
