"""Demo operations and products, modelled on the workshop's real 2018 orders. Idempotent."""
from datetime import timedelta

from sqlalchemy import select

from staffing.models import Person, PersonKind, Skill
from workshop import services as core
from workshop.extensions import db
from workshop.timeutil import local_today

from .floor import record_work
from .matching import can_do, profile_for
from .models import Operation, Product, ProductVariant, RoutingStep, SourceKind, Task, TaskStatus, WorkOrder
from .workorders import create_work_order, release_work_order

# code, Danish, English, skill, min level, lift kg, standing min, fine motor, noisy, concentration, pictogram
OPERATIONS = (
    ("cut", "Tilskæring", "Cutting", "cutting", 1, 3, 30, 1, False, 1, "scissors"),
    ("sew_straight", "Sy lige sømme", "Sew straight seams", "straight_seams", 1, 0, 0, 1, True, 1, "pencil"),
    ("embroider_machine", "Maskinbroderi", "Machine embroidery", "machine_embroidery", 2, 0, 0, 1, True, 2, "stars"),
    ("embroider_hand", "Håndbroderi", "Hand embroidery", "hand_embroidery", 2, 0, 0, 2, False, 2, "flower1"),
    ("press", "Presning", "Pressing", "pressing", 1, 2, 45, 0, False, 0, "thermometer-half"),
    ("finish", "Efterbehandling", "Finishing", "finishing", 0, 0, 0, 1, False, 1, "check2-circle"),
    ("pack", "Pakning", "Packing", "packing", 0, 12, 20, 0, False, 0, "box-seam"),
    ("repair_hem", "Reparation: opsømning", "Repair: hemming", "repair", 1, 0, 0, 1, True, 1, "rulers"),
    ("repair_zip", "Reparation: lynlås", "Repair: zip", "repair", 2, 0, 0, 2, True, 2, "bag"),
    ("repair_patch", "Reparation: lapning", "Repair: patching", "repair", 1, 0, 0, 1, False, 1, "bandaid"),
    ("repair_alter", "Reparation: ændring", "Repair: alteration", "repair", 2, 0, 10, 2, True, 2, "person-standing-dress"),
)

# code, Danish, English, material cost øre, unit price øre, retail, routing [(operation, seconds per unit, setup minutes)]
PRODUCTS = (
    ("gift_bag", "Julegavepose", "Christmas gift bag", 900, 4500, False,
     [("cut", 60, 15), ("sew_straight", 180, 10), ("embroider_machine", 120, 20), ("press", 30, 0), ("pack", 20, 5)]),
    ("travel_laundry_bag", "Rejsevaskepose", "Travel laundry bag", 1400, 6500, False,
     [("cut", 90, 15), ("sew_straight", 300, 10), ("finish", 60, 0), ("pack", 20, 5)]),
    ("fabric_flower", "Stofblomst", "Fabric flower", 300, 2500, True,
     [("cut", 45, 10), ("embroider_hand", 240, 0), ("finish", 60, 0)]),
    ("christmas_heart", "Broderet julehjerte", "Embroidered Christmas heart", 400, 4000, True,
     [("cut", 45, 10), ("embroider_machine", 150, 20), ("sew_straight", 120, 5), ("finish", 45, 0)]),
    ("framed_embroidery", "Broderi i ramme", "Framed embroidery", 6000, 45000, True,
     [("embroider_hand", 3600, 0), ("finish", 600, 0), ("pack", 120, 0)]),
    ("brooch", "Broche", "Brooch", 500, 9500, True,
     [("cut", 60, 5), ("embroider_hand", 900, 0), ("finish", 300, 0)]),
    ("key_ring", "Nøglering", "Key ring", 300, 4500, True,
     [("cut", 45, 5), ("sew_straight", 180, 5), ("finish", 120, 0)]),
)


def seed_production_demo() -> None:
    operations = {row[0]: _ensure_operation(*row) for row in OPERATIONS}
    for code, name_da, name_en, cost, price, retail, routing in PRODUCTS:
        if db.session.scalar(select(Product.id).where(Product.code == code)):
            continue
        product = Product(code=code, name_da=name_da, name_en=name_en, material_cost_ore=cost,
                          unit_price_ore=price, sold_in_retail=retail)
        for position, (operation_code, seconds, setup) in enumerate(routing, start=1):
            product.routing.append(RoutingStep(position=position, operation=operations[operation_code],
                                               seconds_per_unit=seconds, setup_minutes=setup))
        db.session.add(product)
    db.session.flush()
    _ensure_variants()
    for slug in ("ishoj", "gladsaxe"):
        site = core.get_site(slug)
        if site is not None:
            _seed_work_orders(site)


def _ensure_operation(code, name_da, name_en, skill_code, level, lift, standing, fine, noisy, focus, icon) -> Operation:
    operation = db.session.scalar(select(Operation).where(Operation.code == code))
    if operation is None:
        skill = db.session.scalar(select(Skill).where(Skill.code == skill_code))
        operation = Operation(code=code, name_da=name_da, name_en=name_en, skill=skill, min_skill_level=level,
                              lift_kg=lift, standing_minutes=standing, fine_motor=fine, noisy=noisy,
                              concentration=focus, pictogram=icon)
        db.session.add(operation)
        db.session.flush()
    return operation


VARIANTS = {"key_ring": ("rød", "blå", "grøn")}

# site, product code, quantity, weeks until due, kind, label, variant, batches to finish per step (first steps)
WORK_ORDERS = (
    ("ishoj", "gift_bag", 500, 5, SourceKind.ORDER_LINE,
     "Ordre 2026-0042 · 500 julegaveposer · Tekstilservice Nord A/S", None, {1: 3}),
    # No gloves in the catalogue: the museum's 100 pairs of gloves are made on the laundry bag's routing.
    ("ishoj", "travel_laundry_bag", 100, 3, SourceKind.ORDER_LINE,
     "Ordre 2026-0038 · 100 par handsker · Byens Museum", None, {1: 1}),
    ("ishoj", "travel_laundry_bag", 280, 1, SourceKind.ORDER_LINE,
     "Ordre 2026-0044 · 280 rejsevaskeposer · Tekstilservice Nord A/S", None, {}),
    ("ishoj", "christmas_heart", 80, 2, SourceKind.ORDER_LINE,
     "Ordre 2026-0051 · 80 broderede julehjerter · Egnsmuseet Vest", None, {}),
    ("ishoj", "key_ring", 30, 1, SourceKind.RESTOCK, "Lager · 30 nøgleringe til butikken", "rød", {1: 9, 2: 9, 3: 9}),
    ("gladsaxe", "christmas_heart", 40, 3, SourceKind.ORDER_LINE,
     "Ordre 2026-0047 · 40 broderede julehjerter · Bydelsmuseet", None, {1: 1}),
)


def _ensure_variants() -> None:
    for code, labels in VARIANTS.items():
        product = db.session.scalar(select(Product).where(Product.code == code))
        known = {variant.label for variant in product.variants}
        for label in labels:
            if label not in known:
                product.variants.append(ProductVariant(label=label))
    db.session.flush()


def worker_profiles(site) -> list:
    """(person, skills profile) of the site's trainees and paid workers, for demo work on the floor."""
    workers = db.session.scalars(select(Person).where(
        Person.site_id == site.id, Person.kind.not_in((PersonKind.FORMER, PersonKind.STAFF))).order_by(Person.id))
    return [(person, profile_for(person)) for person in workers]


def _seed_work_orders(site) -> None:
    today = local_today()
    profiles = worker_profiles(site)
    for slug, code, quantity, weeks, kind, label, variant_label, finish in WORK_ORDERS:
        if slug != site.slug or db.session.scalar(
                select(WorkOrder.id).where(WorkOrder.site_id == site.id, WorkOrder.source_label == label)):
            continue
        product = db.session.scalar(select(Product).where(Product.code == code))
        variant = next((v for v in product.variants if v.label == variant_label), None)
        work_order = create_work_order(site, quantity=quantity, due_date=today + timedelta(weeks=weeks),
                                       source_kind=kind, source_label=label, product=product, variant=variant)
        tasks = release_work_order(work_order, earliest_start=today - timedelta(days=7))
        for sequence, batches in finish.items():
            step_tasks = [task for task in tasks if task.sequence == sequence][:batches]
            for number, task in enumerate(step_tasks):
                work_on(task, profiles, today - timedelta(days=min(6, len(step_tasks) - number)))
        # The next open batch of the first step is under way: half its pieces are made.
        under_way = next((task for task in tasks if task.sequence == 1 and task.status == TaskStatus.OPEN), None)
        if under_way is not None and finish:
            work_on(under_way, profiles, today, share=2)
    db.session.flush()
    _assign_demo_tasks(site, profiles)


def _assign_demo_tasks(site, profiles) -> None:
    """The leader has given the first three trainees a task each, so "my tasks today" is never empty in the demo."""
    ready = [task for task in db.session.scalars(
        select(Task).where(Task.site_id == site.id, Task.status == TaskStatus.OPEN, Task.assignee_id.is_(None))
        .order_by(Task.due_date, Task.id)) if all(required.status == TaskStatus.DONE for required in task.requires)]
    for person, profile in profiles[:3]:
        if db.session.scalar(select(Task.id).where(Task.assignee_id == person.id)) or not ready:
            continue
        task = next((task for task in ready if can_do(profile, task.operation)[0]), ready[0])
        task.assignee = person
        ready.remove(task)
    db.session.flush()


def work_on(task: Task, profiles, day, share: int = 1) -> None:
    """Two people who can do the operation record the work: half the pieces each (or a share of it)."""
    able = [person for person, profile in profiles if can_do(profile, task.operation)[0]][:2]
    if not able:
        return
    pieces = task.quantity // share
    for index, person in enumerate(able):
        part = pieces // len(able) + (pieces % len(able) if index == len(able) - 1 else 0)
        if part <= 0:
            continue
        minutes = max(1, min(12 * 60, task.standard_minutes * part // task.quantity * 100 // 80))
        record_work(task, person, minutes, part, day=day)
