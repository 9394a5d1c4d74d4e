"""Staff pages for floor plans: upload a plan image, then mark shelves on it (drag a box on the plan, or type its
position) with a location code and/or a call-number range. Cards then carry the shelf's map
(server/catalogue/plans.py: which shelf a copy stands on; server/catalogue/routes.py: card_json)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from server.catalogue.images import PLAN_MAX_BYTES, ImageError, store_plan
from server.catalogue.plans import MAX_PLANS, MAX_SHELVES, FloorPlan, PlanError, make_shelf, new_id
from server.portal.access import login_required
from server.portal.blueprint import lang, portal_bp, tr
from server.portal.pages import _audit

PLAN_IMAGE_TYPES = ".png,.jpg,.jpeg,.gif,.webp,image/png,image/jpeg,image/gif,image/webp"
SHELF_FIELDS = ("x", "y", "w", "h", "label", "location", "call_from", "call_to")


def _store():
    from server.catalogue.routes import catalogue_store

    return catalogue_store()


def _image_url(plan: FloorPlan) -> str:
    from server.catalogue.images import image_path

    return image_path("plans", plan.image)


def _plan_or_404(plans, plan_id: str) -> FloorPlan:
    plan = next((p for p in plans if p.id == plan_id), None)
    if plan is None:
        abort(404)
    return plan


def _zh_or_en(error) -> str:
    return error.zh if lang() == "zh-CN" else error.en


@portal_bp.get("/catalogue/plans")
@login_required("curator")
def plans_page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    plans = _store().plans()
    return render_template("plans.html", plans=plans, image_url=_image_url, errors=errors or {},
                           values=values or {}, accept=PLAN_IMAGE_TYPES), status


@portal_bp.post("/catalogue/plans")
@login_required("curator")
def plan_upload():
    from server.catalogue.routes import images_root

    name = " ".join(request.form.get("name", "").split())[:100]
    image = request.files.get("image")
    if not name or image is None or not image.filename:
        return plans_page({"image": tr("plans.missing")}, {"name": name}, 400)
    store = _store()
    plans = store.plans()
    if len(plans) >= MAX_PLANS:
        abort(400)
    try:
        stored, width, height = store_plan(images_root(), image.read(PLAN_MAX_BYTES + 1))  # larger: refused
    except ImageError as error:
        return plans_page({"image": tr("plans.image_error", error=_zh_or_en(error))}, {"name": name}, 400)
    plan = FloorPlan(new_id(), name, stored, width, height)
    store.save_plans(plans + [plan])
    _audit("catalogue_plan_upload", plan.id, name)
    flash(tr("plans.uploaded", name=name))
    return redirect(url_for("portal.plan_page", plan_id=plan.id))


@portal_bp.get("/catalogue/plans/<plan_id>")
@login_required("curator")
def plan_page(plan_id: str, errors: dict | None = None, values: dict | None = None, status: int = 200):
    plan = _plan_or_404(_store().plans(), plan_id)
    return render_template("plan.html", plan=plan, image=_image_url(plan), errors=errors or {},
                           values=values or {}), status


@portal_bp.post("/catalogue/plans/<plan_id>/shelves")
@login_required("curator")
def shelf_add(plan_id: str):
    store = _store()
    plans = store.plans()
    plan = _plan_or_404(plans, plan_id)
    values = {k: request.form.get(k, "") for k in SHELF_FIELDS}
    try:
        if len(plan.shelves) >= MAX_SHELVES:
            raise PlanError("这张图上的书架太多了", "too many shelves on this plan")
        shelf = make_shelf(**values)
    except PlanError as error:
        return plan_page(plan_id, {"shelf": tr("plans.shelf_error", error=_zh_or_en(error))}, values, 400)
    plan.shelves.append(shelf)
    store.save_plans(plans)
    _audit("catalogue_shelf_add", plan.id, f"{shelf.label} {shelf.location} {shelf.call_from}-{shelf.call_to}")
    flash(tr("plans.shelf_saved"))
    return redirect(url_for("portal.plan_page", plan_id=plan.id))


@portal_bp.post("/catalogue/plans/<plan_id>/shelves/<shelf_id>/delete")
@login_required("curator")
def shelf_delete(plan_id: str, shelf_id: str):
    store = _store()
    plans = store.plans()
    plan = _plan_or_404(plans, plan_id)
    plan.shelves = [s for s in plan.shelves if s.id != shelf_id]
    store.save_plans(plans)
    _audit("catalogue_shelf_delete", plan.id, shelf_id)
    flash(tr("plans.shelf_deleted"))
    return redirect(url_for("portal.plan_page", plan_id=plan.id))


@portal_bp.post("/catalogue/plans/<plan_id>/delete")
@login_required("curator")
def plan_delete(plan_id: str):
    store = _store()
    plans = store.plans()
    _plan_or_404(plans, plan_id)
    store.save_plans([p for p in plans if p.id != plan_id])
    _audit("catalogue_plan_delete", plan_id)
    flash(tr("plans.plan_deleted"))
    return redirect(url_for("portal.plans_page"))
