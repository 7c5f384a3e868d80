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
