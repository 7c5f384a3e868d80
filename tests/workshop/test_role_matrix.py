"""Each foundation page, for each role: the right roles get it, the others get 403."""
import pytest

from workshop.models import Role

PAGES = {
    "/audit": {Role.LEADER},
    "/people/": {Role.LEADER, Role.STAFF},
    "/people/me": {Role.TRAINEE},
    "/production/products": {Role.LEADER, Role.STAFF},
    "/shop/customers": {Role.LEADER},
    "/shop/repair-prices": {Role.LEADER, Role.STAFF},
    "/shop/account": {Role.CUSTOMER},
    "/site": {Role.LEADER},
    "/skills/": {Role.LEADER},
    "/shop/repair-prices/new": {Role.LEADER},
    "/shop/customers/new": {Role.LEADER},
    "/account/api-tokens/": {Role.CUSTOMER, Role.LEADER},
    "/account": set(Role),
}


@pytest.mark.parametrize("path", sorted(PAGES))
@pytest.mark.parametrize("role", list(Role))
def test_page_access_by_role(client_as, path, role):
    response = client_as(role).get(path)
    assert response.status_code == (200 if role in PAGES[path] else 403)


@pytest.mark.parametrize("path", sorted(PAGES))
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_forbidden_page_explains_itself_in_danish(client_as):
    page = client_as(Role.TRAINEE).get("/audit").get_data(as_text=True)
    assert "Du har ikke adgang" in page
