"""Static files: addresses carry the file's version, and a versioned file may be cached for a year."""
import re

from flask import url_for


def test_a_static_address_carries_the_files_version_and_changes_with_it(app, tmp_path):
    with app.test_request_context():
        address = url_for("static", filename="css/stitchwork.css")
        assert re.fullmatch(r"/static/css/stitchwork\.css\?v=[0-9a-f]{12}", address)
        assert url_for("static", filename="js/stitchwork.js") != address.replace("css/stitchwork.css", "js/stitchwork.js")


def test_a_versioned_static_file_is_cached_for_a_year(client):
    page = client.get("/login").get_data(as_text=True)
    stylesheet = re.search(r'href="(/static/css/stitchwork\.css\?v=[0-9a-f]{12})"', page).group(1)
    response = client.get(stylesheet)
    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 60 * 60
    assert response.cache_control.public and response.cache_control.immutable


def test_an_unversioned_static_file_is_not_cached_for_long(client):
    response = client.get("/static/css/stitchwork.css")
    assert response.status_code == 200
    assert (response.cache_control.max_age or 0) < 24 * 60 * 60
