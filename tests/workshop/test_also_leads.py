"""A leader who also leads other workshops than her own: granted and withdrawn through the services and the CLI."""
import pytest
from sqlalchemy import select

from workshop import services as core
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.models import AlsoLeads, AuditEntry, Role


@pytest.fixture
def three_sites(make_site):
    # Named so that their names sort differently from the order they are made in.
    return make_site("vest", "Værksted Vest"), make_site("nord", "Værksted Nord"), make_site("oest", "Værksted Øst")


def test_a_leader_leads_her_own_site_first_then_the_others_by_name(make_user, three_sites):
    west, north, east = three_sites
    leader = make_user(Role.LEADER, site=west)
    assert core.sites_led_by(leader) == [west]
    core.grant_also_leads(leader, east)
    core.grant_also_leads(leader, north)
    assert core.sites_led_by(leader) == [west, north, east]
    assert leader.site == west  # her home site stays hers
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == leader.id))
    assert list(actions).count("user.also_leads.grant") == 2


def test_a_withdrawn_site_is_no_longer_led(make_user, three_sites):
    west, north, east = three_sites
    leader = make_user(Role.LEADER, site=west)
    core.grant_also_leads(leader, north)
    core.grant_also_leads(leader, east)
    core.withdraw_also_leads(leader, north)
    assert core.sites_led_by(leader) == [west, east]
    assert db.session.get(AlsoLeads, (leader.id, north.id)) is None


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE])
def test_only_leaders_can_lead_other_sites(make_user, three_sites, role):
    west, north, _east = three_sites
    worker = make_user(role, site=west)
    for change in (core.grant_also_leads, core.withdraw_also_leads):
        with pytest.raises(DomainError, match="Kun en leder") as refused:
            change(worker, north)
        assert worker.email in str(refused.value.message)
    assert core.sites_led_by(worker) == []
    assert db.session.scalars(select(AlsoLeads)).all() == []


def test_a_customer_leads_nothing(make_user, three_sites):
    customer = make_user(Role.CUSTOMER)
    with pytest.raises(DomainError, match="Kun en leder"):
        core.grant_also_leads(customer, three_sites[0])
    assert core.sites_led_by(customer) == []


def test_her_own_site_twice_or_a_site_she_does_not_lead_is_refused(make_user, three_sites):
    west, north, _east = three_sites
    leader = make_user(Role.LEADER, site=west)
    with pytest.raises(DomainError, match="arbejder på"):
        core.grant_also_leads(leader, west)
    with pytest.raises(DomainError, match="arbejder på"):
        core.withdraw_also_leads(leader, west)
    core.grant_also_leads(leader, north)
    with pytest.raises(DomainError, match="leder allerede"):
        core.grant_also_leads(leader, north)
    core.withdraw_also_leads(leader, north)
    with pytest.raises(DomainError, match="leder ikke"):
        core.withdraw_also_leads(leader, north)


def test_a_leader_grants_only_her_own_sites_leaders_and_only_sites_she_leads(make_user, three_sites):
    west, north, east = three_sites
    mette = make_user(Role.LEADER, site=west)
    colleague = make_user(Role.LEADER, site=west)
    stranger = make_user(Role.LEADER, site=east)
    core.grant_also_leads(mette, north)
    core.grant_also_leads(colleague, north, actor=mette)
    assert core.sites_led_by(colleague) == [west, north]
    for user, site in ((colleague, east), (stranger, north)):
        with pytest.raises(DomainError, match="dit eget"):
            core.grant_also_leads(user, site, actor=mette)
    core.withdraw_also_leads(colleague, north, actor=mette)
    assert core.sites_led_by(colleague) == [west]


def _lead_site(app, *args):
    return app.test_cli_runner().invoke(args=["users", "lead-site", *args])


def test_the_command_line_grants_and_withdraws(app, make_user, three_sites):
    west, north, _east = three_sites
    leader = make_user(Role.LEADER, site=west, email="mette@test.example")
    granted = _lead_site(app, "Mette@test.example", "nord")
    assert granted.exit_code == 0, granted.output
    assert "mette@test.example leads: vest, nord." in granted.output
    db.session.expire_all()
    assert core.sites_led_by(leader) == [west, north]
    withdrawn = _lead_site(app, "mette@test.example", "nord", "--withdraw")
    assert withdrawn.exit_code == 0, withdrawn.output
    assert "leads: vest." in withdrawn.output
    db.session.expire_all()
    assert core.sites_led_by(leader) == [west]


def test_the_command_line_explains_a_refusal(app, make_user, three_sites):
    make_user(Role.STAFF, site=three_sites[0], email="jonas@test.example")
    for args, complaint in ((("jonas@test.example", "nord"), "Kun en leder"),
                            (("nobody@test.example", "nord"), "nobody@test.example"),
                            (("jonas@test.example", "nowhere"), "nowhere")):
        result = _lead_site(app, *args)
        assert result.exit_code != 0
        assert complaint in result.output
    assert db.session.scalars(select(AlsoLeads)).all() == []


# --- The workshop's page: a leader of several workshops adds a leader of her own to another ------------------


@pytest.fixture
def leader_of_two(client, login, make_user, three_sites):
    """Mette (home: vest) also leads nord; her colleague Hanne leads vest; logged in as Mette."""
    west, north, _east = three_sites
    mette = make_user(Role.LEADER, site=west, name="Mette")
    hanne = make_user(Role.LEADER, site=west, name="Hanne")
    core.grant_also_leads(mette, north)
    db.session.commit()
    login(client, mette)
    return mette, hanne


def _lead(client, user, site, button="grant"):
    return client.post("/site/leaders", data={"lead-user": str(user.id), "lead-site": str(site.id),
                                              f"lead-{button}": "1"})


def test_a_leader_of_one_workshop_sees_no_such_form(client_as, make_user, three_sites):
    client = client_as(Role.LEADER, site=three_sites[0])
    colleague = make_user(Role.LEADER, site=three_sites[0])
    assert 'id="leaders-heading"' not in client.get("/site").get_data(as_text=True)
    assert _lead(client, colleague, three_sites[1]).status_code == 403
    assert core.sites_led_by(colleague) == [three_sites[0]]


def test_she_adds_a_colleague_to_another_workshop_and_withdraws_her(client, leader_of_two, three_sites):
    west, north, _east = three_sites
    mette, hanne = leader_of_two
    page = client.get("/site").get_data(as_text=True)
    assert 'id="leaders-heading"' in page and "Mette: Værksted Vest, Værksted Nord" in page
    choices = page.split('id="lead-user"')[1].split("</select>")[0]
    assert "Hanne" in choices and "Mette" not in choices  # not herself
    assert "Værksted Nord" in page.split('id="lead-site"')[1].split("</select>")[0]
    assert _lead(client, hanne, north).status_code == 302
    assert "Hanne leder nu også Værksted Nord." in client.get("/site").get_data(as_text=True)
    db.session.expire_all()
    assert core.sites_led_by(hanne) == [west, north]
    again = _lead(client, hanne, north)
    assert again.status_code == 400 and "leder allerede Værksted Nord" in again.get_data(as_text=True)
    assert _lead(client, hanne, north, "withdraw").status_code == 302
    assert "Hanne leder ikke længere Værksted Nord." in client.get("/site").get_data(as_text=True)
    db.session.expire_all()
    assert core.sites_led_by(hanne) == [west]


def test_she_cannot_add_others_nor_to_workshops_she_does_not_lead(client, leader_of_two, make_user, three_sites):
    west, north, east = three_sites
    mette, hanne = leader_of_two
    stranger = make_user(Role.LEADER, site=east)
    staff = make_user(Role.STAFF, site=west)
    for user, site in ((hanne, east), (hanne, west), (stranger, north), (staff, north), (mette, north)):
        response = _lead(client, user, site)
        assert response.status_code == 400, (user.name, site.slug)
        assert "Ret de felter" in response.get_data(as_text=True)
    for data in ({"lead-user": "x", "lead-site": "y", "lead-grant": "1"}, {}):
        assert client.post("/site/leaders", data=data).status_code == 400
    db.session.expire_all()
    assert db.session.scalars(select(AlsoLeads.user_id)).all() == [mette.id]


@pytest.mark.parametrize("role", [Role.STAFF, Role.TRAINEE, Role.CUSTOMER])
def test_only_leaders_post_the_form(client_as, role, three_sites):
    client = client_as(role, site=three_sites[0] if role != Role.CUSTOMER else None)
    assert client.post("/site/leaders", data={"lead-user": "1", "lead-site": "2"}).status_code == 403


def test_the_demo_leader_of_ishoj_leads_gladsaxe_too():
    from workshop.cli import seed_core_demo

    seed_core_demo()
    seed_core_demo()  # safe to run again
    leader = core.find_user_by_email("leder@ishoj.example")
    assert [site.slug for site in core.sites_led_by(leader)] == ["ishoj", "gladsaxe"]
    assert [site.slug for site in core.sites_led_by(core.find_user_by_email("leder@gladsaxe.example"))] == [
        "gladsaxe"]
