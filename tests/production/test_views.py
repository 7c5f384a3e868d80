"""Request tests: every production and shop-floor route, per role."""
from datetime import date, timedelta

from urllib.parse import parse_qs, urlsplit

import pytest
from flask import g
from lxml import html
from sqlalchemy import func, select

from production.models import (
    Operation,
    Product,
    ProductVariant,
    RoutingStep,
    Task,
    TaskStatus,
    WorkOrder,
    WorkOrderStatus,
    WorkRecord,
    WorkSession,
)
from production import workorders
from staffing.models import LedgerEntry, PersonKind
from workshop.extensions import db
from workshop.models import Role
from workshop.timeutil import local_today


@pytest.fixture
def world(make_site, make_user, make_product, make_work_order, make_worker):
    site, elsewhere = make_site(), make_site()
    product = make_product(steps=((60, 0), (120, 0)))
    operations = [step.operation for step in product.routing]
    work_order = make_work_order(site, product, quantity=20)
    foreign_order = make_work_order(elsewhere, product, quantity=5, label="Ordre 2026-0099 · fremmed")
    trainee_user = make_user(Role.TRAINEE, site=site)
    trainee = make_worker(site, operations, user=trainee_user, name="Amina")
    stranger = make_worker(elsewhere, operations, name="Fremmed")
    variant = ProductVariant(product=product, label="rød")
    db.session.add(variant)
    db.session.commit()
    return {
        "site": site, "product": product, "work_order": work_order, "task": work_order.tasks[0],
        "foreign_order": foreign_order, "foreign_task": foreign_order.tasks[0], "trainee_user": trainee_user,
        "trainee": trainee, "stranger": stranger, "step": product.routing[0], "variant": variant,
        "operation": operations[0],
    }


def _as(client, login, make_user, role, site):
    user = make_user(role, site=site)
    login(client, user)
    client.user = user
    return client


@pytest.fixture
def leader(client, login, make_user, world):
    return _as(client, login, make_user, Role.LEADER, world["site"])


@pytest.fixture
def staff(client, login, make_user, world):
    return _as(client, login, make_user, Role.STAFF, world["site"])


@pytest.fixture
def trainee(client, login, world):
    login(client, world["trainee_user"])
    client.user = world["trainee_user"]
    return client


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


# (method, url template, roles allowed). Templates are filled from the world fixture.
ROUTES = [
    ("GET", "/production/operations", {Role.LEADER, Role.STAFF}),
    ("GET", "/production/operations/new", {Role.LEADER}),
    ("GET", "/production/operations/{operation.id}", {Role.LEADER}),
    ("POST", "/production/operations/new", {Role.LEADER}),
    ("GET", "/production/products", {Role.LEADER, Role.STAFF}),
    ("GET", "/production/products/new", {Role.LEADER}),
    ("POST", "/production/products/new", {Role.LEADER}),
    ("GET", "/production/products/{product.id}", {Role.LEADER}),
    ("POST", "/production/products/{product.id}", {Role.LEADER}),
    ("POST", "/production/products/{product.id}/steps", {Role.LEADER}),
    ("POST", "/production/products/{product.id}/steps/{step.id}", {Role.LEADER}),
    ("POST", "/production/products/{product.id}/steps/{step.id}/move", {Role.LEADER}),
    ("POST", "/production/products/{product.id}/steps/{step.id}/delete", {Role.LEADER}),
    ("POST", "/production/products/{product.id}/variants", {Role.LEADER}),
    ("POST", "/production/products/{product.id}/variants/{variant.id}/delete", {Role.LEADER}),
    ("GET", "/production/work-orders", {Role.LEADER, Role.STAFF}),
    ("GET", "/production/work-orders/new", {Role.LEADER}),
    ("POST", "/production/work-orders/new", {Role.LEADER}),
    ("GET", "/production/work-orders/{work_order.id}", {Role.LEADER, Role.STAFF}),
    ("POST", "/production/work-orders/{work_order.id}/release", {Role.LEADER}),
    ("POST", "/production/work-orders/{work_order.id}/cancel", {Role.LEADER}),
    ("GET", "/production/board", {Role.LEADER, Role.STAFF}),
    ("GET", "/production/board?show=done&page=2", {Role.LEADER, Role.STAFF}),
    ("GET", "/production/tasks/{task.id}", {Role.LEADER, Role.STAFF}),
    ("POST", "/production/tasks/{task.id}/status", {Role.LEADER, Role.STAFF}),
    ("POST", "/production/tasks/{task.id}/rework", {Role.LEADER, Role.STAFF}),
    ("GET", "/production/capacity", {Role.LEADER, Role.STAFF}),
    ("GET", "/floor/", {Role.LEADER, Role.STAFF, Role.TRAINEE}),
    ("GET", "/floor/people/{trainee.id}", {Role.LEADER, Role.STAFF, Role.TRAINEE}),
    ("POST", "/floor/people/{trainee.id}/tasks/{task.id}/start", {Role.LEADER, Role.STAFF, Role.TRAINEE}),
    ("POST", "/floor/people/{trainee.id}/stop", {Role.LEADER, Role.STAFF, Role.TRAINEE}),
    ("POST", "/floor/people/{trainee.id}/tasks/{task.id}/record", {Role.LEADER, Role.STAFF, Role.TRAINEE}),
]


def _url(template, world):
    return template.format(**world)


def _send(client, method, url, data=None):
    # The test's app context outlives each request, and Flask-Login caches the user on it.
    g.pop("_login_user", None)
    return client.get(url) if method == "GET" else client.post(url, data=data or {})


@pytest.mark.parametrize("method, template, roles", ROUTES, ids=[f"{m} {t}" for m, t, _r in ROUTES])
def test_anonymous_visitors_go_to_login_and_other_roles_get_403(client, login, make_user, world, method, template,
                                                                roles):
    url = _url(template, world)
    response = _send(client, method, url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for role in {Role.LEADER, Role.STAFF, Role.TRAINEE, Role.CUSTOMER} - roles:
        user = make_user(role, site=world["site"] if role != Role.CUSTOMER else None)
        login(client, user)
        assert _send(client, method, url).status_code == 403, role


# --- Leader pages: operations and products ---------------------------------------


def test_leader_creates_and_edits_an_operation(leader, world):
    page = leader.get("/production/operations")
    assert page.status_code == 200 and world["operation"].name_da in page.text
    assert leader.get("/production/operations/new").status_code == 200
    data = {"code": "hem", "name_da": "Opsømning", "name_en": "Hemming", "skill_id": world["operation"].skill_id,
            "min_skill_level": 1, "lift_kg": 0, "standing_minutes": 0, "fine_motor": 1, "concentration": 2,
            "noisy": "y", "pictogram": "rulers"}
    response = leader.post("/production/operations/new", data=data)
    assert response.status_code == 302
    operation = db.session.scalar(select(Operation).where(Operation.code == "hem"))
    assert operation.noisy and operation.concentration == 2
    response = leader.post(f"/production/operations/{operation.id}", data={**data, "lift_kg": 4})
    assert response.status_code == 302 and db.session.get(Operation, operation.id).lift_kg == 4


def test_a_bad_operation_is_refused_with_a_message(leader, world):
    before = _count(Operation)
    data = {"code": world["operation"].code, "name_da": "Dublet", "skill_id": world["operation"].skill_id,
            "min_skill_level": 0, "lift_kg": 0, "standing_minutes": 0, "fine_motor": 0, "concentration": 0,
            "pictogram": "scissors"}
    response = leader.post("/production/operations/new", data=data)
    assert response.status_code == 400 and "Denne kode er allerede brugt" in response.text
    response = leader.post("/production/operations/new", data={**data, "code": "ok", "lift_kg": "-3"})
    assert response.status_code == 400 and _count(Operation) == before
    assert leader.get("/production/operations/99999").status_code == 404


def test_leader_creates_a_product_and_edits_its_routing_and_variants(leader, world):
    assert leader.get("/production/products/new").status_code == 200
    response = leader.post("/production/products/new", data={
        "code": "apron", "name_da": "Forklæde", "material_cost_ore": "25,50", "unit_price_ore": "150",
        "is_prototype": "y", "active": "y"})
    assert response.status_code == 302
    product = db.session.scalar(select(Product).where(Product.code == "apron"))
    assert (product.material_cost_ore, product.unit_price_ore, product.is_prototype) == (2550, 15000, True)
    base = f"/production/products/{product.id}"
    assert leader.get(base).status_code == 200
    operation = world["operation"]
    for seconds in (60, 90):
        response = leader.post(f"{base}/steps", data={"step-operation_id": operation.id,
                                                      "step-seconds_per_unit": seconds, "step-setup_minutes": 5})
        assert response.status_code == 302
    first, second = db.session.get(Product, product.id).routing
    assert leader.post(f"{base}/steps/{second.id}/move", data={"direction": "up"}).status_code == 302
    assert [step.seconds_per_unit for step in db.session.get(Product, product.id).routing] == [90, 60]
    response = leader.post(f"{base}/steps/{first.id}", data={f"s{first.id}-seconds_per_unit": 75,
                                                             f"s{first.id}-setup_minutes": 0})
    assert response.status_code == 302 and db.session.get(RoutingStep, first.id).seconds_per_unit == 75
    assert leader.post(f"{base}/steps/{first.id}/delete").status_code == 302
    assert len(db.session.get(Product, product.id).routing) == 1
    assert leader.post(f"{base}/variants", data={"variant-label": "L, blå"}).status_code == 302
    variant = db.session.get(Product, product.id).variants[0]
    assert leader.post(f"{base}/variants/{variant.id}/delete").status_code == 302
    assert leader.post(base, data={"code": "apron", "name_da": "Forklæde 2", "material_cost_ore": "1",
                                   "unit_price_ore": "2", "active": "y"}).status_code == 302
    assert db.session.get(Product, product.id).name_da == "Forklæde 2"


def test_bad_product_input_is_refused_and_nothing_written(leader, world):
    products, steps = _count(Product), _count(RoutingStep)
    response = leader.post("/production/products/new", data={"code": "x1", "name_da": "X", "material_cost_ore": "abc",
                                                               "unit_price_ore": "1"})
    assert response.status_code == 400 and "Skriv et beløb i kroner" in response.text
    base = f"/production/products/{world['product'].id}"
    response = leader.post(f"{base}/steps", data={"step-operation_id": world["operation"].id,
                                                  "step-seconds_per_unit": 0, "step-setup_minutes": 0})
    assert response.status_code == 400
    step = world["step"]
    response = leader.post(f"{base}/steps/{step.id}", data={f"s{step.id}-seconds_per_unit": "-5",
                                                            f"s{step.id}-setup_minutes": 0})
    assert response.status_code == 400
    response = leader.post(f"{base}/variants", data={"variant-label": "RØD"})
    assert response.status_code == 400 and "Denne variant findes allerede" in response.text
    assert leader.post(f"{base}/steps/{step.id}/move", data={"direction": "sideways"}).status_code == 400
    assert (_count(Product), _count(RoutingStep)) == (products, steps)
    assert leader.post(f"/production/products/99999/steps/{step.id}/delete").status_code == 404
    assert leader.get("/production/products/99999").status_code == 404


def test_a_variant_in_use_stays(leader, world):
    work_order = world["work_order"]
    work_order.variant_id = world["variant"].id
    db.session.commit()
    response = leader.post(f"/production/products/{world['product'].id}/variants/{world['variant'].id}/delete")
    assert response.status_code == 409 and db.session.get(ProductVariant, world["variant"].id) is not None


def test_staff_see_products_and_operations(staff, world):
    assert world["product"].name_da in staff.get("/production/products").text
    assert staff.get("/production/operations").status_code == 200


# --- Work orders -----------------------------------------------------------------


def test_leader_creates_releases_and_cancels_a_work_order(leader, world):
    due = (local_today() + timedelta(days=30)).isoformat()
    response = leader.post("/production/work-orders/new", data={
        "product_id": world["product"].id, "variant_id": world["variant"].id, "quantity": 130, "due_date": due,
        "source_kind": "restock", "source_label": "Lager · 130 poser"})
    assert response.status_code == 302
    order = db.session.scalar(select(WorkOrder).where(WorkOrder.source_label == "Lager · 130 poser"))
    assert order.status == WorkOrderStatus.DRAFT and order.variant_id == world["variant"].id
    assert order.site_id == world["site"].id
    page = leader.get(f"/production/work-orders/{order.id}")
    assert page.status_code == 200 and "Frigiv" in page.text
    assert leader.post(f"/production/work-orders/{order.id}/release").status_code == 302
    order = db.session.get(WorkOrder, order.id)
    assert order.status == WorkOrderStatus.RELEASED and len(order.tasks) == 2 + 3
    assert leader.post(f"/production/work-orders/{order.id}/release").status_code == 409
    listing = leader.get("/production/work-orders")
    assert "Lager · 130 poser" in listing.text and "Lager" in listing.text
    assert leader.post(f"/production/work-orders/{order.id}/cancel").status_code == 302
    order = db.session.get(WorkOrder, order.id)
    assert order.status == WorkOrderStatus.CANCELLED
    assert {task.status for task in order.tasks} == {TaskStatus.CANCELLED}
    assert leader.post(f"/production/work-orders/{order.id}/cancel").status_code == 409


def test_bad_work_order_input_is_refused_and_nothing_written(leader, world):
    before = _count(WorkOrder)
    good = {"product_id": world["product"].id, "variant_id": 0, "quantity": 10,
            "due_date": (local_today() + timedelta(days=3)).isoformat(), "source_kind": "internal",
            "source_label": "Prøve"}
    for bad, message in (({"quantity": 0}, ""), ({"due_date": "2020-01-01"}, "Forfaldsdatoen er passeret"),
                         ({"source_kind": "order_line"}, ""), ({"source_label": ""}, ""),
                         ({"product_id": 99999}, "")):
        response = leader.post("/production/work-orders/new", data={**good, **bad})
        assert response.status_code == 400, bad
        assert message in response.text
    other_variant = ProductVariant(product=db.session.get(Product, world["foreign_order"].product_id), label="x")
    other_product = Product(code="other", name_da="Andet")
    db.session.add_all([other_variant, other_product])
    db.session.commit()
    response = leader.post("/production/work-orders/new", data={**good, "product_id": other_product.id,
                                                                "variant_id": world["variant"].id})
    assert response.status_code == 400 and "Varianten hører til et andet produkt" in response.text
    assert _count(WorkOrder) == before


def test_another_sites_work_orders_and_tasks_are_404(leader, world):
    foreign, task = world["foreign_order"], world["foreign_task"]
    assert leader.get(f"/production/work-orders/{foreign.id}").status_code == 404
    assert leader.post(f"/production/work-orders/{foreign.id}/cancel").status_code == 404
    assert leader.post(f"/production/work-orders/{foreign.id}/release").status_code == 404
    assert leader.get(f"/production/tasks/{task.id}").status_code == 404
    assert leader.post(f"/production/tasks/{task.id}/status", data={f"task{task.id}-status": "done"}).status_code == 404
    assert leader.post(f"/production/tasks/{task.id}/rework", data={}).status_code == 404
    assert foreign.source_label not in leader.get("/production/work-orders").text
    assert db.session.get(WorkOrder, foreign.id).status == WorkOrderStatus.RELEASED


def test_staff_see_work_orders_but_cannot_create_them(staff, world):
    assert world["work_order"].source_label in staff.get("/production/work-orders").text
    assert staff.get(f"/production/work-orders/{world['work_order'].id}").status_code == 200
    assert staff.get("/production/work-orders/new").status_code == 403


# --- Board, tasks, capacity --------------------------------------------------------


def test_board_shows_columns_and_filters(staff, world):
    task = world["task"]
    page = staff.get("/production/board")
    assert page.status_code == 200
    for column in ("Åben", "Planlagt", "I gang", "Færdig"):
        assert column in page.text
    assert "0 af 20" in page.text
    filtered = staff.get(f"/production/board?operation={world['operation'].id}&work_order={task.work_order_id}")
    assert filtered.text.count('class="card task-card') == 1
    assert staff.get(f"/production/board?person={world['trainee'].id}").text.count('class="card task-card') == 0
    assert staff.get("/production/board?operation=abc").status_code == 200
    assert world["foreign_order"].source_label not in page.text


def _column(page, name: str):
    """One column of the board: its section, found by its heading's label."""
    return html.fromstring(page.text).xpath(f'//section[contains(@class, "board-lane")][.//h2/span[1]="{name}"]')[0]


def _badge(column) -> str:
    return column.xpath('.//h2/span[contains(@class, "badge")]')[0].text


def _more(column):
    """The column's line under its cards ("Showing 25 of 312 — show all"), or None."""
    found = column.xpath('.//p[contains(@class, "board-more")]')
    return found[0] if found else None


def _links(element) -> list[tuple[str, str]]:
    return [(link.text, link.get("href")) for link in element.xpath(".//a")]


def test_a_long_column_shows_its_first_cards_and_a_link_to_show_all(leader, world, monkeypatch):
    monkeypatch.setattr(workorders, "BOARD_COLUMN_LIMIT", 1)
    cut = world["work_order"].tasks[0]  # both tasks are open; cutting comes first in the board's order
    page = leader.get("/production/board")
    column = _column(page, "Åben")
    assert _badge(column) == "2"  # all of the column, not what is shown
    assert [card.text for card in column.xpath('.//div[contains(@class, "task-card")]//a')] == [cut.operation.name_da]
    assert "Viser 1 af 2" in _more(column).text_content()
    assert _links(_more(column)) == [("Vis alle", "/production/board?show=open")]
    assert _more(_column(page, "Færdig")) is None  # a short column has no such line

    # The filters stay on the link; the opened column shows every card and a way back.
    filtered = leader.get(f"/production/board?work_order={cut.work_order_id}")
    link = _links(_more(_column(filtered, "Åben")))[0][1]
    assert parse_qs(urlsplit(link).query) == {"show": ["open"], "work_order": [str(cut.work_order_id)]}
    column = _column(leader.get(link), "Åben")
    assert len(column.xpath('.//div[contains(@class, "task-card")]')) == 2
    assert "Viser alle 2" in _more(column).text_content()
    assert _links(_more(column)) == [("Vis færre", f"/production/board?work_order={cut.work_order_id}")]
    assert leader.get("/production/board?show=nonsense&page=x").status_code == 200


def test_an_opened_column_pages_and_a_huge_one_is_counted_only_so_far(leader, world, monkeypatch):
    monkeypatch.setattr(workorders, "BOARD_PAGE_SIZE", 1)
    monkeypatch.setattr(workorders, "BOARD_COUNT_LIMIT", 1)
    first = _column(leader.get("/production/board?show=open"), "Åben")
    assert _badge(first) == "1+"
    assert "Viser 1–1 af over 1" in _more(first).text_content()
    assert [text for text, _href in _links(_more(first))] == ["Næste side", "Vis færre"]
    second = _column(leader.get("/production/board?show=open&page=2"), "Åben")
    assert "Viser 2–2 af over 1" in _more(second).text_content()
    assert _links(_more(second))[0] == ("Forrige side", "/production/board?show=open&page=1")
    assert [text for text, _href in _links(_more(second))] == ["Forrige side", "Vis færre"]


def test_the_boards_status_form_posts_as_the_task_pages_does(leader, world):
    task = world["task"]
    action = f"/production/tasks/{task.id}/status?back=board"
    form = html.fromstring(leader.get("/production/board").text).xpath(f'//form[@action="{action}"]')[0]
    fields = {field.get("name"): field.get("value") for field in form.xpath(".//input")}
    assert list(fields) == [f"task{task.id}-csrf_token"]
    select = form.xpath(".//select")[0]
    assert form.xpath(".//label")[0].get("for") == select.get("id") == select.get("name") == f"task{task.id}-status"
    assert select.xpath(".//option/@value") == ["planned", "in_progress", "done", "cancelled"]
    response = leader.post(action, data={**fields, select.get("name"): "planned"}, csrf=False)
    assert response.status_code == 302 and response.headers["Location"].endswith("/production/board")
    assert db.session.get(Task, task.id).status == TaskStatus.PLANNED
    # Without the page's token the change is refused.
    response = leader.post(action, data={select.get("name"): "open"}, csrf=False)
    assert response.status_code == 400 and db.session.get(Task, task.id).status == TaskStatus.PLANNED


def test_the_person_filter_offers_the_people_here_now_and_keeps_a_chosen_former_one(staff, world, make_worker):
    gone = make_worker(world["site"], name="Gitte Gået")
    gone.kind = PersonKind.FORMER
    db.session.commit()
    page = staff.get("/production/board").text
    assert "Amina" in page and "Gitte Gået" not in page
    chosen = html.fromstring(staff.get(f"/production/board?person={gone.id}").text)
    assert chosen.xpath('//select[@id="filter-person"]/option[@selected]/text()') == ["Gitte Gået"]


def test_staff_change_a_task_status_only_along_legal_moves(staff, world):
    task = world["task"]
    url = f"/production/tasks/{task.id}/status"
    assert staff.post(url, data={f"task{task.id}-status": "planned"}).status_code == 302
    assert db.session.get(Task, task.id).status == TaskStatus.PLANNED
    response = staff.post(url + "?back=board", data={f"task{task.id}-status": "in_progress"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/production/board")
    response = staff.post(url, data={f"task{task.id}-status": "open"})  # in progress -> open is not allowed
    assert response.status_code == 400 and db.session.get(Task, task.id).status == TaskStatus.IN_PROGRESS
    sew = world["work_order"].tasks[1]
    response = staff.post(f"/production/tasks/{sew.id}/status", data={f"task{sew.id}-status": "done"})
    assert response.status_code == 400 and "må vente" in response.text
    assert len(db.session.get(Task, sew.id).history) == 1


def test_rework_from_the_task_page(staff, world):
    task = world["task"]
    url = f"/production/tasks/{task.id}/rework"
    response = staff.post(url, data={"rework-quantity": 2, "rework-reason": "Skæv"})
    assert response.status_code == 400 and "Kun en færdig batch" in response.text
    task.status = TaskStatus.DONE
    db.session.commit()
    assert staff.get(f"/production/tasks/{task.id}").status_code == 200
    assert staff.post(url, data={"rework-quantity": 2, "rework-reason": ""}).status_code == 400
    assert staff.post(url, data={"rework-quantity": 99, "rework-reason": "Skæv"}).status_code == 400
    assert _count(Task) == 2 + 2  # two tasks here, two at the other site: nothing new
    response = staff.post(url, data={"rework-quantity": 2, "rework-reason": "Skæv søm"})
    assert response.status_code == 302
    rework = db.session.scalar(select(Task).where(Task.rework_of_id == task.id))
    assert (rework.quantity, rework.rework_reason) == (2, "Skæv søm")
    page = staff.get(f"/production/tasks/{rework.id}")
    assert "Skæv søm" in page.text


def test_capacity_page_weeks(leader, world):
    page = leader.get("/production/capacity")
    assert page.status_code == 200 and world["operation"].name_da in page.text
    assert leader.get("/production/capacity?week=2026-W48").status_code == 200
    assert "Uge 48" in leader.get("/production/capacity?week=2026-W48").text
    for bad in ("2026-W60", "banana", "2026-Wx"):
        assert leader.get(f"/production/capacity?week={bad}").status_code == 400


def test_capacity_shows_a_shortage_in_red(leader, world, make_work_order):
    monday = local_today() - timedelta(days=local_today().weekday())
    make_work_order(world["site"], world["product"], quantity=2000, due=monday + timedelta(days=4))
    db.session.commit()
    page = leader.get("/production/capacity")
    assert "table-danger" in page.text and "mangler" in page.text


# --- Shop floor ----------------------------------------------------------------------


def test_trainee_lands_on_her_own_page_and_cannot_see_others(trainee, world):
    response = trainee.get("/floor/")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/floor/people/{world['trainee'].id}")
    page = trainee.get(f"/floor/people/{world['trainee'].id}")
    assert page.status_code == 200 and "Mine opgaver i dag" in page.text and world["operation"].name_da in page.text
    assert trainee.get(f"/floor/people/{world['stranger'].id}").status_code == 404


def test_trainee_starts_stops_and_records(trainee, world):
    person, task = world["trainee"], world["task"]
    base = f"/floor/people/{person.id}"
    assert trainee.post(f"{base}/tasks/{task.id}/start").status_code == 302
    assert db.session.scalar(select(WorkSession).where(WorkSession.stopped_at.is_(None))).task_id == task.id
    assert "Arbejder nu" in trainee.get(base).text
    response = trainee.post(f"{base}/stop", data={"quantity": 3})
    assert response.status_code == 302
    assert db.session.get(Task, task.id).quantity_done == 3
    response = trainee.post(f"{base}/tasks/{task.id}/record", data={f"r{task.id}-minutes": 30,
                                                                     f"r{task.id}-quantity": 12})
    assert response.status_code == 302
    assert db.session.get(Task, task.id).quantity_done == 15
    assert db.session.scalar(select(func.sum(LedgerEntry.minutes))) == 31
    records = list(db.session.scalars(select(WorkRecord)))
    assert all(record.recorded_by_id == world["trainee_user"].id for record in records)


def test_bad_shop_floor_input_is_refused_and_nothing_written(trainee, world):
    person, task = world["trainee"], world["task"]
    base = f"/floor/people/{person.id}"
    for minutes, quantity in (("", 1), (0, 1), (30, -1), (30, 21), ("abc", 1)):
        response = trainee.post(f"{base}/tasks/{task.id}/record", data={f"r{task.id}-minutes": minutes,
                                                                         f"r{task.id}-quantity": quantity})
        assert response.status_code == 400, (minutes, quantity)
    response = trainee.post(f"{base}/tasks/{task.id}/record", data={f"r{task.id}-minutes": 30,
                                                                     f"r{task.id}-quantity": 21})
    assert "Der er kun 20 stykker tilbage" in response.text
    response = trainee.post(f"{base}/stop", data={"quantity": 1})
    assert response.status_code == 400 and "Intet er i gang" in response.text
    sew = world["work_order"].tasks[1]
    assert trainee.post(f"{base}/tasks/{sew.id}/start").status_code == 409
    assert trainee.post(f"{base}/tasks/{world['foreign_task'].id}/start").status_code == 404
    assert trainee.post(f"{base}/tasks/{task.id}/start", csrf=False).status_code == 400
    assert (_count(LedgerEntry), _count(WorkRecord), _count(WorkSession)) == (0, 0, 0)
    assert db.session.get(Task, task.id).quantity_done == 0


def test_staff_pick_a_person_and_record_for_her(staff, world):
    page = staff.get("/floor/")
    assert page.status_code == 200 and "Amina" in page.text and "Fremmed" not in page.text
    person, task = world["trainee"], world["task"]
    assert staff.get(f"/floor/people/{world['stranger'].id}").status_code == 404
    response = staff.post(f"/floor/people/{person.id}/tasks/{task.id}/record",
                          data={f"r{task.id}-minutes": 45, f"r{task.id}-quantity": 20})
    assert response.status_code == 302
    record = db.session.scalar(select(WorkRecord))
    assert record.recorded_by_id == staff.user.id and record.person_id == person.id
    assert db.session.get(Task, task.id).status == TaskStatus.DONE
    task_page = staff.get(f"/production/tasks/{task.id}")
    assert "20 af 20" in task_page.text and 'id="minutes-booked">45<' in task_page.text


def test_a_trainee_cannot_act_for_another_trainee_at_her_site(trainee, world, make_worker):
    colleague = make_worker(world["site"], name="Kollega")
    db.session.commit()
    task = world["task"]
    assert trainee.get(f"/floor/people/{colleague.id}").status_code == 404
    assert trainee.post(f"/floor/people/{colleague.id}/tasks/{task.id}/start").status_code == 404
    response = trainee.post(f"/floor/people/{colleague.id}/tasks/{task.id}/record",
                            data={f"r{task.id}-minutes": 30, f"r{task.id}-quantity": 1})
    assert response.status_code == 404 and _count(WorkRecord) == 0
