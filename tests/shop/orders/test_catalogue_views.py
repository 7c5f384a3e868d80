"""The catalogue's pages per role: a leader's set-up, a company's cards, the photos."""
import io

import pytest
from flask import g
from PIL import Image

from shop.orders import catalogue
from shop.orders.models import CatalogueItem, CustomerPrice, Visibility
from workshop.extensions import db
from workshop.models import Role


@pytest.fixture(autouse=True)
def uploads_in_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


def jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, "JPEG")
    out.seek(0)
    return out


def entry(**changes) -> dict:
    data = {"visibility": "everyone", "description_da": "Flot pose", "description_en": "Nice bag",
            "tiers-0-min_quantity": "1", "tiers-0-price_ore": "45,00",
            "tiers-1-min_quantity": "50", "tiers-1-price_ore": "39",
            "tiers-2-min_quantity": "200", "tiers-2-price_ore": "32,50"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Who may open what ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/catalogue/setup", "/catalogue/setup/{id}"])
@pytest.mark.parametrize(("role", "status"), [(Role.LEADER, 200), (Role.STAFF, 403), (Role.TRAINEE, 403),
                                              (Role.CUSTOMER, 403)])
def test_set_up_is_for_leaders(client_as, make_catalogue_product, path, role, status):
    product = make_catalogue_product()
    assert client_as(role).get(path.format(id=product.id)).status_code == status


@pytest.mark.parametrize(("role", "status"), [(Role.LEADER, 403), (Role.STAFF, 403), (Role.TRAINEE, 403)])
def test_the_customer_catalogue_is_for_customers(client_as, role, status):
    assert client_as(role).get("/catalogue/").status_code == status


@pytest.mark.parametrize("path", ["/catalogue/", "/catalogue/setup", "/catalogue/setup/1", "/catalogue/photo/1"])
def test_anonymous_visitors_go_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_product_is_404(client_as):
    assert client_as(Role.LEADER).get("/catalogue/setup/999999").status_code == 404


# --- The leader's set-up -------------------------------------------------------------------------

def test_a_leader_offers_a_product_with_tiers_and_a_photo(client_as, make_product):
    product = make_product()
    client = client_as(Role.LEADER)
    response = client.post(f"/catalogue/setup/{product.id}", data={**entry(), "photo": (jpeg(), "bag.jpg")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    item = db.session.query(CatalogueItem).filter_by(product_id=product.id).one()
    assert item.visibility == Visibility.EVERYONE and item.photo.endswith(".jpg")
    assert [(row.from_quantity, row.unit_ore) for row in catalogue.price_table(None, product)] == [
        (1, 4500), (50, 3900), (200, 3250)]
    page = client.get(f"/catalogue/setup/{product.id}").get_data(as_text=True)
    assert "32,50" in page and "Flot pose" in page
    assert client.get("/catalogue/setup").status_code == 200


def test_chosen_customers_are_saved(client_as, make_product, make_company):
    product = make_product()
    company, _user = make_company(name="Museet")
    client = client_as(Role.LEADER)
    assert "Museet" in client.get(f"/catalogue/setup/{product.id}").get_data(as_text=True)
    response = client.post(f"/catalogue/setup/{product.id}", data=entry(visibility="chosen", chosen=str(company.id)))
    assert response.status_code == 302
    assert catalogue.catalogue_item(product).chosen_customers == [company]


@pytest.mark.parametrize("changes", [
    {"tiers-0-min_quantity": "5"},  # not from 1
    {"tiers-1-min_quantity": "300"},  # not ascending
    {"tiers-1-price_ore": "0"},  # free
    {"tiers-1-price_ore": "1000000,01"},  # too dear
    {"tiers-1-price_ore": "abc"},  # not an amount
    {"tiers-1-min_quantity": "²"},
    {"tiers-1-price_ore": None},  # half a row
    {"visibility": "secret"},
    {"visibility": "chosen"},  # nobody chosen
    {"visibility": "chosen", "chosen": "999999"},
    {"description_da": "x" * 1001},
])
def test_bad_set_up_is_refused_with_a_message_and_saves_nothing(client_as, make_product, changes):
    product = make_product()
    response = client_as(Role.LEADER).post(f"/catalogue/setup/{product.id}", data=entry(**changes))
    assert response.status_code == 400
    assert 'class="invalid-feedback' in response.get_data(as_text=True) or "alert-danger" in response.get_data(
        as_text=True)
    assert catalogue.catalogue_item(product) is None and catalogue.tiers(product) == []


def test_a_file_that_is_not_a_picture_is_refused(client_as, make_product):
    product = make_product()
    response = client_as(Role.LEADER).post(
        f"/catalogue/setup/{product.id}", data={**entry(), "photo": (io.BytesIO(b"%PDF-1.4 not a picture"), "x.png")},
        content_type="multipart/form-data")
    assert response.status_code == 400 and "PNG" in response.get_data(as_text=True)
    assert catalogue.catalogue_item(product) is None


def test_a_leader_sets_and_removes_a_customer_price(client_as, make_catalogue_product, make_company):
    product = make_catalogue_product()
    company, _user = make_company()
    client = client_as(Role.LEADER)
    response = client.post(f"/catalogue/setup/{product.id}/prices", data={"customer_id": company.id, "price_ore": "19"})
    assert response.status_code == 302
    assert catalogue.customer_price_ore(company, product) == 1900
    for bad in ({"customer_id": "999999", "price_ore": "19"}, {"customer_id": company.id, "price_ore": "0"},
                {"customer_id": company.id, "price_ore": ""}, {"customer_id": "x", "price_ore": "1e309"}):
        assert client.post(f"/catalogue/setup/{product.id}/prices", data=bad).status_code == 400
    assert catalogue.customer_price_ore(company, product) == 1900
    response = client.post(f"/catalogue/setup/{product.id}/prices/{company.id}/remove")
    assert response.status_code == 302
    assert db.session.query(CustomerPrice).count() == 0


def test_set_up_posts_need_the_csrf_token(client_as, make_catalogue_product):
    product = make_catalogue_product()
    client = client_as(Role.LEADER)
    assert client.post(f"/catalogue/setup/{product.id}", data=entry(), csrf=False).status_code == 400


def test_staff_cannot_post_set_up(client_as, make_product):
    product = make_product()
    assert client_as(Role.STAFF).post(f"/catalogue/setup/{product.id}", data=entry()).status_code == 403
    assert catalogue.catalogue_item(product) is None


# --- The customer's catalogue --------------------------------------------------------------------

def _log_in(client, login, user):
    """Switch the client to `user` (the test's app context outlives requests; Flask-Login caches the user on g)."""
    g.pop("_login_user", None)
    login(client, user)
    return client


def test_customer_a_sees_her_products_and_her_own_price(client, login, make_catalogue_product, make_company):
    shared, hers, hidden = (make_catalogue_product(), make_catalogue_product(visibility=Visibility.CHOSEN),
                            make_catalogue_product(visibility=Visibility.HIDDEN))
    shared.name_da, hers.name_da, hidden.name_da = "Gavepose", "Stofblomst", "Hemmelig"
    company_a, user_a = make_company()
    company_b, user_b = make_company()
    catalogue.save_catalogue_item(hers, "chosen", [company_a.id])
    catalogue.set_customer_price(shared, company_a.id, 1900)
    db.session.commit()

    page_a = _log_in(client, login, user_a).get("/catalogue/").get_data(as_text=True)
    assert "Gavepose" in page_a and "Stofblomst" in page_a and "Hemmelig" not in page_a
    assert "19,00" in page_a and "Din pris" in page_a
    assert f"/orders/new?product={shared.id}" in page_a
    assert "arbejdsdage" in page_a

    page_b = _log_in(client, login, user_b).get("/catalogue/").get_data(as_text=True)
    assert "Gavepose" in page_b and "Stofblomst" not in page_b and "Hemmelig" not in page_b
    assert "19,00" not in page_b and "45,00" in page_b and "11,25" in page_b  # 45 kr. excl., 11,25 kr. VAT


def test_english_description_for_an_english_customer(client, login, make_catalogue_product, make_company, make_user):
    make_catalogue_product()
    company, _user = make_company()
    english = make_user(Role.CUSTOMER, locale="en")
    from shop.companies.services import add_member
    add_member(company, english)
    db.session.commit()
    page = _log_in(client, login, english).get("/catalogue/").get_data(as_text=True)
    assert "Bag with logo" in page and "Pose med broderet logo" not in page


def test_a_customer_without_a_company_sees_a_message(client_as):
    response = client_as(Role.CUSTOMER).get("/catalogue/")
    assert response.status_code == 200 and "virksomhed" in response.get_data(as_text=True)


# --- Photos --------------------------------------------------------------------------------------

def test_photos_only_for_those_who_may_see_the_item(client, login, make_product, make_company, make_user):
    product = make_product()
    company_a, user_a = make_company()
    _company_b, user_b = make_company()
    item = catalogue.save_catalogue_item(product, "chosen", [company_a.id], photo=jpeg())
    db.session.commit()
    for user, status in [(user_a, 200), (user_b, 404), (make_user(Role.LEADER), 200), (make_user(Role.STAFF), 200),
                         (make_user(Role.TRAINEE), 404)]:
        response = _log_in(client, login, user).get(f"/catalogue/photo/{item.id}")
        assert response.status_code == status, user.role
        if status == 200:
            assert response.mimetype == "image/jpeg" and "no-store" in response.headers["Cache-Control"]
    assert _log_in(client, login, user_a).get(f"/catalogue/photo/{item.id + 1000}").status_code == 404


def test_a_hidden_items_photo_is_404_for_customers(client, login, make_product, make_company):
    product = make_product()
    _company, user = make_company()
    item = catalogue.save_catalogue_item(product, "hidden", [], photo=jpeg())
    db.session.commit()
    assert _log_in(client, login, user).get(f"/catalogue/photo/{item.id}").status_code == 404
