"""Staffing operations. Services flush; the view commits."""
from sqlalchemy import select

from workshop.extensions import db
from workshop.models import Site

from .models import Person


def people_at_site(site: Site) -> list[Person]:
    return list(db.session.scalars(select(Person).where(Person.site_id == site.id).order_by(Person.name)))


def person_for_user(user) -> Person | None:
    return db.session.scalar(select(Person).where(Person.user_id == user.id))
