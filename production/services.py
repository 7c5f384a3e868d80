"""Production reference data: operations, products, routings and variants. Work orders live in workorders.py.

Services flush, never commit; a rule that says no raises DomainError.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.errors import DomainError
from workshop.extensions import db
from workshop.services import checked_code, save_fields

from .capacity import earliest_completion  # noqa: F401 - re-exported: the shop asks production for dates
from .models import Operation, Product, ProductVariant, RoutingStep, WorkOrder


OPERATION_FIELDS = ("code", "name_da", "name_en", "skill_id", "min_skill_level", "lift_kg", "standing_minutes",
                    "fine_motor", "noisy", "concentration", "pictogram")
PRODUCT_FIELDS = ("code", "name_da", "name_en", "description", "material_cost_ore", "unit_price_ore",
                  "sold_in_retail", "is_prototype", "active")


def all_products(include_inactive: bool = False) -> list[Product]:
    query = select(Product).order_by(Product.name_da)
    if not include_inactive:
        query = query.where(Product.active)
    return list(db.session.scalars(query))


def all_operations() -> list[Operation]:
    return list(db.session.scalars(select(Operation).order_by(Operation.code)))


def save_operation(operation: Operation | None, data: dict) -> Operation:
    """Create (operation=None) or change an operation from form data."""
    data = {key: data[key] for key in OPERATION_FIELDS if key in data}
    data["code"] = checked_code(Operation, data.get("code", ""), operation.id if operation else None)
    if not 0 <= int(data.get("min_skill_level", 0)) <= 3:
        raise DomainError(_l("The skill level is 0 to 3."), field="min_skill_level")
    for name in ("fine_motor", "concentration"):
        if not 0 <= int(data.get(name, 0)) <= 2:
            raise DomainError(_l("Use 0 (none), 1 (some) or 2 (a lot)."), field=name)
    for name in ("lift_kg", "standing_minutes"):
        if int(data.get(name, 0)) < 0:
            raise DomainError(_l("Cannot be below 0."), field=name)
    return save_fields(operation, Operation, **data)


def save_product(product: Product | None, data: dict) -> Product:
    """Create (product=None) or change a product's own fields (not its routing)."""
    data = {key: data[key] for key in PRODUCT_FIELDS if key in data}
    data["code"] = checked_code(Product, data.get("code", ""), product.id if product else None)
    for name in ("material_cost_ore", "unit_price_ore"):
        if int(data.get(name, 0)) < 0:
            raise DomainError(_l("An amount cannot be below 0."), field=name)
    return save_fields(product, Product, **data)


def add_routing_step(product: Product, operation: Operation, seconds_per_unit: int, setup_minutes: int = 0) -> RoutingStep:
    """Add an operation at the end of the routing."""
    if seconds_per_unit <= 0:
        raise DomainError(_l("The time per piece must be at least 1 second."), field="seconds_per_unit")
    if setup_minutes < 0:
        raise DomainError(_l("Cannot be below 0."), field="setup_minutes")
    position = max((step.position for step in product.routing), default=0) + 1
    step = RoutingStep(position=position, operation=operation, seconds_per_unit=seconds_per_unit,
                       setup_minutes=setup_minutes)
    product.routing.append(step)
    db.session.flush()
    return step


def update_routing_step(step: RoutingStep, seconds_per_unit: int, setup_minutes: int) -> RoutingStep:
    if seconds_per_unit <= 0:
        raise DomainError(_l("The time per piece must be at least 1 second."), field="seconds_per_unit")
    if setup_minutes < 0:
        raise DomainError(_l("Cannot be below 0."), field="setup_minutes")
    step.seconds_per_unit, step.setup_minutes = seconds_per_unit, setup_minutes
    db.session.flush()
    return step


def remove_routing_step(step: RoutingStep) -> None:
    """Remove a step; the steps after it move up. Released tasks keep their own copy of the times."""
    product = step.product
    product.routing.remove(step)
    db.session.flush()
    _renumber(product)


def move_routing_step(step: RoutingStep, offset: int) -> None:
    """Move a step one place earlier (offset -1) or later (+1)."""
    product = step.product
    steps = list(product.routing)
    index = steps.index(step)
    target = index + offset
    if not 0 <= target < len(steps):
        raise DomainError(_l("The step cannot move further."))
    steps[index], steps[target] = steps[target], steps[index]
    _renumber(product, steps)


def _renumber(product: Product, steps: list[RoutingStep] | None = None) -> None:
    """Give steps positions 1..n; two passes so the unique (product, position) never clashes."""
    steps = steps if steps is not None else sorted(product.routing, key=lambda step: step.position)
    for offset, step in enumerate(steps, start=1):
        step.position = 1000 + offset
    db.session.flush()
    for offset, step in enumerate(steps, start=1):
        step.position = offset
    db.session.flush()
    db.session.expire(product, ["routing"])


def add_variant(product: Product, label: str) -> ProductVariant:
    label = (label or "").strip()
    if not label:
        raise DomainError(_l("Write the variant, e.g. \"M, red\"."), field="label")
    if any(variant.label.lower() == label.lower() for variant in product.variants):
        raise DomainError(_l("This variant already exists."), field="label")
    variant = ProductVariant(label=label[:80])
    product.variants.append(variant)
    db.session.flush()
    return variant


def remove_variant(variant: ProductVariant) -> None:
    used = db.session.scalar(select(func.count(WorkOrder.id)).where(WorkOrder.variant_id == variant.id))
    if used:
        raise DomainError(_l("Work orders use this variant, so it stays."))
    variant.product.variants.remove(variant)
    db.session.flush()
