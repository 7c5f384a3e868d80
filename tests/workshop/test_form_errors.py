"""A field with an error tells a screen reader so, and which message belongs to it."""
import re

from workshop.models import Role


def test_a_field_with_an_error_points_at_its_message(client):
    text = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    field = re.search(r'<input[^>]*id="email"[^>]*>', text).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="email-error"' in field
    assert re.search(r'<div class="invalid-feedback d-block" id="email-error">[^<]+</div>', text)


def test_a_field_without_an_error_is_not_marked(client):
    text = client.get("/login").get_data(as_text=True)
    assert "aria-invalid" not in text and "aria-describedby" not in text


def test_a_flashed_message_is_announced(client_as):
    client = client_as(Role.LEADER)
    client.post("/logout")
    text = client.get("/login").get_data(as_text=True)
    assert "Du er logget ud." in text
    assert re.search(r'<div class="flash-messages" aria-live="polite">\s*<div class="alert alert-\w+ alert-dismissible"',
                     text)
