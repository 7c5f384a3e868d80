"""`flask api token create|revoke|list`: API tokens for a user, from the command line (leaders' servers)."""
import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import User

from . import tokens

api_cli = AppGroup("api", help="The JSON API.")
token_cli = AppGroup("token", help="API tokens.")
api_cli.add_command(token_cli)


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with the e-mail {email}.")
    return user


@token_cli.command("create")
@click.option("--email", required=True, help="The user the token acts as (a leader or business customer).")
@click.option("--name", required=True, help="What will use the token.")
def create(email: str, name: str):
    """Make a token; it is printed once and stored only as a hash."""
    try:
        row, token = tokens.create_token(_user(email), name)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Token {row.id} ({row.name}): {token}")


@token_cli.command("list")
@click.option("--email", required=True)
def list_tokens(email: str):
    """A user's tokens (never the tokens themselves)."""
    for row in tokens.user_tokens(_user(email)):
        state = "revoked" if row.revoked_at else "active"
        click.echo(f"{row.id}\t{row.prefix}…\t{state}\t{row.name}")


@token_cli.command("revoke")
@click.option("--email", required=True)
@click.option("--id", "token_id", required=True, type=click.IntRange(1, 2**31 - 1))
def revoke(email: str, token_id: int):
    """Revoke one of a user's tokens: it stops working at once."""
    try:
        row = tokens.revoke_token(_user(email), token_id)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Token {row.id} ({row.name}) is revoked.")
