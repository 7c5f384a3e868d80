"""Proofs: a photo of the prototype or a mock-up; the customer approves it or asks for changes.

Every version is kept. Only the latest proof can be decided, once; an approved proof stays
approved. Services flush, never commit.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workshop.errors import DomainError, NotFound
from workshop.extensions import db
from workshop.models import User
from workshop.timeutil import utcnow

from ..images import delete_image, store_image
from . import events
from .models import Order, OrderStatus, Proof, ProofDecision
from .quotes import MAX_NAME, flushed, locked

MAX_NOTE = 1000
#: A proof makes sense until the order is made.
PROOF_STATUSES = (OrderStatus.REQUESTED, OrderStatus.QUOTED, OrderStatus.ACCEPTED, OrderStatus.EXPIRED)


def latest_proof(order: Order) -> Proof | None:
    return db.session.scalar(select(Proof).where(Proof.order_id == order.id).order_by(Proof.version.desc()).limit(1))


def proof_of(order: Order, proof_id: int) -> Proof:
    """One of the order's proofs (the caller has checked that she may see the order)."""
    proof = db.session.get(Proof, proof_id)
    if proof is None or proof.order_id != order.id:
        raise NotFound(_l("No such proof."))
    return proof


def upload_proof(order: Order, uploader: User, stream, note: str = "") -> Proof:
    """A new proof version, waiting for the customer's decision."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(_l("The note can be at most %(count)d characters.", count=MAX_NOTE), field="note")
    order = locked(order)
    if order.status not in PROOF_STATUSES:
        raise DomainError(_l("A proof cannot be added to this order now."))
    latest = latest_proof(order)
    if latest is not None and latest.decision == ProofDecision.APPROVED:
        raise DomainError(_l("The customer has already approved the proof."))
    stored = store_image(stream, "proofs")
    version = (db.session.scalar(select(func.max(Proof.version)).where(Proof.order_id == order.id)) or 0) + 1
    proof = Proof(order_id=order.id, version=version, stored_name=stored.name, note=note, uploaded_by_id=uploader.id)
    db.session.add(proof)
    try:
        flushed(order)
    except DomainError:
        delete_image(stored.name)
        raise
    return proof


def decide_proof(proof: Proof, approve: bool, name: str, comment: str = "", user: User | None = None) -> Proof:
    """The customer's answer to the latest proof: approved, or changes asked for (with what to change)."""
    name, comment = (name or "").strip(), (comment or "").strip()
    if not name or len(name) > MAX_NAME:
        raise DomainError(_l("Write your name (at most %(count)d characters).", count=MAX_NAME), field="name")
    if len(comment) > MAX_NOTE:
        raise DomainError(_l("The comment can be at most %(count)d characters.", count=MAX_NOTE), field="comment")
    if not approve and not comment:
        raise DomainError(_l("Write what we should change."), field="comment")
    order = locked(db.session.get(Order, proof.order_id))
    db.session.refresh(proof)
    if latest_proof(order) is not proof:
        raise DomainError(_l("There is a newer proof. Look at that one."))
    if proof.decision != ProofDecision.WAITING:
        raise DomainError(_l("You have already answered this proof."))
    proof.decision = ProofDecision.APPROVED if approve else ProofDecision.CHANGES_REQUESTED
    proof.decided_at, proof.decided_by_name, proof.comment = utcnow(), name, comment
    proof.decided_by_id = user.id if user is not None else None
    flushed(order)
    if approve:
        events.proof_approved.send(order, proof=proof, actor=user)
    return proof


def proof_approved(order: Order) -> bool:
    """Whether the latest proof is approved (an order with customisation needs this before production)."""
    latest = latest_proof(order)
    return latest is not None and latest.decision == ProofDecision.APPROVED
