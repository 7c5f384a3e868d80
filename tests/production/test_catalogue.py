from datetime import date

import pytest

from production import services
from production.models import SourceKind
from production.workorders import create_work_order
from workshop.errors import DomainError

OPERATION = {"code": "hem", "name_da": "Opsømning", "name_en": "Hemming", "min_skill_level": 1, "lift_kg": 0,
             "standing_minutes": 0, "fine_motor": 1, "noisy": True, "concentration": 1, "pictogram": "rulers"}


def test_operations_are_created_and_changed_with_checked_codes(make_operation):
    skill_id = make_operation().skill_id
    operation = services.save_operation(None, {**OPERATION, "skill_id": skill_id, "code": " Hem "})
    assert operation.code == "hem" and operation.noisy
    services.save_operation(operation, {**OPERATION, "skill_id": skill_id, "lift_kg": 5})
    assert operation.lift_kg == 5
    with pytest.raises(DomainError) as error:
        services.save_operation(None, {**OPERATION, "skill_id": skill_id})
    assert error.value.field == "code"
    for bad in ({"code": "x y"}, {"min_skill_level": 4}, {"fine_motor": 3}, {"lift_kg": -1}):
        with pytest.raises(DomainError):
            services.save_operation(None, {**OPERATION, "skill_id": skill_id, "code": "other", **bad})


def test_routing_steps_are_added_moved_changed_and_removed(make_product, make_operation):
    product = make_product(steps=((60, 0),))
    first = product.routing[0]
    second = services.add_routing_step(product, make_operation(), 90, 5)
    third = services.add_routing_step(product, make_operation(), 30)
    assert [step.position for step in product.routing] == [1, 2, 3]
    services.move_routing_step(third, -1)
    assert product.routing == [first, third, second]
    with pytest.raises(DomainError):
        services.move_routing_step(first, -1)
    services.update_routing_step(second, 120, 10)
    assert (second.seconds_per_unit, second.setup_minutes) == (120, 10)
    services.remove_routing_step(third)
    assert product.routing == [first, second] and [step.position for step in product.routing] == [1, 2]
    with pytest.raises(DomainError):
        services.add_routing_step(product, make_operation(), 0)
    with pytest.raises(DomainError):
        services.update_routing_step(second, 10, -1)


def test_variants_are_unique_and_stay_while_a_work_order_uses_them(make_product, make_site):
    product = make_product()
    red = services.add_variant(product, "M, rød")
    with pytest.raises(DomainError):
        services.add_variant(product, "m, RØD")
    with pytest.raises(DomainError):
        services.add_variant(product, "  ")
    create_work_order(make_site(), quantity=5, due_date=date(2026, 12, 1),
                      source_kind=SourceKind.RESTOCK, source_label="Lager", product=product, variant=red)
    with pytest.raises(DomainError):
        services.remove_variant(red)
    blue = services.add_variant(product, "L, blå")
    services.remove_variant(blue)
    assert product.variants == [red]


def test_a_work_order_variant_must_belong_to_its_product(make_product, make_site):
    other = services.add_variant(make_product(), "S")
    with pytest.raises(DomainError):
        create_work_order(make_site(), quantity=5, due_date=date(2026, 12, 1),
                          source_kind=SourceKind.RESTOCK, source_label="Lager", product=make_product(), variant=other)


def test_products_keep_prices_in_ore_and_refuse_negative_amounts():
    product = services.save_product(None, {"code": "bag", "name_da": "Pose", "name_en": "Bag", "description": "",
                                           "material_cost_ore": 900, "unit_price_ore": 4500, "sold_in_retail": False,
                                           "is_prototype": True, "active": True})
    assert product.unit_price_ore == 4500 and product.is_prototype
    with pytest.raises(DomainError):
        services.save_product(product, {"code": "bag", "name_da": "Pose", "material_cost_ore": -1})
