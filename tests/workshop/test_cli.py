import pytest
from sqlalchemy import func, select

from workshop.extensions import db
from workshop.models import Role, Site, User


def _counts():
    from production.models import Product
    from shop.models import Customer, RepairType
    from staffing.models import Accommodation, Employment, Person

    models = (Site, User, Person, Accommodation, Employment, Product, Customer, RepairType)
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in models}


def test_seed_demo_is_idempotent_and_complete(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "leder@ishoj.example" in first.output
    counts = _counts()
    assert counts["Site"] == 2
    assert counts["Person"] >= 30
    assert counts["Employment"] == 8  # 3 småjob + 1 hybrid per site
    assert counts["Product"] == 7 and counts["Customer"] == 3 and counts["RepairType"] >= 10
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert _counts() == counts


def test_create_user_from_the_command_line(app, make_site):
    make_site("ishoj")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=[
        "create-user", "--email", "new@example.org", "--name", "New Leader", "--role", "leader",
        "--site", "ishoj", "--password", "long-enough-password",
    ])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user.role == Role.LEADER and user.site.slug == "ishoj"


def test_create_user_explains_a_bad_site(app):
    result = app.test_cli_runner().invoke(args=[
        "create-user", "--email", "x@example.org", "--name", "X", "--role", "staff",
        "--site", "nowhere", "--password", "long-enough-password",
    ])
    assert result.exit_code != 0
    assert "nowhere" in result.output


def _create_site(app, *options):
    return app.test_cli_runner().invoke(args=["create-site", *options])


def test_a_new_installation_gets_its_site_and_first_leader_from_the_command_line(app):
    created = _create_site(app, "--slug", "brabrand", "--name", "Værkstedet Brabrand", "--capacity", "18",
                           "--address", "Brabrand Centret 1, 8220 Brabrand")
    assert created.exit_code == 0, created.output
    assert "brabrand" in created.output
    leader = app.test_cli_runner().invoke(args=[
        "create-user", "--email", "leder@brabrand.example", "--name", "Første Leder", "--role", "leader",
        "--site", "brabrand", "--password", "long-enough-password",
    ])
    assert leader.exit_code == 0, leader.output
    user = db.session.scalar(select(User).where(User.email == "leder@brabrand.example"))
    assert (user.site.name, user.site.capacity, user.site.address) == (
        "Værkstedet Brabrand", 18, "Brabrand Centret 1, 8220 Brabrand")


@pytest.mark.parametrize("slug, capacity, complaint", [
    ("Brabrand", "15", "små bogstaver"),
    ("bra brand", "15", "små bogstaver"),
    ("bråbrand", "15", "små bogstaver"),
    ("b", "15", "små bogstaver"),
    ("brabrand", "0", "helt tal"),
    ("brabrand", "-3", "helt tal"),
    ("brabrand", "12.5", "helt tal"),
    ("brabrand", "mange", "helt tal"),
])
def test_create_site_refuses_bad_values_and_saves_nothing(app, slug, capacity, complaint):
    result = _create_site(app, "--slug", slug, "--name", "Værkstedet", "--capacity", capacity)
    assert result.exit_code != 0
    assert complaint in result.output
    assert db.session.scalar(select(func.count()).select_from(Site)) == 0


def test_create_site_refuses_a_slug_that_is_taken(app, make_site):
    make_site("ishoj", name="Ishøj")
    db.session.commit()
    result = _create_site(app, "--slug", "ishoj", "--name", "Another", "--capacity", "10")
    assert result.exit_code != 0
    assert "ishoj" in result.output and "findes allerede" in result.output
    assert [site.name for site in db.session.scalars(select(Site))] == ["Ishøj"]
