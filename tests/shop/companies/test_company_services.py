"""Company accounts: CVR and EAN checks, registration and approval, invitations."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.companies import services
from shop.companies.models import RegistrationStatus
from shop.companies.numbers import checked_cvr, checked_ean, cvr_is_valid, ean_is_valid
from shop.models import Customer, OutboxMessage
from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import AuditEntry, Role
from workshop.timeutil import local_now

PASSWORD = "a long enough password"


@pytest.mark.parametrize("cvr", ["24256790", "12345674", "23456788", "10150817"])
def test_valid_cvr_numbers_pass_modulus_11(cvr):
    assert cvr_is_valid(cvr)


@pytest.mark.parametrize("cvr", ["24256791", "12345678", "1234567", "123456789", "2425679a"])
def test_invalid_cvr_numbers_fail(cvr):
    assert not cvr_is_valid(cvr)


def test_cvr_errors_say_what_is_wrong():
    assert checked_cvr("DK 24 25 67 90") == "24256790"
    with pytest.raises(DomainError, match="8 cifre"):
        checked_cvr("1234")
    with pytest.raises(DomainError, match="CVR-nummeret passer ikke. Tjek cifrene."):
        checked_cvr("12345678")


@pytest.mark.parametrize("ean", ["5798000123458", "4006381333931", "5790000000005"])
def test_valid_ean_numbers_pass_the_check_digit(ean):
    assert ean_is_valid(ean)


@pytest.mark.parametrize("ean", ["5798000123459", "4006381333932", "579800012345", "57980001234580"])
def test_invalid_ean_numbers_fail(ean):
    assert not ean_is_valid(ean)
    with pytest.raises(DomainError):
        checked_ean(ean)


def _register(email="indkob@museum.example", cvr="23456788", ean="5798000123458"):
    return services.register_company({
        "company_name": "Museet", "cvr": cvr, "ean": ean, "billing_address": "Museumsgade 1",
        "delivery_address": "", "vat_exempt": True, "name": "Per Vang", "email": email, "password": PASSWORD})


def _audited(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_a_registration_waits_then_a_leader_approves_it_as_a_new_customer(make_user):
    registration = _register()
    assert registration.status == RegistrationStatus.PENDING
    assert services.company_of(registration.user) is None
    with pytest.raises(NotFound):
        services.my_company(registration.user)
    leader = make_user(Role.LEADER)
    company = services.approve_registration(leader, registration)
    assert services.company_of(registration.user) == company
    assert (company.cvr, company.ean, company.vat_exempt) == ("23456788", "5798000123458", True)
    assert _audited("company.registered") and _audited("company.registration_approved")
    with pytest.raises(DomainError, match="allerede taget stilling"):
        services.decline_registration(leader, registration)


def test_a_leader_may_link_a_registration_to_an_existing_customer(make_user):
    existing = Customer(company_name="Museet (old record)", cvr="23456788")
    db.session.add(existing)
    registration = _register()
    company = services.approve_registration(make_user(Role.LEADER), registration, existing=existing)
    assert company == existing and services.company_of(registration.user) == existing
    assert db.session.scalar(select(db.func.count(Customer.id))) == 1


def test_a_declined_registration_gives_no_company(make_user):
    registration = _register()
    services.decline_registration(make_user(Role.LEADER), registration)
    assert registration.status == RegistrationStatus.DECLINED
    assert services.company_of(registration.user) is None
    assert _audited("company.registration_declined")


def test_a_registration_with_a_wrong_cvr_is_refused_and_saves_nothing():
    with pytest.raises(DomainError, match="CVR-nummeret passer ikke. Tjek cifrene.") as error:
        _register(cvr="12345678")
    assert error.value.field == "cvr"


def _member(make_user):
    registration = _register()
    services.approve_registration(make_user(Role.LEADER), registration)
    return registration.user


def test_an_invitation_is_written_to_the_outbox_and_works_once(make_user):
    inviter = _member(make_user)
    invitation, token = services.invite_colleague(inviter, "Kollega@Museum.example")
    assert invitation.token_hash != token and token not in invitation.token_hash
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "company_invitation"))
    assert message.recipient == "kollega@museum.example" and token in message.body
    colleague = services.accept_invitation(token, "Kim Kollega", PASSWORD)
    assert services.company_of(colleague) == services.company_of(inviter)
    with pytest.raises(services.LinkProblem, match="allerede brugt"):
        services.accept_invitation(token, "Someone Else", PASSWORD)


def test_an_invitation_expires_after_the_setting(make_user, app, clock):
    inviter = _member(make_user)
    _, token = services.invite_colleague(inviter, "kollega@museum.example")
    clock.move_to(local_now() + timedelta(days=app.config["COMPANY_INVITATION_DAYS"], minutes=1))
    with pytest.raises(services.LinkProblem, match="udløbet"):
        services.accept_invitation(token, "Kim Kollega", PASSWORD)


def test_an_unknown_link_is_refused():
    with pytest.raises(services.LinkProblem, match="virker ikke"):
        services.open_invitation("made-up")


def test_a_pending_login_cannot_invite(make_user):
    registration = _register()
    with pytest.raises(NotFound):
        services.invite_colleague(registration.user, "kollega@museum.example")
