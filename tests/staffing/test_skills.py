"""Skills set up by a leader, so a new workshop's operations have one to need."""
import pytest
from sqlalchemy import select

from staffing import services
from staffing.models import Skill
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import Role


def _skill(code="lige_soemme", name_da="Lige sømme", name_en="Straight seams"):
    skill = services.save_skill(None, code, name_da, name_en)
    db.session.commit()
    return skill


def test_save_skill_creates_and_renames():
    skill = services.save_skill(None, " Lige_Soemme ", " Lige sømme ", "Straight seams")
    assert (skill.code, skill.name_da, skill.name_en) == ("lige_soemme", "Lige sømme", "Straight seams")
    services.save_skill(skill, "lige_soemme", "Lige syninger", "")
    assert (skill.name_da, skill.name_en) == ("Lige syninger", "")


@pytest.mark.parametrize("code, name_da, field", [("x", "Navn", "code"), ("med mellemrum", "Navn", "code"),
                                                  ("ok_code", "  ", "name_da")])
def test_save_skill_refuses_bad_values(code, name_da, field):
    with pytest.raises(DomainError) as refused:
        services.save_skill(None, code, name_da)
    assert refused.value.field == field


def test_a_skill_code_is_unique():
    first = _skill()
    other = _skill("broderi", "Broderi", "Embroidery")
    with pytest.raises(DomainError) as refused:
        services.save_skill(other, "lige_soemme", "Broderi")
    assert refused.value.field == "code"
    services.save_skill(first, "lige_soemme", "Lige sømme 2")  # keeping its own code is fine


def test_the_leader_adds_a_skill_and_the_operation_form_offers_it(client_as):
    client = client_as(Role.LEADER)
    assert "Der er ingen færdigheder endnu" in client.get("/skills/").get_data(as_text=True)
    response = client.post("/skills/", data={"code": "lige_soemme", "name_da": "Lige sømme", "name_en": "Straight seams"})
    assert response.status_code == 302
    page = client.get("/skills/").get_data(as_text=True)
    assert "Færdigheden er tilføjet: Lige sømme" in page and "Straight seams" in page
    assert "Lige sømme" in client.get("/production/operations/new").get_data(as_text=True)


def test_the_leader_renames_a_skill(client_as):
    skill = _skill()
    client = client_as(Role.LEADER)
    assert client.get(f"/skills/{skill.id}").status_code == 200
    response = client.post(f"/skills/{skill.id}", data={"code": "lige_soemme", "name_da": "Lige syninger",
                                                        "name_en": "Straight stitching"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Skill, skill.id).name_en == "Straight stitching"


def test_a_taken_code_is_refused_on_the_form_in_danish(client_as):
    _skill()
    client = client_as(Role.LEADER)
    response = client.post("/skills/", data={"code": "lige_soemme", "name_da": "Noget andet"})
    assert response.status_code == 400
    assert "Denne kode er allerede brugt." in response.get_data(as_text=True)
    assert db.session.scalars(select(Skill.name_da)).all() == ["Lige sømme"]


def test_an_empty_form_is_refused_in_danish(client_as):
    response = client_as(Role.LEADER).post("/skills/", data={"code": "", "name_da": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Skriv en kode." in page and "Skriv navnet på dansk." in page


def test_an_unknown_skill_is_404(client_as):
    assert client_as(Role.LEADER).get("/skills/999").status_code == 404


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE, Role.CUSTOMER])
def test_only_leaders_manage_skills(client_as, role):
    skill = _skill()
    client = client_as(role)
    assert client.get("/skills/").status_code == 403
    assert client.post("/skills/", data={"code": "abc", "name_da": "A"}).status_code == 403
    assert client.post(f"/skills/{skill.id}", data={"code": "abc", "name_da": "A"}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/skills/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
