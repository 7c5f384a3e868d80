"""The impact page, its CSV files and `report impact` against the hand-checked figures (conftest.py)."""
import json

import pytest

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
    assert "1.100,00" in demand and "200,00" in demand and "1.300,00" in demand
    hours = cells(html, "hours")
    for figure in ("8,00", "14,00", "22,00", "2,00", "1,00", "10,00", "17,00", "27,00"):
        assert figure in hours
    wages = cells(html, "wages")
    assert "850,00" in wages and "65,38" in wages
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
    assert "1.300,00" in cells(html, "demand")
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
    wages = client.get(f"/impact/wages.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert ";850,00\r\n" in wages and ";1300,00\r\n" in wages and ";65,38\r\n" in wages
    people = client.get(f"/impact/people.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert ";4\r\n" in people and ";3,00\r\n" in people and ";0,4265\r\n" in people
    demand = client.get(f"/impact/demand.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert ";2;1100,00\r\n" in demand and ";1;200,00\r\n" in demand and ";3;1300,00\r\n" in demand
    distribution = client.get(f"/impact/distribution.csv?{NOVEMBER_QUERY}").data.decode("utf-8")
    assert distribution[1:].split("\r\n")[1:5] == ["1;1,00", "2;2,00", "3;4,00", "4;10,00"]


def test_cli_prints_the_same_figures(app, impact_data):
    slug = impact_data.site.slug
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "impact", "--site", slug, "--from", "2026-11-01", "--to", "2026-11-30",
                                 "--json"])
    assert result.exit_code == 0, result.output
    tables = json.loads(result.output)["tables"]
    assert tables["demand"]["rows"][-1][1:] == [3, "1300.00"]
    assert tables["hours"]["rows"][-1][1:] == ["10.00", "17.00", "27.00"]
    assert [row[1] for row in tables["wages"]["rows"]] == ["850.00", "1300.00", "65.38"]
    assert [row[1] for row in tables["people"]["rows"]] == [4, "1.00", "3.00", "10.00", "0.4265"]
    assert [row[1] for row in tables["distribution"]["rows"]] == ["1.00", "2.00", "4.00", "10.00"]
    text = runner.invoke(args=["report", "impact", "--site", slug, "--from", "2026-11-01", "--to", "2026-11-30"])
    assert text.exit_code == 0 and "65.38" in text.output and "0.4265" in text.output
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
