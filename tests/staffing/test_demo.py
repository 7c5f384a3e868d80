"""The staffing demo data: agreements, follow-ups (some overdue), logbook with ledger minutes; twice changes nothing."""
from sqlalchemy import func, select

from staffing.models import Agreement, FollowUp, LedgerEntry, LogbookEntry
from workshop.extensions import db
from workshop.timeutil import local_today


def _counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Agreement, FollowUp, LogbookEntry, LedgerEntry)}


def test_demo_care_data_is_complete_and_idempotent(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = _counts()
    assert counts["Agreement"] >= 20 and counts["FollowUp"] >= 4 and counts["LogbookEntry"] >= 20
    overdue = db.session.scalar(select(func.count()).select_from(FollowUp)
                                .where(FollowUp.next_followup_date < local_today()))
    assert overdue >= 2
    logged = db.session.scalar(select(func.sum(LogbookEntry.minutes_worked)))
    booked = db.session.scalar(select(func.sum(LedgerEntry.minutes)).where(LedgerEntry.activity == "logbook"))
    assert logged == booked > 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert _counts() == counts
