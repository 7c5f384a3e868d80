"""The impact page, its CSV files and `report impact` against the hand-checked figures (conftest.py)."""
import json

import pytest
from flask import g

from shop.impact.cli import impact as impact_command
from workshop.models import Role

NOVEMBER_QUERY = "period=month&day=2026-11-10"


def cells(html: str, table: str) -> str:
    start = html.index(f'id="impact-{table}"')
    return html[start:html.index("</table>", start)]


def test_leader_sees_every_figure(client, login, impact_data):
    html = login(client, impact_data.leader).get(f"/impact/?{NOVEMBER_QUERY}").get_data(as_text=True)
    demand = cells(html, "demand")
    assert "500,00" not in demand  # per kind, not per order
    assert "1.100,00" in demand and "200,00" in demand and "480,00" in demand and "1.780,00" in demand
    hours = cells(html, "hours")
    for figure in ("8,00", "14,00", "22,00", "2,00", "1,00", "10,00", "17,00", "27,00"):
        assert figure in hours
    wages = cells(html, "wages")
    assert "850,00" in wages and "47,75" in wages
    people = cells(html, "people")
    for figure in ("<td class=\"text-end text-nowrap\">4</td>", "1,00", "3,00", "10,00", "0,4265"):
        assert figure in people
    distribution = cells(html, "distribution")
    assert [part.split("<")[0] for part in distribution.split('text-nowrap">')[1:]] == [
        "1,00", "2,00", "4,00", "10,00"]
    # The chart is an image of its own (the page's CSP allows no inline style), with words for a screen reader.
    assert '<img class="img-fluid" src="/impact/chart.svg?' in html and 'alt="Søjlediagram' in html
    image = client.get("/impact/chart.svg?" + NOVEMBER_QUERY)
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    svg = image.get_data(as_text=True)
    # pygal's own small config script stays inert in an image; nothing is fetched from elsewhere (js=[]).
    assert "<svg" in svg and 'xlink:href="http' not in svg and 'src="http' not in svg


def test_the_default_period_is_this_month(client, login, impact_data):
    html = login(client, impact_data.leader).get("/impact/").get_data(as_text=True)
    assert "1.780,00" in cells(html, "demand")
    html = client.get(f"/impact/?{NOVEMBER_QUERY}&name=x&_external=1").get_data(as_text=True)
    assert "/impact/demand.csv?period=month&amp;day=2026-11-10" in html


def test_staff_see_no_wages(client_as, impact_data):
    client = client_as(Role.STAFF, site=impact_data.site)
    html = client.get(f"/impact/?{NOVEMBER_QUERY}").get_data(as_text=True)
    assert 'id="impact-hours"' in html and 'id="impact-wages"' not in html and "850,00" not in html
    assert client.get(f"/impact/wages.csv?{NOVEMBER_QUERY}").status_code == 403
    assert client.get(f"/impact/hours.csv?{NOVEMBER_QUERY}").status_code == 200
    assert "14,00" in client.get("/impact/hours.csv").data.decode("utf-8")  # no period: this month


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CUSTOMER])
def test_others_are_refused(client_as, role):
    client = client_as(role)
    assert client.get("/impact/").status_code == 403
    assert client.get("/impact/demand.csv").status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get("/impact/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("query", [
    "period=custom&start=2026-11-30&end=2026-11-01", "period=custom&start=2026-11-01", "period=week",
    "period=month&day=1999-01-01", "period=month&day=tomorrow", "period=custom&start=2000-01-01&end=2090-01-01"])
def test_a_wrong_period_is_a_400_with_a_message(client, login, impact_data, query):
    response = login(client, impact_data.leader).get(f"/impact/?{query}")
    assert response.status_code == 400 and "invalid-feedback" in response.get_data(as_text=True)
    assert client.get(f"/impact/demand.csv?{query}").status_code == 400


def test_csv_files_hold_the_page_figures(client, login, impact_data):
    login(client, impact_data.leader)
    body = client.get(f"/impact/hours.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body[1:].split("\r\n")
    assert lines[0] == "Arbejde;Træningstimer;Løntimer;Timer i alt"
    assert lines[1].endswith(";8,00;14,00;22,00") and lines[-2].endswith(";10,00;17,00;27,00")
    assert lines[-3].endswith(";2,00;1,00;3,00")  # not on a task, in one line
    apart = client.get(f"/impact/apart.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert apart[1:].split("\r\n")[1:4] == ["Rengøring;2,00;0,00;2,00", "Møde;0,00;1,00;1,00", "I alt;2,00;1,00;3,00"]
    wages = client.get(f"/impact/wages.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert ";850,00\r\n" in wages and ";1780,00\r\n" in wages and ";47,75\r\n" in wages
    people = client.get(f"/impact/people.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert ";4\r\n" in people and ";3,00\r\n" in people and ";0,4265\r\n" in people
    demand = client.get(f"/impact/demand.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert ";2;1100,00\r\n" in demand and ";1;200,00\r\n" in demand and ";3;480,00\r\n" in demand
    assert ";6;1780,00\r\n" in demand
    products = client.get(f"/impact/products.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert products[1:].split("\r\n")[1].endswith(";6;480,00;0,20;400,00;1")
    distribution = client.get(f"/impact/distribution.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert distribution[1:].split("\r\n")[1:5] == ["1;1,00", "2;2,00", "3;4,00", "4;10,00"]


def test_cli_prints_the_same_figures(app, impact_data):
    slug = impact_data.site.slug
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "impact", "--site", slug, "--from", "2026-11-01", "--to", "2026-11-30",
                                 "--json"])
    assert result.exit_code == 0, result.output
    tables = json.loads(result.output)["tables"]
    assert tables["demand"]["rows"][-1][1:] == [6, "1780.00"]
    assert tables["products"]["rows"][0][1:] == [6, "480.00", "0.20", "400.00", 1]
    assert tables["hours"]["rows"][-1][1:] == ["10.00", "17.00", "27.00"]
    assert [row[1] for row in tables["wages"]["rows"]] == ["850.00", "1780.00", "47.75"]
    assert [row[1] for row in tables["people"]["rows"]] == [4, "1.00", "3.00", "10.00", "0.4265"]
    assert [row[1] for row in tables["distribution"]["rows"]] == ["1.00", "2.00", "4.00", "10.00"]
    text = runner.invoke(args=["report", "impact", "--site", slug, "--from", "2026-11-01", "--to", "2026-11-30"])
    assert text.exit_code == 0 and "47.75" in text.output and "0.4265" in text.output
    assert impact_command.name == "impact"


@pytest.mark.parametrize("args", [["--from", "2026-11-30", "--to", "2026-11-01"], ["--from", "30/11", "--to", "x"]])
def test_cli_refuses_a_wrong_period(app, impact_data, args):
    result = app.test_cli_runner().invoke(args=["report", "impact", "--site", impact_data.site.slug, *args])
    assert result.exit_code != 0


def test_cli_refuses_an_unknown_site(app):
    result = app.test_cli_runner().invoke(args=["report", "impact", "--site", "nowhere", "--from", "2026-11-01",
                                                "--to", "2026-11-30"])
    assert result.exit_code != 0


def test_an_unknown_table_is_not_found(client, login, impact_data):
    assert login(client, impact_data.leader).get("/impact/salaries.csv").status_code == 404


# --- Second part: month by month, planned against recorded, progress, statements, public page ---------


def switch(client, login, user):
    """Log the client in as another user (the test's app context keeps the last request's user in g)."""
    g.pop("_login_user", None)
    return login(client, user)


def test_leader_sees_months_plans_and_progress(client, login, impact_data):
    html = login(client, impact_data.leader).get(f"/impact/?{NOVEMBER_QUERY}").get_data(as_text=True)
    months = cells(html, "months")
    for figure in ("2026-11", "1,00", "3,00", "10,00", "0,4265"):
        assert figure in months
    planned = cells(html, "planned")
    assert "8,33" in planned and "16,00" in planned and "7,67" in planned
    staircase = cells(html, "staircase")
    assert "2025-11-23" in staircase and "2026-11-23" in staircase and "Trin 4" in staircase
    courses = cells(html, "courses")
    assert '<td class="text-end text-nowrap">50</td>' in courses
    assert "Småjob" in cells(html, "outcomes") or "job" in cells(html, "outcomes")
    assert "/hours/jobcentre?year=2026" in html  # the job centre's year table
    assert "/impact/annual?year=2026" in html


def test_activity_not_on_a_task_is_translated(client, login, impact_data):
    from datetime import date

    from staffing.ledger import book_minutes
    from staffing.models import HoursKind
    from workshop.extensions import db

    book_minutes(impact_data.people[4], date(2026, 11, 9), 90, HoursKind.TRAINING, activity="logbook",
                 actor=impact_data.leader)
    db.session.commit()
    html = login(client, impact_data.leader).get(f"/impact/?{NOVEMBER_QUERY}").get_data(as_text=True)
    apart = cells(html, "apart")
    assert "Logbog (dage mødt)" in apart and "logbook" not in apart


def test_new_tables_as_csv_and_in_the_cli(client, login, app, impact_data):
    login(client, impact_data.leader)
    planned = client.get(f"/impact/planned.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert planned[1:].split("\r\n")[1] == "2026-11;8,33;16,00;7,67"
    months = client.get(f"/impact/months.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert months[1:].split("\r\n")[1] == "2026-11;4;1,00;3,00;10,00;0,4265"
    staircase = client.get(f"/impact/staircase.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert staircase[1:].split("\r\n")[1:6] == ["Trin 1;1;1", "Trin 2;0;2", "Trin 3;1;0", "Trin 4;0;1", "I alt;2;4"]
    courses = client.get(f"/impact/courses.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert courses[1:].split("\r\n")[1:4] == [
        "Forløb afsluttet i perioden, med timer;2", "Flere timer om ugen til sidst end i starten;1",
        "Andel i procent;50"]
    result = app.test_cli_runner().invoke(args=["report", "impact", "--site", impact_data.site.slug,
                                                "--from", "2026-11-01", "--to", "2026-11-30", "--json"])
    tables = json.loads(result.output)["tables"]
    assert tables["planned"]["rows"][0] == ["2026-11", "8.33", "16.00", "7.67"]
    assert tables["months"]["rows"][0] == ["2026-11", 4, "1.00", "3.00", "10.00", "0.4265"]
    assert [row[1:] for row in tables["staircase"]["rows"]] == [[1, 1], [0, 2], [1, 0], [0, 1], [2, 4]]
    assert [row[1] for row in tables["courses"]["rows"]] == [2, 1, 50]
    assert tables["outcomes"]["rows"][-1][1] == 1
    image = client.get("/impact/chart-months.svg?period=quarter&day=2026-11-10")
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    assert client.get("/impact/chart-nothing.svg").status_code == 404


def test_annual_report(client, login, client_as, impact_data):
    html = login(client, impact_data.leader).get("/impact/annual?year=2026").get_data(as_text=True)
    assert "data-print" in html and "impact-print.css" in html and 'style="' not in html
    # 2026: November's 850 kr., Anna's October hour 50 kr. and Clara's 300 August minutes 250 kr.
    assert "1.150,00" in cells(html, "wages")
    assert client.get("/impact/annual?year=1200").status_code == 400
    g.pop("_login_user", None)
    assert client_as(Role.STAFF, site=impact_data.site).get("/impact/annual").status_code == 403


def test_order_page_statement_with_wages_for_the_leader_and_counts_for_the_customer(client, login, impact_data):
    from workshop.extensions import db

    order_a = impact_data.orders[0]
    db.session.refresh(order_a)
    html = login(client, impact_data.leader).get(f"/orders/{order_a.id}").get_data(as_text=True)
    statement = html[html.index('id="impact-statement"'):]
    statement = statement[:statement.index("</p>")]
    # Anna 660 paid min (11 h) at 50 kr./h = 550 kr.; Eva 180 training min (3 h).
    assert "10 ×" in statement and "14 timers arbejde: 3 timer i træning for 1 kvinde i forløb" in statement
    assert "11 timer med løn for 1 kvinde" in statement and "550,00" in statement
    html = switch(client, login, impact_data.customers[0]).get(f"/orders/{order_a.id}").get_data(as_text=True)
    assert "11 timer med løn for 1 kvinde" in html and "550,00" not in html
    assert not any(person.name in html for person in impact_data.people)


def test_company_year_summary(client, login, impact_data):
    html = login(client, impact_data.customers[0]).get("/impact/company?year=2026").get_data(as_text=True)
    assert impact_data.orders[0].number in html and impact_data.orders[1].number not in html
    assert "14 timers arbejde: 3 timer i træning for 1 kvinde i forløb og 11 timer med løn for 1 kvinde" in html
    assert "550,00" not in html and not any(person.name in html for person in impact_data.people)
    assert "ingen timer" in client.get("/impact/company?year=2020").get_data(as_text=True)
    assert client.get("/impact/company?year=abc").status_code == 400


@pytest.mark.parametrize("role", [Role.LEADER, Role.STAFF, Role.TRAINEE])
def test_company_summary_is_for_customers(client_as, role):
    assert client_as(role).get("/impact/company").status_code == 403


def test_public_page_is_opt_in_cached_and_hides_small_counts(client, login, impact_data, make_site, make_person):
    from datetime import date

    from shop.impact import public
    from staffing.ledger import book_minutes
    from staffing.models import HoursKind
    from workshop.extensions import db

    public.clear_cache()
    slug = impact_data.site.slug
    login(client, impact_data.leader)
    assert client.get(f"/impact/public/{slug}").status_code == 404
    assert "Slå den offentlige side til" in client.get("/impact/").get_data(as_text=True)
    response = client.post("/impact/publication", data={"publish": "1"})
    assert response.status_code == 302
    client.get("/logout")
    g.pop("_login_user", None)
    html = client.get(f"/impact/public/{slug}?year=2026").get_data(as_text=True)
    # 2026: paid hours of Anna 11, Bodil 4, Clara 2 + 5 (August), Dorte 1 = 23,00 h for 4 women.
    assert '<td class="text-end" id="public-women">4</td>' in html and "23" in html
    assert "850" not in html and not any(person.name in html for person in impact_data.people)
    other = make_site()
    book_minutes(make_person(site=other, name="Fie", employment_wage_ore=5000), date(2026, 11, 2), 60,
                 HoursKind.PAID, activity="production")
    public.set_published(other, impact_data.leader, True)
    db.session.commit()
    html = client.get(f"/impact/public/{other.slug}?year=2026").get_data(as_text=True)
    assert "færre end 3" in html and "Median" not in html
    book_minutes(make_person(site=other, name="Gry", employment_wage_ore=5000), date(2026, 11, 3), 60,
                 HoursKind.PAID, activity="production")
    db.session.commit()
    assert "færre end 3" in client.get(f"/impact/public/{other.slug}?year=2026").get_data(as_text=True)  # cached
    assert client.get("/impact/public/nowhere").status_code == 404
    public.clear_cache()


def test_publication_is_for_leaders(client_as, impact_data):
    staff = client_as(Role.STAFF, site=impact_data.site)
    assert staff.post("/impact/publication", data={"publish": "1"}).status_code == 403
    assert "Slå den offentlige side" not in staff.get("/impact/").get_data(as_text=True)


def test_a_trainee_sees_her_own_hours_only(client, login, impact_data, make_user):
    from workshop.extensions import db

    eva = impact_data.people[4]
    eva.user = make_user(Role.TRAINEE, site=impact_data.site)
    db.session.commit()
    html = login(client, eva.user).get("/impact/mine?year=2026").get_data(as_text=True)
    mine = html[html.index('id="impact-mine"'):]
    # Eva: 120 training minutes in September (the brooches) + 240 (10 Sep) = 6,00 h; November 180 + 300 + 120 = 10 h.
    compact = "".join(mine.split())
    assert '2026-09</th><tdclass="text-end">6</td><tdclass="text-end">0</td>' in compact
    assert '2026-11</th><tdclass="text-end">10</td><tdclass="text-end">0</td>' in compact
    assert "2026-10" not in mine  # no hours in October
    assert "Anna" not in html and "Bodil" not in html
    assert client.get("/impact/").status_code == 403 and client.get("/impact/company").status_code == 403
    assert "ingen timer" in client.get("/impact/mine?year=2020").get_data(as_text=True)


def test_mine_is_for_trainees(client_as):
    assert client_as(Role.LEADER).get("/impact/mine").status_code == 403


def test_every_csv_agrees_with_the_cli(client, login, app, impact_data):
    """Page, CSV and CLI read the same tables: each CSV file holds exactly the CLI's rows (decimal comma)."""
    import re

    from shop.impact.tables import TABLE_NAMES

    result = app.test_cli_runner().invoke(args=["report", "impact", "--site", impact_data.site.slug,
                                                "--from", "2026-11-01", "--to", "2026-11-30", "--json"])
    tables = json.loads(result.output)["tables"]
    assert sorted(tables) == sorted(TABLE_NAMES)
    login(client, impact_data.leader)
    for name in TABLE_NAMES:
        body = client.get(f"/impact/{name}.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
        expected = [";".join(value.replace(".", ",") if isinstance(value, str) and re.fullmatch(r"-?\d+\.\d+", value)
                             else str(value) for value in row) for row in tables[name]["rows"]]
        assert body[1:].split("\r\n")[1:-1] == expected, name
