"""A leader sets up her repair price list (create, edit, retire) and the business customers."""
import pytest
from sqlalchemy import select

from shop import services
from shop.models import Customer, CustomerKind, RepairType
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role


def _repair_form(operation, **changes):
    data = {"code": "lynlaas", "name_da": "Ny lynlås", "name_en": "New zip", "price_ore": "149,50",
            "standard_minutes": "45", "operation_id": str(operation.id)}
    data.update(changes)
    return data


def _leader_with_repairs(client_as, repair_site):
    site = repair_site()
    client = client_as(Role.LEADER, site=site)
    return client, site


# --- Services -----------------------------------------------------------------------------------


def test_save_repair_type_creates_and_changes_a_repair(make_site, make_operation):
    site, operation = make_site(), make_operation()
    data = {"code": "Hem", "name_da": " Opsømning ", "name_en": "Hem", "price_ore": 8000, "standard_minutes": 25,
            "operation_id": operation.id}
    repair = services.save_repair_type(site, None, data)
    assert (repair.code, repair.name_da, repair.price_ore, repair.active) == ("hem", "Opsømning", 8000, True)
    services.save_repair_type(site, repair, {**data, "price_ore": 9000})
    assert repair.price_ore == 9000


@pytest.mark.parametrize("change, field", [
    ({"price_ore": -1}, "price_ore"), ({"price_ore": 10_000_01}, "price_ore"), ({"price_ore": None}, "price_ore"),
    ({"standard_minutes": 0}, "standard_minutes"), ({"standard_minutes": 481}, "standard_minutes"),
    ({"operation_id": 99999}, "operation_id"), ({"name_da": " "}, "name_da"), ({"code": "a b"}, "code"),
])
def test_save_repair_type_refuses_bad_values(make_site, make_operation, change, field):
    data = {"code": "hem", "name_da": "Opsømning", "price_ore": 8000, "standard_minutes": 25,
            "operation_id": make_operation().id, **change}
    with pytest.raises(DomainError) as refused:
        services.save_repair_type(make_site(), None, data)
    assert refused.value.field == field


def test_a_repair_code_is_unique_per_site_only(repair_site):
    first, second = repair_site(), repair_site()
    data = {"code": "hem", "name_da": "Opsømning", "price_ore": 8000, "standard_minutes": 25,
            "operation_id": first.repairs[0].operation_id}
    with pytest.raises(DomainError):
        services.save_repair_type(first, None, data)
    services.save_repair_type(second, second.repairs[0], data)  # its own code at another site is fine


def test_save_customer_checks_name_cvr_and_kind():
    customer = services.save_customer(None, {"kind": "institution", "company_name": " Bymuseet ",
                                             "cvr": "1234 5674", "email": "Indkob@Bymuseet.Example"})
    assert (customer.kind, customer.company_name, customer.cvr, customer.email) == (
        CustomerKind.INSTITUTION, "Bymuseet", "12345674", "indkob@bymuseet.example")
    for data, field in (({"kind": "business", "company_name": ""}, "company_name"),
                        ({"kind": "business", "company_name": "A", "cvr": "123"}, "cvr"),
                        ({"kind": "business", "company_name": "A", "cvr": "12345678"}, "cvr"),
                        ({"kind": "institution", "company_name": "A", "ean": "5798000123459"}, "ean"),
                        ({"kind": "friend", "company_name": "A"}, "kind")):
        with pytest.raises(DomainError) as refused:
            services.save_customer(customer, data)
        assert refused.value.field == field


# --- Repair prices: pages -----------------------------------------------------------------------


def test_the_leader_adds_a_repair_and_residents_can_book_it(client_as, client, repair_site):
    leader, site = _leader_with_repairs(client_as, repair_site)
    operation = site.repairs[0].operation
    response = leader.post("/shop/repair-prices/new", data=_repair_form(operation))
    assert response.status_code == 302
    assert "Reparationen er gemt: Ny lynlås" in leader.get("/shop/repair-prices").get_data(as_text=True)
    repair = db.session.scalar(select(RepairType).where(RepairType.code == "lynlaas"))
    assert (repair.site_id, repair.price_ore, repair.standard_minutes) == (site.id, 14950, 45)
    assert "Ny lynlås" in client.get(f"/r/{site.slug}").get_data(as_text=True)


def test_the_leader_edits_a_price_and_a_booked_ticket_keeps_its_amount(client_as, repair_site, book):
    leader, site = _leader_with_repairs(client_as, repair_site)
    hem = site.repairs[0]
    ticket = book(site, [hem])
    db.session.commit()
    response = leader.post(f"/shop/repair-prices/{hem.id}", data=_repair_form(
        hem.operation, code="hem", name_da="Opsømning", price_ore="95"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(RepairType, hem.id).price_ore == 9500
    assert (ticket.total_ore, ticket.lines[0].price_ore) == (8000, 8000)


def test_a_retired_repair_leaves_the_booking_page_but_stays_on_its_tickets(client_as, client, repair_site, book):
    leader, site = _leader_with_repairs(client_as, repair_site)
    zip_repair = site.repairs[1]
    ticket = book(site, [zip_repair])
    db.session.commit()
    assert leader.post(f"/shop/repair-prices/{zip_repair.id}/retire").status_code == 302
    prices = leader.get("/shop/repair-prices").get_data(as_text=True)
    assert "Reparationen er taget af listen" in prices and "Tilbyd igen" in prices
    booking_page = client.get(f"/r/{site.slug}").get_data(as_text=True)
    assert "Ny lynlås" not in booking_page and "Opsømning" in booking_page
    ticket_page = client.get(f"/t/{ticket.token}").get_data(as_text=True)
    assert "Ny lynlås" in ticket_page and "150,00" in ticket_page
    desk_page = leader.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert "Ny lynlås" in desk_page
    assert leader.post(f"/shop/repair-prices/{zip_repair.id}/offer").status_code == 302
    assert "Ny lynlås" in client.get(f"/r/{site.slug}").get_data(as_text=True)


def test_a_booked_ticket_with_a_retired_repair_can_still_be_received(client_as, repair_site, book):
    leader, site = _leader_with_repairs(client_as, repair_site)
    zip_repair = site.repairs[1]
    ticket = book(site, [zip_repair])
    services.set_repair_offered(zip_repair, False)
    db.session.commit()
    desk_page = leader.get(f"/repairs/tickets/{ticket.id}").get_data(as_text=True)
    assert f'value="{zip_repair.id}"' in desk_page
    response = leader.post(f"/repairs/tickets/{ticket.id}/receive", data={"repairs": [str(zip_repair.id)]})
    assert response.status_code in (302, 303)
    db.session.expire_all()
    assert ticket.status.value == "in_progress" and ticket.total_ore == 15000


def test_staff_sees_only_offered_repairs_and_no_edit_buttons(client_as, repair_site):
    site = repair_site()
    services.set_repair_offered(site.repairs[1], False)
    db.session.commit()
    page = client_as(Role.STAFF, site=site).get("/shop/repair-prices").get_data(as_text=True)
    assert "Opsømning" in page and "Ny lynlås" not in page and "Tag af listen" not in page


@pytest.mark.parametrize("form_change, message", [
    ({"price_ore": "mange"}, "Skriv et beløb i kroner"),
    ({"price_ore": ""}, "Skriv prisen."),
    ({"standard_minutes": "en halv time"}, "Skriv et helt tal."),
    ({"standard_minutes": "0"}, "Tiden skal være fra 1 til 480 minutter."),
    ({"code": "hem"}, "Denne kode er allerede brugt."),
    ({"operation_id": "999999"}, "Vælg den arbejdsgang, der laver reparationen."),
    ({"operation_id": "syning"}, "Vælg den arbejdsgang, der laver reparationen."),
    ({"name_da": ""}, "Skriv navnet på dansk."),
])
def test_bad_repair_values_are_refused_in_danish(client_as, repair_site, form_change, message):
    leader, site = _leader_with_repairs(client_as, repair_site)
    response = leader.post("/shop/repair-prices/new", data=_repair_form(site.repairs[0].operation, **form_change))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(RepairType).where(RepairType.code == "lynlaas")) is None


def test_another_sites_repair_is_404(client_as, repair_site):
    other = repair_site()
    leader, _site = _leader_with_repairs(client_as, repair_site)
    repair = other.repairs[0]
    assert leader.get(f"/shop/repair-prices/{repair.id}").status_code == 404
    assert leader.post(f"/shop/repair-prices/{repair.id}", data=_repair_form(repair.operation)).status_code == 404
    assert leader.post(f"/shop/repair-prices/{repair.id}/retire").status_code == 404
    db.session.expire_all()
    assert db.session.get(RepairType, repair.id).active


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE, Role.CUSTOMER])
def test_only_leaders_change_the_price_list(client_as, repair_site, role):
    site = repair_site()
    client = client_as(role, site=None if role == Role.CUSTOMER else site)
    repair = site.repairs[0]
    assert client.get("/shop/repair-prices/new").status_code == 403
    assert client.post(f"/shop/repair-prices/{repair.id}", data=_repair_form(repair.operation)).status_code == 403
    assert client.post(f"/shop/repair-prices/{repair.id}/retire").status_code == 403


def test_anonymous_is_sent_to_login_from_the_repair_form(client):
    response = client.get("/shop/repair-prices/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_empty_site_is_told_to_add_an_operation_first(client_as):
    page = client_as(Role.LEADER).get("/shop/repair-prices/new").get_data(as_text=True)
    assert "Tilføj først en arbejdsgang." in page


# --- Business customers: pages ------------------------------------------------------------------


def test_the_leader_creates_and_edits_a_customer(client_as):
    leader = client_as(Role.LEADER)
    assert "Ny kunde" in leader.get("/shop/customers").get_data(as_text=True)
    response = leader.post("/shop/customers/new", data={
        "kind": "business", "company_name": "Syning ApS", "cvr": "12345674", "contact_name": "Lone",
        "email": "lone@syning.example", "phone": "20 30 40 50"})
    assert response.status_code == 302
    customer = db.session.scalar(select(Customer))
    assert "Syning ApS" in leader.get("/shop/customers").get_data(as_text=True)
    assert leader.get(f"/shop/customers/{customer.id}").status_code == 200
    response = leader.post(f"/shop/customers/{customer.id}", data={
        "kind": "institution", "company_name": "Syning ApS", "cvr": "", "contact_name": "Mette"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (customer.kind, customer.contact_name, customer.cvr) == (CustomerKind.INSTITUTION, "Mette", "")


@pytest.mark.parametrize("form, message", [
    ({"kind": "business", "company_name": ""}, "Skriv firmaets navn."),
    ({"kind": "business", "company_name": "A", "cvr": "1234"}, "Et CVR-nummer har 8 cifre."),
    ({"kind": "business", "company_name": "A", "email": "not-an-address"}, "Skriv en gyldig e-mailadresse."),
    ({"kind": "friend", "company_name": "A"}, "Vælg slags kunde."),
])
def test_bad_customer_values_are_refused_in_danish(client_as, form, message):
    response = client_as(Role.LEADER).post("/shop/customers/new", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Customer)) is None


def test_an_unknown_customer_is_404(client_as):
    assert client_as(Role.LEADER).get("/shop/customers/4242").status_code == 404


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE, Role.CUSTOMER])
def test_only_leaders_manage_customers(client_as, role):
    customer = services.save_customer(None, {"kind": "business", "company_name": "Syning ApS"})
    db.session.commit()
    client = client_as(role)
    assert client.get("/shop/customers/new").status_code == 403
    assert client.post(f"/shop/customers/{customer.id}", data={"kind": "business", "company_name": "X"}).status_code == 403


def test_anonymous_is_sent_to_login_from_the_customer_form(client):
    response = client.get("/shop/customers/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_leaders_set_up_menu_links_every_set_up_page(client_as):
    page = client_as(Role.LEADER).get("/site").get_data(as_text=True)
    for path in ("/site", "/skills/", "/production/operations", "/production/products", "/shop/repair-prices",
                 "/repairs/slots", "/shop/customers"):
        assert f'href="{path}"' in page, path


def test_every_set_up_page_opens_on_an_empty_workshop(client_as):
    leader = client_as(Role.LEADER)
    for path in ("/site", "/skills/", "/production/operations", "/production/operations/new",
                 "/production/products", "/production/products/new", "/shop/repair-prices",
                 "/shop/repair-prices/new", "/repairs/slots", "/shop/customers", "/shop/customers/new"):
        assert leader.get(path).status_code == 200, path
    assert "Tilføj først en færdighed." in leader.get("/production/operations/new").get_data(as_text=True)
