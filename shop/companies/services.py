"""Company accounts: registration and a leader's approval, colleagues, invitations. Services flush; views commit."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workshop import services as core
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import Role, User
from workshop.timeutil import as_utc, utcnow

from ..models import Customer, CustomerKind, MessageChannel, OutboxMessage
from .models import CompanyInvitation, CompanyMember, CompanyRegistration, RegistrationStatus
from .numbers import checked_cvr, checked_ean

# --- Who is in which company ----------------------------------------------------------------------


def company_of(user: User) -> Customer | None:
    """The company a customer login acts for; None while her registration waits (or was declined)."""
    return db.session.scalar(select(Customer).join(CompanyMember).where(CompanyMember.user_id == user.id))


def my_company(user: User) -> Customer:
    """Her company, or NotFound: a login without an approved company sees no company's data."""
    company = company_of(user)
    if company is None:
        raise NotFound(_l("Your login is not linked to a company yet."))
    return company


def account_overview(user: User) -> dict:
    """What a customer login sees on her account page: her company, its users and open invitations,
    or her registration while it waits."""
    company = company_of(user)
    if company is None:
        return {"customer": None, "registration": registration_of(user)}
    return {"customer": company, "members": members(company), "invitations": pending_invitations(company)}


def members(company: Customer) -> list[User]:
    query = select(User).join(CompanyMember).where(CompanyMember.customer_id == company.id).order_by(User.name)
    return list(db.session.scalars(query))


def add_member(company: Customer, user: User) -> CompanyMember:
    if company_of(user) is not None:
        raise DomainError(_l("This login already belongs to a company."))
    member = CompanyMember(customer=company, user=user)
    db.session.add(member)
    db.session.flush()
    return member


# --- Registration from the login page ------------------------------------------------------------


def _company_details(data: dict) -> dict:
    """The company part of a registration, checked; what is wrong is said on its field."""
    name = (data.get("company_name") or "").strip()
    if not name:
        raise DomainError(_l("Write the company's name."), field="company_name")
    billing = (data.get("billing_address") or "").strip()
    if not billing:
        raise DomainError(_l("Write the address for the invoice."), field="billing_address")
    return {"company_name": name, "cvr": checked_cvr(data.get("cvr"), required=True),
            "ean": checked_ean(data.get("ean")), "billing_address": billing,
            "delivery_address": (data.get("delivery_address") or "").strip(),
            "vat_exempt": bool(data.get("vat_exempt"))}


def register_company(data: dict) -> CompanyRegistration:
    """Anyone registers a company and her own login; the login waits until a leader approves it."""
    details = _company_details(data)
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError(_l("Write your name."), field="name")
    user = core.create_user(data.get("email") or "", name, data.get("password") or "", Role.CUSTOMER)
    registration = CompanyRegistration(user=user, **details)
    db.session.add(registration)
    db.session.flush()
    core.record_audit(user, "company.registered", registration, company=details["company_name"], cvr=details["cvr"])
    return registration


def registration_of(user: User) -> CompanyRegistration | None:
    return db.session.scalar(select(CompanyRegistration).where(CompanyRegistration.user_id == user.id))


def registrations() -> list[CompanyRegistration]:
    """Waiting registrations first (oldest first), then the decided ones, newest first."""
    query = select(CompanyRegistration).order_by(
        (CompanyRegistration.status != RegistrationStatus.PENDING), CompanyRegistration.decided_at.desc(),
        CompanyRegistration.created_at, CompanyRegistration.id)
    return list(db.session.scalars(query))


def get_registration(registration_id: int) -> CompanyRegistration:
    registration = db.session.get(CompanyRegistration, registration_id)
    if registration is None:
        raise NotFound(_l("This registration does not exist."))
    return registration


def _pending(registration: CompanyRegistration) -> CompanyRegistration:
    """The registration locked for a decision; two leaders deciding at once: the second is told."""
    db.session.refresh(registration, with_for_update=True)
    if registration.status != RegistrationStatus.PENDING:
        raise DomainError(_l("This registration has already been decided."))
    return registration


def approve_registration(leader: User, registration: CompanyRegistration,
                         existing: Customer | None = None) -> Customer:
    """Approve: a new customer record from the registration, or the link to an existing one (whose
    details the leader keeps); her login joins the company."""
    registration = _pending(registration)
    if existing is None:
        kind = CustomerKind.INSTITUTION if registration.ean else CustomerKind.BUSINESS
        company = Customer(kind=kind, company_name=registration.company_name, cvr=registration.cvr,
                           ean=registration.ean, billing_address=registration.billing_address,
                           delivery_address=registration.delivery_address, vat_exempt=registration.vat_exempt,
                           contact_name=registration.user.name, email=registration.user.email)
        db.session.add(company)
    else:
        company = existing
    add_member(company, registration.user)
    registration.status, registration.customer = RegistrationStatus.APPROVED, company
    registration.decided_by, registration.decided_at = leader, utcnow()
    db.session.flush()
    core.record_audit(leader, "company.registration_approved", registration, customer_id=company.id,
                      linked=existing is not None)
    return company


def decline_registration(leader: User, registration: CompanyRegistration) -> CompanyRegistration:
    registration = _pending(registration)
    registration.status = RegistrationStatus.DECLINED
    registration.decided_by, registration.decided_at = leader, utcnow()
    db.session.flush()
    core.record_audit(leader, "company.registration_declined", registration)
    return registration


# --- Invitations to colleagues -------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/companies/join/{token}"


def invite_colleague(inviter: User, email: str) -> tuple[CompanyInvitation, str]:
    """An invitation to her company for this e-mail, written to the outbox. Returns it and the token
    (which is stored only as a hash)."""
    company = my_company(inviter)
    email = core.normalise_email(email or "")
    if not email:
        raise DomainError(_l("Write your colleague's e-mail."), field="email")
    if core.find_user_by_email(email):
        raise DomainError(_l("This e-mail already has a login."), field="email")
    token = secrets.token_urlsafe(32)
    days = current_app.config["COMPANY_INVITATION_DAYS"]
    invitation = CompanyInvitation(customer=company, email=email, token_hash=_token_hash(token),
                                   invited_by=inviter, expires_at=utcnow() + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()
    db.session.add(_invitation_message(invitation, token, days, inviter.locale))
    db.session.flush()
    core.record_audit(inviter, "company.invitation_sent", invitation, customer_id=company.id, email=email)
    return invitation, token


def _invitation_message(invitation: CompanyInvitation, token: str, days: int, locale: str) -> OutboxMessage:
    with force_locale(locale or "da"):
        values = {"name": invitation.invited_by.name, "company": invitation.customer.company_name,
                  "url": invitation_url(token), "days": days}
        subject = _("Join %(company)s at the workshop", **values)
        body = _("%(name)s invites you to order for %(company)s. Open the link, write your name and choose "
                 "a password: %(url)s The link works once, for %(days)d days.", **values)
    return OutboxMessage(site_id=None, kind="company_invitation", channel=MessageChannel.EMAIL,
                         recipient=invitation.email, subject=subject, body=body)


def pending_invitations(company: Customer) -> list[CompanyInvitation]:
    query = select(CompanyInvitation).where(CompanyInvitation.customer_id == company.id,
                                            CompanyInvitation.used_at.is_(None)).order_by(CompanyInvitation.id)
    return [invitation for invitation in db.session.scalars(query) if not invitation_expired(invitation)]


def invitation_expired(invitation: CompanyInvitation) -> bool:
    return as_utc(invitation.expires_at) <= utcnow()


class LinkProblem(DomainError):
    """An invitation link that cannot be used: unknown, used or expired (the page says which)."""

    def __init__(self, message, reason: str):
        super().__init__(message)
        self.reason = reason


def open_invitation(token: str, lock: bool = False) -> CompanyInvitation:
    """The invitation a link opens, or a LinkProblem that says why it cannot be used."""
    query = select(CompanyInvitation).where(CompanyInvitation.token_hash == _token_hash(token or ""))
    invitation = db.session.scalar(query.with_for_update() if lock else query)
    if invitation is None:
        raise LinkProblem(_l("This link does not work. Check that you copied all of it."), "unknown")
    if invitation.used_at is not None:
        raise LinkProblem(_l("This link has already been used. Log in instead."), "used")
    if invitation_expired(invitation):
        raise LinkProblem(_l("This link has expired. Ask your colleague to send a new one."), "expired")
    return invitation


def accept_invitation(token: str, name: str, password: str) -> User:
    """The colleague sets her name and password and joins the company; the link then stops working."""
    invitation = open_invitation(token, lock=True)
    if not (name or "").strip():
        raise DomainError(_l("Write your name."), field="name")
    user = core.create_user(invitation.email, name, password or "", Role.CUSTOMER)
    add_member(invitation.customer, user)
    invitation.used_at, invitation.used_by_id = utcnow(), user.id
    db.session.flush()
    core.record_audit(user, "company.invitation_accepted", invitation, customer_id=invitation.customer_id)
    return user
