import pytest

from workshop.extensions import db
from workshop.models import AuditEntry, Role

ALL_ROLES = list(Role)


def test_login_page_is_danish_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Log ind" in page
    assert 'lang="da"' in page


def test_leader_logs_in_and_lands_on_a_start_page(client, make_user):
    user = make_user(Role.LEADER)
    response = client.post("/login", data={"email": user.email, "password": "a-long-test-password"})
    assert response.status_code == 302
    assert client.get(response.headers["Location"], follow_redirects=True).status_code == 200


def test_wrong_password_is_a_400_with_a_message(client, make_user):
    user = make_user(Role.LEADER)
    response = client.post("/login", data={"email": user.email, "password": "wrong-password"})
    assert response.status_code == 400
    assert "Forkert e-mail eller adgangskode" in response.get_data(as_text=True)


def test_malformed_login_is_a_400_not_a_500(client):
    response = client.post("/login", data={"email": "not-an-email", "password": ""})
    assert response.status_code == 400


@pytest.mark.parametrize("next_url, expected", [("/people/", "/people/"), ("https://evil.example/", "/"), ("//evil.example", "/")])
def test_login_only_follows_local_next_urls(client, make_user, next_url, expected):
    user = make_user(Role.LEADER)
    response = client.post("/login", data={"email": user.email, "password": "a-long-test-password", "next": next_url})
    assert response.headers["Location"] == expected


def test_login_without_csrf_token_gets_an_explaining_400(client, make_user):
    user = make_user(Role.LEADER)
    response = client.post("/login", data={"email": user.email, "password": "a-long-test-password"}, csrf=False)
    assert response.status_code == 400
    assert "formularen udløbet" in response.get_data(as_text=True)


def test_logout_needs_a_post(client_as):
    client = client_as(Role.STAFF)
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert client.get("/people/").status_code == 302


def test_language_choice_is_remembered_for_the_user(client_as):
    client = client_as(Role.LEADER)
    client.post("/language", data={"locale": "en", "next": "/people/"})
    assert client.user.locale == "en"
    assert "People" in client.get("/people/").get_data(as_text=True)
    client.post("/language", data={"locale": "da"})
    assert "Personer" in client.get("/people/").get_data(as_text=True)


def test_anonymous_language_choice_lives_in_the_session(client):
    client.post("/language", data={"locale": "en", "next": "/login"})
    assert "Log in with your e-mail" in client.get("/login").get_data(as_text=True)


def test_unknown_language_is_refused_without_error(client):
    response = client.post("/language", data={"locale": "xx"})
    assert response.status_code == 303


def test_unknown_url_is_a_friendly_404_in_the_users_language(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    assert "Page not found" in client.get("/no/such/page").get_data(as_text=True)


def test_login_is_rate_limited(app, client, make_user):
    user = make_user(Role.LEADER)
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [client.post("/login", data={"email": user.email, "password": "wrong"}).status_code for _ in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    assert codes == [400, 400, 400, 429]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_audit_log_is_for_leaders_only(client_as, role):
    client = client_as(role)
    assert client.get("/audit").status_code == (200 if role == Role.LEADER else 403)


def test_audit_log_lists_this_sites_entries(client_as):
    client = client_as(Role.LEADER)
    db.session.add(AuditEntry(user_id=client.user.id, site_id=client.user.site_id, action="accommodations.read"))
    db.session.commit()
    assert "accommodations.read" in client.get("/audit").get_data(as_text=True)


def test_health_check(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


@pytest.mark.parametrize("role, start", [(Role.TRAINEE, "/people/me"), (Role.CUSTOMER, "/shop/account")])
def test_each_role_lands_on_its_start_page(client_as, role, start):
    assert client_as(role).get("/").headers["Location"] == start


def test_the_top_bar_drawn_once_per_page_marks_that_page_and_speaks_her_language(client_as):
    """The menu is kept per role, language and page (workshop/app.py, main_menu): each page still marks
    itself as the current one, and the language she chooses shows at once."""
    import re

    client = client_as(Role.LEADER)
    current = re.compile(r'class="dropdown-item active"\s+href="([^"]+)"')
    for path in ("/people/", "/hours/", "/people/"):
        assert current.findall(client.get(path).get_data(as_text=True)) == [path]
    assert "Personer" in client.get("/hours/").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/hours/"})
    page = client.get("/hours/").get_data(as_text=True)
    assert "People" in page and "Personer" not in page
