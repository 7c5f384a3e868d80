"""Leader and staff pages: operations, products, work orders, the task board and capacity.

Views are thin: validate a form, call one service, commit once, redirect (or re-render with 400).
"""
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from staffing import services as staffing_services
from staffing.models import Person, Skill
from workshop.errors import DomainError
from workshop.extensions import db
from workshop.forms import EmptyForm, show_domain_error
from workshop.inputs import iso_week, whole_number
from workshop.models import Role
from workshop.security import role_required
from workshop.timeutil import local_today

from . import capacity as capacity_service
from . import services, workorders
from .floor import minutes_booked
from .forms import (
    MoveStepForm,
    OperationForm,
    ProductForm,
    ReworkForm,
    RoutingStepForm,
    StepTimeForm,
    TaskStatusForm,
    VariantForm,
    WorkOrderForm,
)
from .labels import LABELS, TASK_STATUS_LABELS
from .models import Operation, Product, ProductVariant, RoutingStep, SourceKind, Task, TaskStatus, WorkOrder

blueprint = Blueprint("production", __name__, url_prefix="/production")
LEADERS = (Role.LEADER,)
WORKSHOP_STAFF = (Role.LEADER, Role.STAFF)


@blueprint.context_processor
def labels():
    return LABELS


def fail(form, error: DomainError) -> None:
    """Undo the request's writes and show the rule's message on its field (or above the form)."""
    db.session.rollback()
    show_domain_error(form, error)


def _get_or_404(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def _site_object_or_404(model, object_id: int):
    obj = _get_or_404(model, object_id)
    if obj.site_id != current_user.site_id:
        abort(404)
    return obj


# --- Operations -----------------------------------------------------------------


@blueprint.route("/operations")
@role_required(*WORKSHOP_STAFF)
def operations():
    return render_template("production/operations.html", operations=services.all_operations())


def _operation_form(operation=None) -> OperationForm:
    form = OperationForm(obj=operation)
    form.skill_id.choices = [(skill.id, skill.name) for skill in db.session.scalars(select(Skill).order_by(Skill.code))]
    return form


@blueprint.route("/operations/new", methods=["GET", "POST"])
@blueprint.route("/operations/<int:operation_id>", methods=["GET", "POST"])
@role_required(*LEADERS)
def operation_form(operation_id: int | None = None):
    operation = _get_or_404(Operation, operation_id) if operation_id else None
    form = _operation_form(operation)
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in services.OPERATION_FIELDS}
        try:
            saved = services.save_operation(operation, data)
            db.session.commit()
        except DomainError as error:
            fail(form, error)
        else:
            flash(_("Operation saved: %(name)s.", name=saved.name), "success")
            return redirect(url_for(".operations"))
    status = 400 if form.errors else 200
    return render_template("production/operation_form.html", form=form, operation=operation), status


# --- Products -------------------------------------------------------------------


@blueprint.route("/products")
@role_required(*WORKSHOP_STAFF)
def products():
    show_all = current_user.role == Role.LEADER and request.args.get("all") == "1"
    return render_template("production/products.html", products=services.all_products(include_inactive=show_all),
                           show_all=show_all)


@blueprint.route("/products/new", methods=["GET", "POST"])
@role_required(*LEADERS)
def new_product():
    form = ProductForm()
    if request.method == "GET":
        form.material_cost_ore.data = form.unit_price_ore.data = 0
    if form.validate_on_submit():
        try:
            product = services.save_product(None, {name: getattr(form, name).data for name in services.PRODUCT_FIELDS})
            db.session.commit()
        except DomainError as error:
            fail(form, error)
        else:
            flash(_("Product saved. Now add its routing."), "success")
            return redirect(url_for(".product", product_id=product.id))
    return render_template("production/product_new.html", form=form), 400 if form.errors else 200


def _step_form() -> RoutingStepForm:
    form = RoutingStepForm(prefix="step")
    form.operation_id.choices = [(operation.id, operation.name) for operation in services.all_operations()]
    return form


def _render_product(product, form=None, step_form=None, variant_form=None, failed_step_form=None, status=200):
    step_time_forms = {step.id: StepTimeForm(prefix=f"s{step.id}", obj=step) for step in product.routing}
    if failed_step_form is not None:
        step_time_forms[failed_step_form[0]] = failed_step_form[1]
    return render_template(
        "production/product.html", product=product, form=form or ProductForm(obj=product),
        step_form=step_form or _step_form(), variant_form=variant_form or VariantForm(prefix="variant"),
        empty_form=EmptyForm(), move_form=MoveStepForm(), step_time_forms=step_time_forms,
    ), status


@blueprint.route("/products/<int:product_id>", methods=["GET", "POST"])
@role_required(*LEADERS)
def product(product_id: int):
    product = _get_or_404(Product, product_id)
    form = ProductForm(obj=product)
    if form.validate_on_submit():
        try:
            services.save_product(product, {name: getattr(form, name).data for name in services.PRODUCT_FIELDS})
            db.session.commit()
        except DomainError as error:
            fail(form, error)
            product = _get_or_404(Product, product_id)
        else:
            flash(_("Product saved."), "success")
            return redirect(url_for(".product", product_id=product.id))
    return _render_product(product, form=form, status=400 if form.errors else 200)


@blueprint.route("/products/<int:product_id>/steps", methods=["POST"])
@role_required(*LEADERS)
def add_step(product_id: int):
    product = _get_or_404(Product, product_id)
    form = _step_form()
    if form.validate_on_submit():
        try:
            services.add_routing_step(product, _get_or_404(Operation, form.operation_id.data),
                                      form.seconds_per_unit.data, form.setup_minutes.data)
            db.session.commit()
        except DomainError as error:
            fail(form, error)
        else:
            flash(_("Step added."), "success")
            return redirect(url_for(".product", product_id=product.id))
    return _render_product(_get_or_404(Product, product_id), step_form=form, status=400)


def _product_step_or_404(product_id: int, step_id: int) -> RoutingStep:
    step = _get_or_404(RoutingStep, step_id)
    if step.product_id != product_id:
        abort(404)
    return step


@blueprint.route("/products/<int:product_id>/steps/<int:step_id>", methods=["POST"])
@role_required(*LEADERS)
def update_step(product_id: int, step_id: int):
    step = _product_step_or_404(product_id, step_id)
    form = StepTimeForm(prefix=f"s{step.id}")
    if form.validate_on_submit():
        services.update_routing_step(step, form.seconds_per_unit.data, form.setup_minutes.data)
        db.session.commit()
        flash(_("Step saved."), "success")
        return redirect(url_for(".product", product_id=product_id))
    return _render_product(step.product, failed_step_form=(step.id, form), status=400)


@blueprint.route("/products/<int:product_id>/steps/<int:step_id>/move", methods=["POST"])
@role_required(*LEADERS)
def move_step(product_id: int, step_id: int):
    step = _product_step_or_404(product_id, step_id)
    form = MoveStepForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.move_routing_step(step, -1 if form.direction.data == "up" else 1)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "warning")
    return redirect(url_for(".product", product_id=product_id))


@blueprint.route("/products/<int:product_id>/steps/<int:step_id>/delete", methods=["POST"])
@role_required(*LEADERS)
def delete_step(product_id: int, step_id: int):
    step = _product_step_or_404(product_id, step_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_routing_step(step)
    db.session.commit()
    flash(_("Step removed."), "success")
    return redirect(url_for(".product", product_id=product_id))


@blueprint.route("/products/<int:product_id>/variants", methods=["POST"])
@role_required(*LEADERS)
def add_variant(product_id: int):
    product = _get_or_404(Product, product_id)
    form = VariantForm(prefix="variant")
    if form.validate_on_submit():
        try:
            services.add_variant(product, form.label.data)
            db.session.commit()
        except DomainError as error:
            fail(form, error)
        else:
            flash(_("Variant added."), "success")
            return redirect(url_for(".product", product_id=product_id))
    return _render_product(_get_or_404(Product, product_id), variant_form=form, status=400)


@blueprint.route("/products/<int:product_id>/variants/<int:variant_id>/delete", methods=["POST"])
@role_required(*LEADERS)
def delete_variant(product_id: int, variant_id: int):
    variant = _get_or_404(ProductVariant, variant_id)
    if variant.product_id != product_id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.remove_variant(variant)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "warning")
        return redirect(url_for(".product", product_id=product_id)), 409
    flash(_("Variant removed."), "success")
    return redirect(url_for(".product", product_id=product_id))


# --- Work orders ----------------------------------------------------------------


@blueprint.route("/work-orders")
@role_required(*WORKSHOP_STAFF)
def work_orders():
    show_all = request.args.get("all") == "1"
    orders = workorders.site_work_orders(current_user.site, include_finished=show_all)
    return render_template("production/work_orders.html", work_orders=orders, show_all=show_all)


def _work_order_form() -> WorkOrderForm:
    form = WorkOrderForm()
    products = services.all_products()
    form.product_id.choices = [(product.id, product.name) for product in products]
    form.variant_id.choices = [(0, _("No variant"))] + [
        (variant.id, f"{product.name}: {variant.label}") for product in products for variant in product.variants
    ]
    return form


@blueprint.route("/work-orders/new", methods=["GET", "POST"])
@role_required(*LEADERS)
def new_work_order():
    form = _work_order_form()
    if form.validate_on_submit():
        product = db.session.get(Product, form.product_id.data)
        variant = db.session.get(ProductVariant, form.variant_id.data) if form.variant_id.data else None
        try:
            if product is None or not product.active:
                raise DomainError(_("Choose a product."), field="product_id")
            if form.due_date.data < local_today():
                raise DomainError(_("The due date has passed."), field="due_date")
            work_order = workorders.create_work_order(
                current_user.site, quantity=form.quantity.data, due_date=form.due_date.data,
                source_kind=SourceKind(form.source_kind.data), source_label=form.source_label.data,
                product=product, variant=variant, actor=current_user,
            )
            db.session.commit()
        except DomainError as error:
            fail(form, error)
        else:
            flash(_("Work order created. Release it to make tasks."), "success")
            return redirect(url_for(".work_order", work_order_id=work_order.id))
    return render_template("production/work_order_new.html", form=form), 400 if form.errors else 200


@blueprint.route("/work-orders/<int:work_order_id>")
@role_required(*WORKSHOP_STAFF)
def work_order(work_order_id: int):
    order = _site_object_or_404(WorkOrder, work_order_id)
    return render_template("production/work_order.html", work_order=order, empty_form=EmptyForm(),
                           booked=minutes_booked([task.id for task in order.tasks]))


def _work_order_action(work_order_id: int, action, message: str):
    order = _site_object_or_404(WorkOrder, work_order_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action(order)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        order = _site_object_or_404(WorkOrder, work_order_id)
        return render_template("production/work_order.html", work_order=order, empty_form=EmptyForm(),
                               booked=minutes_booked([task.id for task in order.tasks])), 409
    flash(message, "success")
    return redirect(url_for(".work_order", work_order_id=order.id))


@blueprint.route("/work-orders/<int:work_order_id>/release", methods=["POST"])
@role_required(*LEADERS)
def release_work_order(work_order_id: int):
    return _work_order_action(work_order_id, lambda order: workorders.release_work_order(order, current_user),
                              _("Released: the tasks are on the board."))


@blueprint.route("/work-orders/<int:work_order_id>/cancel", methods=["POST"])
@role_required(*LEADERS)
def cancel_work_order(work_order_id: int):
    return _work_order_action(work_order_id, lambda order: workorders.cancel_work_order(order, current_user),
                              _("The work order is cancelled."))


# --- Task board and tasks -------------------------------------------------------


def _int_arg(name: str) -> int | None:
    return whole_number(request.args.get(name))


def _status_form(task: Task, formdata=None) -> TaskStatusForm:
    form = TaskStatusForm(formdata=formdata, prefix=f"task{task.id}")
    form.status.choices = [(status.value, TASK_STATUS_LABELS[status])
                           for status in workorders.legal_next_statuses(task.status)]
    return form


@blueprint.route("/board")
@role_required(*WORKSHOP_STAFF)
def board():
    site = current_user.site
    filters = {"operation_id": _int_arg("operation"), "work_order_id": _int_arg("work_order"),
               "person_id": _int_arg("person")}
    show = request.args.get("show")
    expanded = next((status for status in workorders.BOARD_COLUMNS if status.value == show), None)
    columns = workorders.board_columns(site, **filters, expanded=expanded, page=_int_arg("page") or 1)
    tasks = [task for column in columns for task in column.tasks]
    # The filter offers the people at the workshop now (not years of former trainees), and keeps a chosen one.
    people = staffing_services.people_at_site(site, local_today(), with_courses=False)
    chosen = filters["person_id"] and db.session.get(Person, filters["person_id"])
    if chosen and chosen.site_id == site.id and chosen not in people:
        people.append(chosen)
    return render_template(
        "production/board.html", columns=columns, filters=filters, operations=services.all_operations(),
        work_orders=workorders.site_work_orders(site, include_finished=False), people=people,
        # The filters as query args, for the links that open or page a column.
        filter_args={arg: filters[key] for arg, key in (("operation", "operation_id"),
                                                        ("work_order", "work_order_id"), ("person", "person_id"))
                     if filters[key]},
        booked=minutes_booked([task.id for task in tasks]),
        next_statuses={status: workorders.legal_next_statuses(status) for status in workorders.BOARD_COLUMNS},
        column_limit=workorders.BOARD_COLUMN_LIMIT, count_limit=workorders.BOARD_COUNT_LIMIT,
    )


def _render_task(task: Task, status_form=None, rework_form=None, status: int = 200):
    return render_template(
        "production/task.html", task=task, booked=minutes_booked([task.id]).get(task.id, 0),
        status_form=status_form or _status_form(task, formdata=None),
        rework_form=rework_form or ReworkForm(prefix="rework", quantity=task.quantity),
        reworks=list(db.session.scalars(select(Task).where(Task.rework_of_id == task.id).order_by(Task.id))),
    ), status


@blueprint.route("/tasks/<int:task_id>")
@role_required(*WORKSHOP_STAFF)
def task(task_id: int):
    return _render_task(_site_object_or_404(Task, task_id))


@blueprint.route("/tasks/<int:task_id>/status", methods=["POST"])
@role_required(*WORKSHOP_STAFF)
def task_status(task_id: int):
    task = _site_object_or_404(Task, task_id)
    form = _status_form(task, formdata=request.form)
    if form.validate_on_submit():
        try:
            workorders.change_task_status(task, TaskStatus(form.status.data), current_user)
            db.session.commit()
        except DomainError as error:
            fail(form, error)
        else:
            flash(_("Status changed."), "success")
            back = request.args.get("back")
            return redirect(url_for(".board") if back == "board" else url_for(".task", task_id=task.id))
    return _render_task(_site_object_or_404(Task, task_id), status_form=form, status=400)


@blueprint.route("/tasks/<int:task_id>/rework", methods=["POST"])
@role_required(*WORKSHOP_STAFF)
def rework(task_id: int):
    task = _site_object_or_404(Task, task_id)
    form = ReworkForm(prefix="rework")
    if form.validate_on_submit():
        try:
            new_task = workorders.send_back_for_rework(task, form.quantity.data, form.reason.data, current_user)
            db.session.commit()
        except DomainError as error:
            fail(form, error)
        else:
            flash(_("Sent back for rework: a new task is on the board."), "success")
            return redirect(url_for(".task", task_id=new_task.id))
    return _render_task(_site_object_or_404(Task, task_id), rework_form=form, status=400)


# --- Capacity -------------------------------------------------------------------


def _parse_week(text: str | None) -> tuple[int, int]:
    """'2026-W48' -> (2026, 48); today's week when missing; 400 when malformed or not in 2000-2100."""
    if not text:
        year, week, _day = local_today().isocalendar()
        return year, week
    return iso_week(text) or abort(400)


@blueprint.route("/capacity")
@role_required(*WORKSHOP_STAFF)
def capacity():
    year, week = _parse_week(request.args.get("week"))
    result = capacity_service.week_capacity(current_user.site, year, week)
    return render_template("production/capacity.html", capacity=result, year=year, week=week,
                           previous_week=_week_code(result.monday - timedelta(days=7)),
                           next_week=_week_code(result.monday + timedelta(days=7)))


def _week_code(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"
