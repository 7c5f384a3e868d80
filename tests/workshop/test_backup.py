"""Backup and restore round-trip a seeded database: the same rows in every table, the same hours ledger."""
import hashlib

from sqlalchemy import select, update

from staffing.models import LedgerEntry
from workshop import backup
from workshop.cli import backup_command, restore_command, seed_demo
from workshop.extensions import db


def _ledger_checksum() -> str:
    """A fingerprint of every entry of the hours ledger, column by column."""
    rows = db.session.execute(select(LedgerEntry.__table__).order_by(LedgerEntry.id)).all()
    return hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()


def test_a_backup_restores_every_row_and_the_same_ledger(app, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(seed_demo)
    before, ledger_before = backup.check().row_counts, _ledger_checksum()
    assert before["ledger_entries"] > 100 and before["users"] > 5
    target = tmp_path / "stitchwork.backup"

    saved = runner.invoke(backup_command, [str(target)])
    assert saved.exit_code == 0, saved.output
    db.session.execute(update(LedgerEntry).values(minutes=LedgerEntry.minutes + 1))  # the day something went wrong
    db.session.commit()
    restored = runner.invoke(restore_command, [str(target), "--force"])

    assert restored.exit_code == 0, restored.output
    assert "the check found nothing wrong" in restored.output
    db.session.remove()
    assert backup.check().row_counts == before
    assert _ledger_checksum() == ledger_before


def test_restoring_over_data_needs_force_and_a_missing_file_is_said(app, tmp_path, make_site):
    runner = app.test_cli_runner()
    make_site()
    runner.invoke(seed_demo)
    target = tmp_path / "copy.backup"
    assert runner.invoke(backup_command, [str(target)]).exit_code == 0

    over_data = runner.invoke(restore_command, [str(target)])
    missing = runner.invoke(restore_command, [str(tmp_path / "nothing.backup"), "--force"])
    twice = runner.invoke(backup_command, [str(target)])

    assert over_data.exit_code != 0 and "--force" in over_data.output
    assert missing.exit_code != 0 and "no backup file" in missing.output
    assert twice.exit_code != 0 and "exists already" in twice.output


def test_the_check_finds_a_schema_behind_the_code(app):
    db.session.execute(db.text("UPDATE alembic_version SET version_num = '0017_stock'"))
    db.session.commit()
    try:
        assert any("db upgrade" in problem for problem in backup.check().problems)
    finally:
        db.session.execute(db.text("UPDATE alembic_version SET version_num = :head"),
                           {"head": next(iter(backup.migration_heads()))})
        db.session.commit()
