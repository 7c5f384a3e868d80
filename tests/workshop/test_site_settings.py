"""A leader keeps her own workshop's details (name, address, the webshop's pick-up hours, course places);
the slug stays put."""
import pytest

from workshop import services
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role, Site


def test_the_leader_changes_her_own_workshops_details(client_as):
    client = client_as(Role.LEADER)
    site = client.user.site
    slug = site.slug
    page = client.get("/site")
    assert page.status_code == 200 and slug in page.get_data(as_text=True)
    response = client.post("/site", data={"name": "Værkstedet Vest", "address": "Vestergade 1, 2635 Ishøj",
                                          "capacity": "18", "slug": "hijacked",
                                          "pickup_hours": "  Tirsdag-torsdag   kl. 12-16 "})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Site, site.id)
    assert (saved.name, saved.address, saved.capacity, saved.slug, saved.pickup_hours) == (
        "Værkstedet Vest", "Vestergade 1, 2635 Ishøj", 18, slug, "Tirsdag-torsdag kl. 12-16")
    assert "Værkstedets oplysninger er gemt" in client.get("/site").get_data(as_text=True)


@pytest.mark.parametrize("form, message", [
    ({"name": "", "address": "", "capacity": "15"}, "Skriv værkstedets navn."),
    ({"name": "Vest", "address": "", "capacity": "0"}, "Mellem 1 og 500."),
    ({"name": "Vest", "address": "", "capacity": "tolv"}, "Skriv et helt tal."),
    ({"name": "Vest", "address": "x" * 201, "capacity": "15"}, "Højst 200 tegn."),
    ({"name": "Vest", "address": "", "capacity": "15", "pickup_hours": "x" * 201}, "Højst 200 tegn."),
])
def test_bad_details_are_refused_in_danish_and_nothing_changes(client_as, form, message):
    client = client_as(Role.LEADER)
    before = client.user.site.name
    response = client.post("/site", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Site, client.user.site_id).name == before


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE, Role.CUSTOMER])
def test_only_a_leader_edits_the_workshop(client_as, role):
    client = client_as(role)
    assert client.get("/site").status_code == 403
    assert client.post("/site", data={"name": "X", "capacity": "3"}).status_code == 403


def test_anonymous_goes_to_the_login_page(client):
    response = client.get("/site")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_leader_finds_the_page_under_set_up(client_as):
    page = client_as(Role.LEADER).get("/site").get_data(as_text=True)
    assert "Opsætning" in page and 'href="/site"' in page


def test_update_site_never_changes_the_slug_and_checks_capacity(make_site):
    site = make_site("vest")
    services.update_site(site, "  Vest  ", "20", "")
    assert (site.slug, site.name, site.capacity) == ("vest", "Vest", 20)
    with pytest.raises(DomainError) as refused:
        services.update_site(site, "Vest", 1.5)
    assert refused.value.field == "capacity"
