"""Company account pages per role: register, approve, the company page, invitations."""
import pytest

from shop.companies import services
from shop.models import Customer
from workshop.extensions import db
from workshop.models import Role

PASSWORD = "a long enough password"
REGISTRATION = {"company_name": "Museet", "cvr": "23456788", "ean": "5798000123458",
                "billing_address": "Museumsgade 1", "delivery_address": "", "name": "Per Vang",
                "email": "per@museum.example", "password": PASSWORD}


def _company_user(make_user, name, cvr):
    company = Customer(company_name=name, cvr=cvr)
    db.session.add(company)
    user = make_user(Role.CUSTOMER)
    services.add_member(company, user)
    db.session.commit()
    return company, user


def test_the_login_page_links_to_registration(client):
    page = client.get("/login").get_data(as_text=True)
    assert "/companies/register" in page and "Tilmeld dit firma" in page


def test_anyone_registers_and_waits_for_approval(client, login):
    response = client.post("/companies/register", data=REGISTRATION)
    assert response.status_code == 302
    client.post("/login", data={"email": "per@museum.example", "password": PASSWORD})
    page = client.get("/shop/account").get_data(as_text=True)
    assert "venter på at blive godkendt" in page
    assert client.post("/companies/invite", data={"email": "x@museum.example"}).status_code == 404


def test_a_wrong_cvr_is_shown_on_the_form(client):
    response = client.post("/companies/register", data={**REGISTRATION, "cvr": "12345678"})
    assert response.status_code == 400
    assert "CVR-nummeret passer ikke. Tjek cifrene." in response.get_data(as_text=True)
    assert services.core.find_user_by_email("per@museum.example") is None


def test_a_leader_approves_a_registration(client_as):
    services.register_company(REGISTRATION)
    db.session.commit()
    leader = client_as(Role.LEADER)
    assert "Museet" in leader.get("/companies/registrations").get_data(as_text=True)
    registration = services.registrations()[0]
    assert leader.post(f"/companies/registrations/{registration.id}",
                       data={"customer_id": "0", "approve": "1"}).status_code == 302
    user = services.core.find_user_by_email("per@museum.example")
    assert services.company_of(user).ean == "5798000123458"


def test_a_leader_declines_a_registration(client_as):
    services.register_company(REGISTRATION)
    db.session.commit()
    leader = client_as(Role.LEADER)
    registration = services.registrations()[0]
    leader.post(f"/companies/registrations/{registration.id}", data={"customer_id": "0", "decline": "1"})
    assert services.company_of(registration.user) is None
    assert registration.status == "declined"


@pytest.mark.parametrize("role", [Role.STAFF, Role.CUSTOMER, Role.TRAINEE])
def test_only_leaders_see_registrations(client_as, role):
    assert client_as(role).get("/companies/registrations").status_code == 403


def test_anonymous_is_sent_to_login_for_registrations(client):
    assert client.get("/companies/registrations").status_code == 302


def test_a_customer_sees_her_company_only_and_invites(client, make_user, login):
    company_a, user_a = _company_user(make_user, "Firma A", "24256790")
    _company_user(make_user, "Firma B", "12345674")
    login(client, user_a)
    page = client.get("/shop/account").get_data(as_text=True)
    assert "Firma A" in page and "Firma B" not in page
    assert client.post("/companies/invite", data={"email": "kollega@a.example"}).status_code == 302
    assert "kollega@a.example" in client.get("/shop/account").get_data(as_text=True)


def test_an_invitation_link_works_once_and_then_says_so(client, make_user):
    company, user = _company_user(make_user, "Firma A", "24256790")
    _, token = services.invite_colleague(user, "kollega@a.example")
    db.session.commit()
    assert "Firma A" in client.get(f"/companies/join/{token}").get_data(as_text=True)
    response = client.post(f"/companies/join/{token}", data={"name": "Kim", "password": PASSWORD})
    assert response.status_code == 302
    again = client.get(f"/companies/join/{token}")
    assert again.status_code == 410 and "allerede brugt" in again.get_data(as_text=True)
    assert client.get("/companies/join/nonsense").status_code == 410


def test_staff_cannot_open_a_registration(client_as):
    assert client_as(Role.STAFF).get("/companies/registrations/1").status_code == 403


def test_a_missing_registration_is_404_for_a_leader(client_as):
    assert client_as(Role.LEADER).get("/companies/registrations/999").status_code == 404
