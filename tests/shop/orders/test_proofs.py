"""Proofs: versions, one decision on the latest, images only for those allowed."""
import io

import pytest
from flask import g
from PIL import Image

from shop.orders import proofs, quote_sections  # noqa: F401 - the sections
from shop.orders.models import ProofDecision
from shop.orders.pages import sections_for
from workshop.errors import DomainError
from workshop.models import Role

from .test_quotes import people  # noqa: F401 - fixture


def png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(data, "PNG")
    data.seek(0)
    return data


@pytest.fixture
def order_with_proof(make_order, make_company, make_user):
    company, customer = make_company()
    order = make_order(company=company, user=customer)
    leader = make_user(Role.LEADER, site=order.site)
    proof = proofs.upload_proof(order, leader, png(), "Logo på forsiden")
    return order, proof, leader, customer


def test_upload_makes_versions_and_only_the_latest_can_be_decided(order_with_proof):
    order, first, leader, customer = order_with_proof
    assert first.version == 1 and first.decision == ProofDecision.WAITING
    second = proofs.upload_proof(order, leader, png())
    assert second.version == 2
    with pytest.raises(DomainError, match="nyere"):
        proofs.decide_proof(first, True, "Karin")
    with pytest.raises(DomainError):
        proofs.decide_proof(second, False, "Karin", "")  # changes need a comment
    proofs.decide_proof(second, False, "Karin", "Større logo", customer)
    assert second.decision == ProofDecision.CHANGES_REQUESTED and second.decided_by_id == customer.id
    with pytest.raises(DomainError):
        proofs.decide_proof(second, True, "Karin")
    third = proofs.upload_proof(order, leader, png())
    proofs.decide_proof(third, True, "Karin")
    assert proofs.proof_approved(order)
    with pytest.raises(DomainError, match="godkendt"):
        proofs.upload_proof(order, leader, png())


def test_not_a_picture_is_refused(make_order, make_user):
    order = make_order()
    with pytest.raises(DomainError):
        proofs.upload_proof(order, make_user(Role.LEADER, site=order.site), io.BytesIO(b"<svg></svg>"))
    assert order.proofs == []


def test_sections_show_upload_to_the_leader_and_the_decision_to_the_customer(app, order_with_proof):
    order, proof, leader, customer = order_with_proof
    with app.test_request_context():
        leader_sections = dict(sections_for(order, leader))
        customer_sections = dict(sections_for(order, customer))
    assert leader_sections["shop/orders/_proofs_section.html"]["may_upload"]
    assert not leader_sections["shop/orders/_proofs_section.html"]["may_decide"]
    assert customer_sections["shop/orders/_proofs_section.html"]["may_decide"]
    assert leader_sections["shop/orders/_quote_section.html"]["may_quote"]
    assert "shop/orders/_quote_section.html" not in customer_sections  # nothing quoted yet


def test_proof_images_only_for_her_company_and_the_site(client, login, order_with_proof, make_company, make_user):
    order, proof, leader, customer = order_with_proof
    address = f"/orders/{order.id}/proofs/{proof.id}/image"
    _other, stranger = make_company()
    for user, status in ((customer, 200), (leader, 200), (stranger, 404),
                         (make_user(Role.LEADER), 404), (make_user(Role.TRAINEE, site=order.site), 403)):
        g.pop("_login_user", None)  # the test's app context keeps the last user
        login(client, user)
        assert client.get(address).status_code == status


def test_the_sections_render_for_the_leader_and_the_customer(app, order_with_proof, people):
    from flask import render_template

    from shop.orders import quotes

    from .test_quotes import terms

    order, _proof, leader, customer = order_with_proof
    people(order.site)
    quotes.send_quote(quotes.make_quote(order, leader, terms(order)), leader)
    with app.test_request_context():
        leader_html = "".join(render_template(template, **context) for template, context in sections_for(order, leader))
        customer_html = "".join(render_template(template, **context)
                                for template, context in sections_for(order, customer))
    assert "Lav en ny version" in leader_html and "Læg en prøve op" in leader_html
    assert "Sig ja til tilbuddet" in customer_html and "Godkend prøven" in customer_html
    assert "Læg en prøve op" not in customer_html and "Sig ja til tilbuddet" not in leader_html
