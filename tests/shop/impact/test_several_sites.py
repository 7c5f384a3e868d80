"""A leader of two sites sees each site's impact figures alone and both together; a leader of one sees only hers.

Site A is the hand-checked data set, site B ("nord") the small one beside it (both in conftest.py).
All (A and B): revenue 1 780 + 200 = 1 980,00 kr. in 6 + 1 = 7 orders, tickets and sales; training 10,00 h,
paid 17 + 8 = 25,00 h, in all 35,00 h; wages 850 + 400 = 1 250,00 kr.
The women of both sites together: 6 with paid hours, sorted 1, 2, 2, 4, 6, 10 hours (Σ = 25):
lowest 1,00; median (2 + 4) / 2 = 3,00; highest 10,00;
Gini = (−5·1 − 3·2 − 1·2 + 1·4 + 3·6 + 5·10) / (6 · 25) = 59 / 150 = 0,39333... -> 0,3933.
"""
import json
from dataclasses import replace
from datetime import date

from shop.api import tokens
from shop.impact.progress import progress_figures
from shop.impact.services import impact_figures
from tests.shop.api.conftest import API, auth
from tests.shop.impact.conftest import NOVEMBER
from tests.shop.impact.test_views import NOVEMBER_QUERY, cells
from workshop.extensions import db
from workshop.models import Role


def _page(client, query: str) -> str:
    response = client.get(f"/impact/?{NOVEMBER_QUERY}&{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _total(html: str, table: str) -> str:
    return cells(html, table).split("<tr>")[-1]


def test_a_leader_of_two_sites_sees_each_alone_and_both_together(client, login, impact_data, site_b, leader_of_two):
    login(client, leader_of_two)
    site_a = impact_data.site
    alone_a = _page(client, f"site={site_a.slug}")
    assert "1.780,00" in _total(alone_a, "demand") and "850,00" in cells(alone_a, "wages")
    default = _page(client, "")  # no choice: her own site
    assert "1.780,00" in _total(default, "demand") and "Værksted Nord" not in default.split("</h1>")[0]
    alone_b = _page(client, "site=nord")
    assert "200,00" in _total(alone_b, "demand") and "1.780,00" not in alone_b
    assert "400,00" in cells(alone_b, "wages")
    both = _page(client, "site=all")
    assert "Værksted Nord" in both.split("</h1>")[0] and site_a.name in both.split("</h1>")[0]
    demand = _total(both, "demand")
    assert "1.980,00" in demand and ">7<" in demand
    assert all(figure in _total(both, "hours") for figure in ("10,00", "25,00", "35,00"))
    assert "1.250,00" in cells(both, "wages")
    people = cells(both, "people")
    for figure in ('text-nowrap">6</td>', "1,00", "3,00", "10,00", "0,3933"):
        assert figure in people
    distribution = cells(both, "distribution")
    assert [part.split("<")[0] for part in distribution.split('text-nowrap">')[1:]] == [
        "1,00", "2,00", "2,00", "4,00", "6,00", "10,00"]
    # The chooser offers each site and "All my sites", with the chosen one selected.
    chooser = both.split('id="site"')[1].split("</select>")[0]
    assert f'value="{site_a.slug}"' in chooser and 'value="nord"' in chooser
    assert 'value="all" selected' in chooser and "Alle mine værksteder" in chooser
    # The CSV files, the charts and the annual report follow the choice.
    assert "/impact/demand.csv?period=month&amp;day=2026-11-10&amp;site=all" in both
    csv = client.get(f"/impact/demand.csv?{NOVEMBER_QUERY}&site=all").data.decode("utf-8-sig")
    assert csv.strip().splitlines()[-1].endswith(";7;1980,00")
    wages_csv = client.get(f"/impact/wages.csv?{NOVEMBER_QUERY}&site=nord").data.decode("utf-8-sig")
    assert "400,00" in wages_csv and "850,00" not in wages_csv
    assert client.get(f"/impact/chart.svg?{NOVEMBER_QUERY}&site=all").status_code == 200
    assert "/impact/annual?year=2026&amp;site=all" in both
    annual = client.get("/impact/annual?year=2026&site=all").get_data(as_text=True)
    assert "Værksted Nord" in annual and site_a.name in annual and 'name="site" value="all"' in annual
    assert "site=all" in annual.split('class="impact-chart"')[1]


def test_the_public_page_switch_is_for_her_own_site_only(client, login, impact_data, leader_of_two):
    login(client, leader_of_two)
    assert 'id="public-heading"' in _page(client, "")
    assert 'id="public-heading"' not in _page(client, "site=all")
    assert 'id="public-heading"' not in _page(client, "site=nord")


def test_figures_for_all_are_the_sums_of_each_site(impact_data, site_b):
    site_ids = [impact_data.site.id, site_b[0].id]
    alone = [impact_figures([site_id], *NOVEMBER) for site_id in site_ids]
    both = impact_figures(site_ids, *NOVEMBER)

    def summed(rows_a, rows_b):
        return [replace(row_a, **{name: getattr(row_a, name) + getattr(row_b, name)
                                  for name in ("revenue_ore", "count", "training_minutes", "paid_minutes")
                                  if hasattr(row_a, name)}) for row_a, row_b in zip(rows_a, rows_b, strict=True)]

    assert both.demand == summed(alone[0].demand, alone[1].demand)
    assert both.task_hours == summed(alone[0].task_hours, alone[1].task_hours)
    assert {row.key: row for row in both.other_hours} == {
        "cleaning": alone[0].other_hours[0], "meeting": summed(alone[0].other_hours[1:], alone[1].other_hours)[0]}
    assert both.wages_ore == alone[0].wages_ore + alone[1].wages_ore == 125_000
    assert both.paid_minutes == sorted(alone[0].paid_minutes + alone[1].paid_minutes) == [
        60, 120, 120, 240, 360, 600]
    assert str(both.gini) == "0.3933" and both.median_minutes == 180
    month = both.months[0]
    assert month.paid_minutes == both.paid_minutes
    assert month.recorded_task_paid_minutes == sum(figures.months[0].recorded_task_paid_minutes for figures in alone)
    progress = [progress_figures([site_id], *NOVEMBER, date(2026, 11, 23)) for site_id in site_ids]
    together = progress_figures(site_ids, *NOVEMBER, date(2026, 11, 23))
    assert together.steps_now == {step: progress[0].steps_now[step] + progress[1].steps_now[step]
                                  for step in together.steps_now}
    assert together.courses_measured == progress[0].courses_measured + progress[1].courses_measured


def test_a_leader_of_one_site_sees_only_hers_whatever_she_asks(client, login, impact_data, site_b):
    _site, leader_b = site_b
    login(client, leader_b)
    for query in (f"site={impact_data.site.slug}", "site=all", "site=nowhere", ""):
        html = _page(client, query)
        assert "200,00" in _total(html, "demand") and "1.780,00" not in html, query
        assert 'id="site"' not in html  # no chooser for one site
    for query in (f"site={impact_data.site.slug}", "site=all"):
        csv = client.get(f"/impact/demand.csv?{NOVEMBER_QUERY}&{query}").data.decode("utf-8-sig")
        assert csv.strip().splitlines()[-1].endswith(";1;200,00"), query
        annual = client.get(f"/impact/annual?year=2026&{query}").get_data(as_text=True)
        assert impact_data.site.name not in annual and "Værksted Nord" in annual


def test_staff_see_their_own_site_only(client_as, impact_data, site_b, leader_of_two):
    client = client_as(Role.STAFF, site=site_b[0])
    html = _page(client, f"site={impact_data.site.slug}")
    assert "200,00" in _total(html, "demand") and "1.780,00" not in html


def test_the_api_gives_a_leader_the_figures_of_every_site_she_leads(client, impact_data, site_b, leader_of_two):
    leader_b = site_b[1]
    token_two = tokens.create_token(leader_of_two, "Rapport")[1]
    token_b = tokens.create_token(leader_b, "Rapport")[1]
    db.session.commit()
    query = "impact?start=2026-11-01&end=2026-11-30"
    body = client.get(f"{API}/sites/nord/{query}", headers=auth(token_two)).get_json()
    assert (body["site"], body["revenue_ore"], body["wages_ore"]) == ("nord", 20_000, 40_000)
    assert client.get(f"{API}/sites/{impact_data.site.slug}/{query}", headers=auth(token_two)).status_code == 200
    assert client.get(f"{API}/sites/{impact_data.site.slug}/{query}", headers=auth(token_b)).status_code == 404


def test_the_cli_sums_several_sites_as_the_page_does(app, impact_data, site_b):
    result = app.test_cli_runner().invoke(args=[
        "report", "impact", "--site", impact_data.site.slug, "--site", "nord", "--from", "2026-11-01",
        "--to", "2026-11-30", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["sites"] == [impact_data.site.name, "Værksted Nord"]
    assert report["tables"]["demand"]["rows"][-1][1:] == [7, "1980.00"]  # as the page's "All my sites"
    assert report["tables"]["people"]["rows"][-1][1] == "0.3933"
