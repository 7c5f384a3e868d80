"""Linking a login to a person opens her health data to that login: a leader's act only, audited, and
only a free trainee login (issue 17, finding 1)."""
import pytest
from sqlalchemy import select

from staffing import services
from staffing.models import PersonKind
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import AuditEntry, Role
from workshop.timeutil import local_today


@pytest.fixture
def two_trainees(make_site, make_user, make_person):
    """Two trainees at one site, each linked to her own login; a leader and staff there."""
    site = make_site()
    first_user = make_user(Role.TRAINEE, site=site, name="Amina A.")
    first = make_person(site=site, user=first_user, name="Amina A.")
    second_user = make_user(Role.TRAINEE, site=site, name="Zahra B.")
    second = make_person(site=site, user=second_user, name="Zahra B.")
    db.session.commit()
    return {"site": site, "first": first, "first_user": first_user, "second": second, "second_user": second_user,
            "leader": make_user(Role.LEADER, site=site), "staff": make_user(Role.STAFF, site=site)}


def _link_rows():
    return [(row.user_id, row.object_id, row.detail) for row in db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(("person.login_linked", "person.login_unlinked")))
        .order_by(AuditEntry.id))]


def test_staff_cannot_hand_one_trainee_another_trainees_health_data(client, login, switch_to, two_trainees):
    w = two_trainees
    login(client, w["staff"])
    client.post(f"/people/{w['second'].id}/edit", data={"name": "Zahra B.", "user_email": ""})
    client.post(f"/people/{w['first'].id}/edit", data={"name": "Amina A.", "user_email": w["second_user"].email})
    db.session.expire_all()
    assert w["first"].user_id == w["first_user"].id and w["second"].user_id == w["second_user"].id
    switch_to(client, w["second_user"])
    for page in ("accommodations", "logbook"):
        assert client.get(f"/people/{w['first'].id}/{page}").status_code == 404
    assert _link_rows() == []


def test_staffs_form_has_no_login_field_and_their_other_changes_are_saved(client, login, two_trainees):
    w = two_trainees
    login(client, w["staff"])
    for url in (f"/people/{w['first'].id}/edit", "/people/new"):
        assert 'name="user_email"' not in client.get(url).get_data(as_text=True)
    response = client.post(f"/people/{w['first'].id}/edit", data={"name": "Amina K.", "user_email": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert (w["first"].name, w["first"].user_id) == ("Amina K.", w["first_user"].id)


def test_staff_cannot_link_their_own_login_to_a_new_person(client, login, two_trainees):
    w = two_trainees
    login(client, w["staff"])
    response = client.post("/people/new", data={"name": "Ny", "kind": "trainee", "since": "2026-11-02",
                                                "user_email": w["staff"].email})
    assert response.status_code == 302
    assert services.person_for_user(w["staff"]) is None


def test_a_leader_moves_a_login_and_both_changes_are_audited(client, login, two_trainees):
    w = two_trainees
    login(client, w["leader"])
    leader_form = client.get(f"/people/{w['first'].id}/edit").get_data(as_text=True)
    assert 'name="user_email"' in leader_form and w["first_user"].email in leader_form
    assert client.post(f"/people/{w['second'].id}/edit",
                       data={"name": "Zahra B.", "user_email": ""}).status_code == 302
    assert client.post(f"/people/{w['first'].id}/edit",
                       data={"name": "Amina A.", "user_email": w["second_user"].email}).status_code == 302
    db.session.expire_all()
    assert (w["first"].user_id, w["second"].user_id) == (w["second_user"].id, None)
    leader = w["leader"].id
    assert _link_rows() == [
        (leader, w["second"].id, {"user_id": None, "previous_user_id": w["second_user"].id}),
        (leader, w["first"].id, {"user_id": w["second_user"].id, "previous_user_id": w["first_user"].id}),
    ]


def test_saving_a_person_without_changing_her_login_writes_no_audit_row(client, login, two_trainees):
    w = two_trainees
    login(client, w["leader"])
    assert client.post(f"/people/{w['first'].id}/edit",
                       data={"name": "Amina A.", "user_email": w["first_user"].email.upper()}).status_code == 302
    assert _link_rows() == []


@pytest.mark.parametrize("role", [Role.LEADER, Role.STAFF, Role.CUSTOMER])
def test_a_leader_cannot_link_a_login_that_is_not_a_trainees(client, login, make_user, two_trainees, role):
    w = two_trainees
    login(client, w["leader"])
    other = w["leader"] if role == Role.LEADER else make_user(role, site=w["site"])
    response = client.post(f"/people/{w['first'].id}/edit", data={"name": "Amina A.", "user_email": other.email})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Kun en deltagers eget login kan kobles til en person." in page
    db.session.expire_all()
    assert w["first"].user_id == w["first_user"].id and _link_rows() == []


def test_a_leader_cannot_link_a_login_that_belongs_to_another_person(client, login, two_trainees):
    w = two_trainees
    login(client, w["leader"])
    response = client.post(f"/people/{w['first'].id}/edit",
                           data={"name": "Amina A.", "user_email": w["second_user"].email})
    assert response.status_code == 400 and "Dette login hører allerede til Zahra B." in response.get_data(as_text=True)
    db.session.expire_all()
    assert w["first"].user_id == w["first_user"].id and _link_rows() == []


def test_the_service_refuses_a_link_change_by_anyone_but_her_sites_leader(make_user, make_person, two_trainees):
    w = two_trainees
    newcomer = make_person(site=w["site"])
    free_login = make_user(Role.TRAINEE, site=w["site"])
    for actor in (w["staff"], w["first_user"], make_user(Role.LEADER)):
        with pytest.raises(DomainError) as error:
            services.update_person(newcomer, services.PersonData(name="Ny", user_email=free_login.email), actor)
        assert error.value.field == "user_email"
    with pytest.raises(DomainError):
        services.update_person(w["first"], services.PersonData(name="Amina A.", user_email=""), w["staff"])
    assert newcomer.user_id is None and w["first"].user_id == w["first_user"].id


def test_leaving_the_login_out_keeps_it(two_trainees):
    w = two_trainees
    services.update_person(w["first"], services.PersonData(name="Amina K."), w["staff"])
    assert (w["first"].name, w["first"].user_id) == ("Amina K.", w["first_user"].id)


def test_a_leader_creates_a_person_with_her_login_and_it_is_audited(make_user, two_trainees):
    w = two_trainees
    free_login = make_user(Role.TRAINEE, site=w["site"])
    person = services.create_person(w["site"], services.PersonData(name="Ny", user_email=free_login.email),
                                    PersonKind.TRAINEE, local_today(), w["leader"])
    assert person.user_id == free_login.id
    assert _link_rows() == [(w["leader"].id, person.id, {"user_id": free_login.id, "previous_user_id": None})]
