"""Core operations: users, sites and the audit log. Services flush; views commit."""
import functools
from datetime import timedelta
import re
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from .errors import DomainError, NotFound
from .extensions import db
from .models import PASSWORD_HASH_METHOD, AlsoLeads, AuditEntry, Role, Site, User
from .passwords import check_new_password

#: Codes of reference data (skills, operations, products, repairs): short, stable, typed by a leader.
CODE_PATTERN = re.compile(r"^[a-z0-9_-]{2,40}$")
SUPPORTED_LOCALES = ("da", "en")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str, name: str, password: str, role: Role, site: Site | None = None, locale: str = "da"
) -> User:
    """A new login. Staff, leaders and trainees belong to a site."""
    check_new_password(password, email)
    if find_user_by_email(email):
        raise DomainError(_l("A user with this e-mail already exists."), field="email")
    if role != Role.CUSTOMER and site is None:
        raise DomainError(_l("Choose the workshop this person works at."), field="site")
    user = User(email=normalise_email(email), name=name.strip(), role=role, site=site, locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User:
    """The user with these credentials, or a DomainError that reveals nothing.

    A password is checked even when no account has the e-mail (against a stand-in hash of the
    same cost), so how long the answer takes does not tell whether the e-mail has an account.
    """
    user = find_user_by_email(email)
    password_hash = user.password_hash if user is not None else _stand_in_password_hash()
    if not check_password_hash(password_hash, password) or user is None or not user.is_active:
        raise DomainError(_l("Wrong e-mail or password."))
    record_audit(user, "user.login", user)
    return user


@functools.cache
def _stand_in_password_hash() -> str:
    return generate_password_hash(secrets.token_hex(16), method=PASSWORD_HASH_METHOD)


def end_sessions(user: User) -> None:
    """Log her out everywhere (logout): every session cookie naming her old token stops working."""
    user.end_sessions()
    record_audit(user, "user.logout", user)


def set_user_locale(user: User, locale: str) -> None:
    if locale not in SUPPORTED_LOCALES:
        raise DomainError(_l("That language is not available."))
    user.locale = locale
    db.session.flush()


def record_audit(actor: User | None, action: str, target=None, site: Site | None = None, **detail) -> AuditEntry:
    """One row in the audit log: who did or saw what."""
    entry = AuditEntry(
        user_id=actor.id if actor is not None and actor.is_authenticated else None,
        site_id=(site.id if site else getattr(target, "site_id", None)),
        action=action,
        object_type=type(target).__name__ if target is not None else "",
        object_id=getattr(target, "id", None),
        detail=detail,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def audit_entries(action: str | None = None, site: Site | None = None, limit: int = 200) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEntry.action == action)
    if site is not None:
        query = query.where(AuditEntry.site_id == site.id)
    return list(db.session.scalars(query))


def checked_code(model, code: str, current_id: int | None, *scope) -> str:
    """A code in lower case, refused when malformed or used by another row of `model` (within `scope`)."""
    code = (code or "").strip().lower()
    if not CODE_PATTERN.match(code):
        raise DomainError(_l("Use 2-40 small letters, digits, - or _."), field="code")
    clash = db.session.scalar(select(model.id).where(model.code == code, *scope))
    if clash is not None and clash != current_id:
        raise DomainError(_l("This code is already used."), field="code")
    return code


def save_fields(row, model, **values):
    """Set checked `values` on `row`, or on a new `model` row added to the session when `row` is None; flushed."""
    if row is None:
        row = model()
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    db.session.flush()
    return row


def get_site(slug: str) -> Site:
    site = db.session.scalar(select(Site).where(Site.slug == slug))
    if site is None:
        raise NotFound(_l("No workshop called %(slug)s.", slug=slug))
    return site


def all_sites() -> list[Site]:
    return list(db.session.scalars(select(Site).order_by(Site.name)))


def sites_led_by(user: User) -> list[Site]:
    """The sites a leader leads: her own (home) site first, then those she also leads, by name.
    Anyone else leads none."""
    if user.role != Role.LEADER or user.site is None:
        return []
    others = db.session.scalars(
        select(Site).join(AlsoLeads, AlsoLeads.site_id == Site.id)
        .where(AlsoLeads.user_id == user.id, Site.id != user.site_id).order_by(Site.name, Site.id))
    return [user.site, *others]


def leaders_at(site: Site) -> list[User]:
    """The active leaders whose own (home) site is `site`, by name."""
    return list(db.session.scalars(
        select(User).where(User.site_id == site.id, User.role == Role.LEADER, User.is_active_account.is_(True))
        .order_by(User.name, User.id)))


def _also_leads(user: User, site: Site) -> AlsoLeads | None:
    return db.session.get(AlsoLeads, (user.id, site.id))


def _check_also_leads(user: User, site: Site, actor: User | None) -> None:
    """Refuse when `user` cannot lead `site` besides her own, or `actor` (None: the command line) may not say so:
    a leader grants and withdraws only for leaders of her own site, and only sites she leads herself."""
    if user.role != Role.LEADER:
        raise DomainError(_l("Only a leader can lead other workshops; %(email)s is not a leader.", email=user.email),
                          field="user")
    if user.site_id == site.id:
        raise DomainError(_l("%(site)s is the workshop %(email)s works at.", site=site.name, email=user.email),
                          field="site")
    if actor is not None and (actor.site_id != user.site_id or site not in sites_led_by(actor)):
        raise DomainError(_l("You can only do this for leaders of your own workshop and workshops you lead."),
                          field="site")


def grant_also_leads(user: User, site: Site, actor: User | None = None) -> AlsoLeads:
    """The leader `user` also leads `site` (her home site stays hers): she sees its impact figures too."""
    _check_also_leads(user, site, actor)
    if _also_leads(user, site) is not None:
        raise DomainError(_l("%(email)s already leads %(site)s.", email=user.email, site=site.name), field="site")
    row = AlsoLeads(user_id=user.id, site_id=site.id)
    db.session.add(row)
    db.session.flush()
    record_audit(actor, "user.also_leads.grant", user, site=site)
    return row


def withdraw_also_leads(user: User, site: Site, actor: User | None = None) -> None:
    """The leader `user` no longer leads `site` (her home site cannot be withdrawn this way)."""
    _check_also_leads(user, site, actor)
    row = _also_leads(user, site)
    if row is None:
        raise DomainError(_l("%(email)s does not lead %(site)s.", email=user.email, site=site.name), field="site")
    db.session.delete(row)
    db.session.flush()
    record_audit(actor, "user.also_leads.withdraw", user, site=site)


#: A site's slug is part of public URLs (/r/<slug>) and ticket numbers: lower-case letters, digits and hyphens.
SLUG_PATTERN = re.compile(r"[a-z][a-z0-9-]{1,39}")
MAX_SITE_CAPACITY = 500


def create_site(slug: str, name: str, capacity, address: str = "") -> Site:
    """A new workshop. The slug is fixed from now on: it is printed on posters and QR codes."""
    slug = (slug or "").strip()
    if not SLUG_PATTERN.fullmatch(slug):
        raise DomainError(_l("The short name must be 2-40 characters: lower-case letters a-z, digits and "
                             "hyphens, starting with a letter (e.g. ishoj)."), field="slug")
    if db.session.scalar(select(Site.id).where(Site.slug == slug)) is not None:
        raise DomainError(_l("A workshop called %(slug)s already exists.", slug=slug), field="slug")
    site = Site(slug=slug)
    update_site(site, name, capacity, address)
    db.session.add(site)
    db.session.flush()
    return site


#: A Danish bank registration number and account number: what a customer types to pay an invoice.
BANK_REG_NO = re.compile(r"[0-9]{4}")
BANK_ACCOUNT_NO = re.compile(r"[0-9]{1,10}")
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def update_site_invoicing(site: Site, cvr: str, bank_reg_no: str, bank_account_no: str) -> Site:
    """The workshop's CVR number and bank account, printed on its invoices (each may be left empty)."""
    cvr, reg, account = ((value or "").replace(" ", "").strip() for value in (cvr, bank_reg_no, bank_account_no))
    if cvr and not (len(cvr) == 8 and cvr.isascii() and cvr.isdigit()
                    and sum(int(digit) * weight for digit, weight in zip(cvr, CVR_WEIGHTS)) % 11 == 0):
        raise DomainError(_l("The CVR number must be 8 digits and valid."), field="cvr")
    if reg and not BANK_REG_NO.fullmatch(reg):
        raise DomainError(_l("The registration number is 4 digits."), field="bank_reg_no")
    if account and not BANK_ACCOUNT_NO.fullmatch(account):
        raise DomainError(_l("The account number is at most 10 digits."), field="bank_account_no")
    site.cvr, site.bank_reg_no, site.bank_account_no = cvr, reg, account
    db.session.flush()
    return site


def update_site(site: Site, name: str, capacity, address: str = "") -> Site:
    """Change a site's name, course places and address (never its slug)."""
    name, address = (name or "").strip(), (address or "").strip()
    if not name or len(name) > 120:
        raise DomainError(_l("Write the workshop's name (at most 120 characters)."), field="name")
    if len(address) > 200:
        raise DomainError(_l("The address can be at most 200 characters."), field="address")
    site.name, site.capacity, site.address = name, _site_capacity(capacity), address
    db.session.flush()
    return site


def update_site_pickup_hours(site: Site, hours: str) -> Site:
    """When webshop buyers can pick up their orders, in the leader's words (empty: a general text)."""
    hours = " ".join((hours or "").split())
    if len(hours) > 200:
        raise DomainError(_l("At most 200 characters."), field="pickup_hours")
    site.pickup_hours = hours
    db.session.flush()
    return site


def _site_capacity(value) -> int:
    """Course places as a whole number from 1 to MAX_SITE_CAPACITY (the CLI passes text)."""
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_SITE_CAPACITY:
        raise DomainError(_l("The number of course places must be a whole number from 1 to %(most)d.",
                             most=MAX_SITE_CAPACITY), field="capacity")
    return int(text)


def ensure_site(slug: str, name: str, capacity: int, address: str = "") -> Site:
    """Get or create a site by its slug (used by the demo data and the CLI)."""
    site = db.session.scalar(select(Site).where(Site.slug == slug))
    if site is None:
        site = Site(slug=slug, name=name, capacity=capacity, address=address)
        db.session.add(site)
        db.session.flush()
    return site


def ensure_user(email: str, name: str, password: str, role: Role, site: Site | None) -> User:
    """Get or create a login (idempotent demo data)."""
    return find_user_by_email(email) or create_user(email, name, password, role, site)


def demo_login_summary() -> list[tuple[str, str]]:
    """The demo logins to print: every leader, staff and customer, and the first trainee per site."""
    users = db.session.scalars(select(User).where(User.email.like("%.example")).order_by(User.role, User.email))
    shown, trainee_sites = [], set()
    for user in users:
        if user.role == Role.TRAINEE:
            if user.site_id in trainee_sites:
                continue
            trainee_sites.add(user.site_id)
        shown.append((user.email, user.role.value))
    return shown


def forget_old_audit_entries(now) -> int:
    """Audit entries older than RETENTION_AUDIT_YEARS are deleted (a retention rule)."""
    cutoff = now - timedelta(days=365 * current_app.config["RETENTION_AUDIT_YEARS"])
    return db.session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff.replace(tzinfo=None))).rowcount
