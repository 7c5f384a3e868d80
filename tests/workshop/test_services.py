import pytest

from workshop import services
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import AuditEntry, Role


def test_create_user_hashes_the_password_slowly(make_site):
    user = services.create_user("Ana@Example.org ", "Ana", "long-enough-password", Role.LEADER, make_site())
    assert user.email == "ana@example.org"
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("long-enough-password")
    assert not user.check_password("wrong-password")


def test_short_password_is_refused(make_site):
    with pytest.raises(DomainError) as error:
        services.create_user("a@example.org", "A", "short", Role.LEADER, make_site())
    assert error.value.field == "password"


def test_email_must_be_unique(make_user):
    make_user(Role.STAFF, email="same@example.org")
    with pytest.raises(DomainError) as error:
        make_user(Role.STAFF, email="SAME@example.org")
    assert error.value.field == "email"


def test_workers_need_a_site_customers_do_not():
    with pytest.raises(DomainError):
        services.create_user("t@example.org", "T", "long-enough-password", Role.TRAINEE, None)
    customer = services.create_user("c@example.org", "C", "long-enough-password", Role.CUSTOMER, None)
    assert customer.site is None


def test_authenticate_logs_the_login_and_hides_which_part_was_wrong(make_user):
    user = make_user(Role.LEADER)
    assert services.authenticate(user.email, "a-long-test-password") == user
    assert db.session.query(AuditEntry).filter_by(action="user.login", user_id=user.id).count() == 1
    with pytest.raises(DomainError) as wrong_password:
        services.authenticate(user.email, "nope-nope-nope")
    with pytest.raises(DomainError) as unknown_user:
        services.authenticate("nobody@example.org", "nope-nope-nope")
    assert str(wrong_password.value) == str(unknown_user.value)


def test_inactive_account_cannot_log_in(make_user):
    user = make_user(Role.STAFF)
    user.is_active_account = False
    with pytest.raises(DomainError):
        services.authenticate(user.email, "a-long-test-password")


def test_unknown_locale_is_refused(make_user):
    user = make_user(Role.STAFF)
    with pytest.raises(DomainError):
        services.set_user_locale(user, "xx")
    services.set_user_locale(user, "en")
    assert user.locale == "en"


def test_ensure_site_is_idempotent():
    first = services.ensure_site("ishoj", "Ishøj", 20)
    again = services.ensure_site("ishoj", "Ishøj", 20)
    assert first.id == again.id
    assert len(services.all_sites()) == 1


def test_menu_groups_links_and_keeps_a_lone_link_plain(app):
    from flask import Flask

    from workshop.registry import NavGroup, add_nav_link, menu_for

    scratch = Flask("scratch")
    add_nav_link(scratch, "A", "a", {Role.LEADER}, order=1, group="people")
    add_nav_link(scratch, "B", "b", {Role.LEADER, Role.STAFF}, order=2, group="people")
    add_nav_link(scratch, "C", "c", {Role.LEADER}, order=3)
    leader_menu = menu_for(scratch, Role.LEADER)
    assert isinstance(leader_menu[0], NavGroup) and [link.label for link in leader_menu[0].links] == ["A", "B"]
    assert [link.label for link in menu_for(scratch, Role.STAFF)] == ["B"]
    with pytest.raises(ValueError):
        add_nav_link(scratch, "D", "d", {Role.LEADER}, group="nonsense")


def test_a_domain_error_lands_on_its_field_or_above_the_form(app):
    from wtforms import StringField

    from workshop.forms import FlaskForm, show_domain_error

    class NameForm(FlaskForm):
        class Meta:
            csrf = False

        name = StringField()

    with app.test_request_context():
        form = NameForm()
        show_domain_error(form, DomainError("Too long", field="name"))
        show_domain_error(form, DomainError("Full", field="slot"))
        show_domain_error(form, DomainError("Aliased", field="full_name"), aliases={"full_name": "name"})
    assert form.name.errors == ["Too long", "Aliased"]
    assert form.form_errors == ["Full"]


def test_saved_commits_and_says_so_or_rolls_back_and_shows_the_refusal(app, make_site):
    from flask import get_flashed_messages
    from wtforms import StringField

    from workshop.forms import FlaskForm, saved
    from workshop.models import Site

    class NameForm(FlaskForm):
        class Meta:
            csrf = False

        name = StringField()

    site = make_site()
    db.session.commit()

    def rename_then_refuse():
        site.name = "Half-written"
        db.session.flush()
        raise DomainError("Too long", field="name")

    with app.test_request_context():
        form = NameForm()
        assert not saved(form, rename_then_refuse, "Saved.")
        assert form.name.errors == ["Too long"] and get_flashed_messages() == []
        assert db.session.get(Site, site.id).name != "Half-written"  # nothing half-written stays
    with app.test_request_context():
        assert saved(NameForm(), lambda: setattr(site, "name", "Ishøj værksted"), "Saved.")
        assert get_flashed_messages() == ["Saved."]
    db.session.expire_all()
    assert db.session.get(Site, site.id).name == "Ishøj værksted"
