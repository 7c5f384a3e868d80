"""Demo operations and products, modelled on the workshop's real 2018 orders. Idempotent."""
from sqlalchemy import select

from staffing.models import Skill
from workshop.extensions import db

from .models import Operation, Product, RoutingStep

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
