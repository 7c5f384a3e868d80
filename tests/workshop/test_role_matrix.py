"""A refused page says why, in the user's language. Who may open which page: tests/test_authorisation_matrix.py."""
from workshop.models import Role


def test_a_forbidden_page_explains_itself_in_danish(client_as):
    page = client_as(Role.TRAINEE).get("/audit").get_data(as_text=True)
    assert "Du har ikke adgang" in page
