"""A site's choice to publish its impact figures (aggregates only) on a public page."""
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from workshop.extensions import db
from workshop.timeutil import utcnow


class ImpactPublication(db.Model):
    """A row means: a leader of the site opted in to the public impact page."""

    __tablename__ = "impact_publications"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
