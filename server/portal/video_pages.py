"""视频背景与音乐: a curator picks a poem of a recitation package and uploads the picture and/or music of the
family's video (or clears them); the portal makes a new version of the package (server/portal/video_art.py),
checks it with the runtime's validator and stores it like an upload, and publishes it wherever the version it
came from is live, so kiosks receive it with their next sync."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for

from experiences.package import PackageSource

from server.portal import accounts, publish as publishing
from server.portal.access import acting_user, login_required
from server.portal.blueprint import engine, lang, now, portal_bp, store, target_words, tr
from server.portal.store import list_versions, version_row
from server.portal.video_art import PACKAGE_DEFAULT, EditError, apply_media, next_version, poem_choices

FIELDS = {"video_background": "background", "video_music": "music"}  # package key → form field
MAX_UPLOAD = 60 * 1024 * 1024  # read at most this much of one file (the validator's own limits are lower)


def _suffixes(key: str) -> tuple[str, ...]:
    from recitation.video.media import BACKGROUND_SUFFIXES, MUSIC_SUFFIXES

    return BACKGROUND_SUFFIXES if key == "video_background" else MUSIC_SUFFIXES


@portal_bp.route("/video")
@login_required("curator")
def video_packages():
    """The recitation packages (their newest version) to pick from."""
    newest: dict[str, dict] = {}
    for row in list_versions(engine()):
        if row["kind"] == "recitation":
            newest.setdefault(row["package_id"], row)  # list_versions gives the newest first per package
    return render_template("video_art_packages.html", packages=sorted(newest.values(), key=lambda r: r["package_id"]))


def _unpacked(row: dict, scratch: Path) -> Path:
    from experiences.validation.extract import safe_extract

    folder = scratch / "package"
    report = safe_extract(store().path_of(row["sha256"]), folder)
    if not report.ok:  # a stored version was valid when it came in; this would be a damaged store
        abort(500)
    return folder


def _field_of(problem) -> str:
    """Which form field a validation problem belongs to ("" the page as a whole)."""
    for key, field in FIELDS.items():
        if problem.field.endswith(key) or Path(problem.file).stem.endswith("-" + field):
            return field
    return ""


@portal_bp.route("/versions/<int:version_id>/video", methods=["GET", "POST"])
@login_required("curator")
def video_media_page(version_id: int):
    row = version_row(engine(), version_id)
    if row is None:
        abort(404)
    if row["kind"] != "recitation":
        flash(tr("videoart.not_recitation"), "error")
        return redirect(url_for("portal.version", version_id=version_id))
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    chosen = request.values.get("poem", PACKAGE_DEFAULT)
    live = [p for p in publishing.list_publications(engine()) if p["version_id"] == version_id]
    with PackageSource(store().path_of(row["sha256"])) as source:
        poems, defaults = poem_choices(source)
    if chosen != PACKAGE_DEFAULT and not any(p.id == chosen for p in poems):
        chosen = PACKAGE_DEFAULT
    if request.method == "POST":
        with tempfile.TemporaryDirectory() as scratch:  # the whole package, to pack again with the change
            made = _make_version(row, _unpacked(row, Path(scratch)), chosen, live, errors, general)
        if made is not None:
            return made
    status = 422 if (errors or general) else 200
    return render_template("video_art.html", v=row, poems=poems, defaults=defaults, chosen=chosen, errors=errors,
                           general=general, live=live, where="、".join(target_words(p) for p in live),
                           publish_same=request.method != "POST" or bool(request.form.get("publish_same"))), status


def _make_version(row: dict, folder: Path, chosen: str, live: list[dict], errors: dict, general: list[str]):
    from experiences.validation import pack_package

    form = request.form
    uploads: dict[str, tuple[str, bytes]] = {}
    for key, field in FIELDS.items():
        uploaded = request.files.get(field)
        if uploaded is None or not uploaded.filename:
            continue
        suffix = Path(uploaded.filename).suffix.lower()
        if suffix not in _suffixes(key):
            errors[field] = [tr("videoart.wrong_type", suffix=suffix or "—",
                                expected="、".join(s.lstrip(".").upper() for s in _suffixes(key)))]
            continue
        uploads[key] = (uploaded.filename, uploaded.stream.read(MAX_UPLOAD + 1))
    clear = {key for key, field in FIELDS.items() if form.get(f"clear_{field}") and key not in uploads}
    if errors:
        return None
    if not uploads and not clear:
        general.append(tr("videoart.nothing"))
        return None
    taken = {r["version"] for r in list_versions(engine(), row["package_id"])}
    try:
        version = next_version(row["version"], taken)
        changed = apply_media(folder, chosen, uploads, clear, version)
    except EditError as exc:
        general.append(tr(f"videoart.edit_{exc.code}", **exc.params))
        return None
    zip_path = store().incoming("video-media.zip")
    report = pack_package(folder, zip_path)
    if report.ok:
        ingested = store().ingest(zip_path, acting_user().name)
        report = ingested.report
    else:
        shutil.rmtree(zip_path.parent, ignore_errors=True)
        ingested = None
    if ingested is None or not ingested.ok:
        for problem in report.errors:
            text = f"{problem.message(lang())} {tr('upload.fix')}{problem.fix(lang())}"
            field = _field_of(problem)
            (errors.setdefault(field, []) if field else general).append(text)
        return None
    new_id = ingested.version_id
    published = bool(live and form.get("publish_same"))
    for pub in live if published else []:  # kiosks that ran the old version get the new one at their next sync
        publishing.publish(engine(), new_id, pub["target_type"], pub["target"], pub["starts"], pub["ends"],
                           by=acting_user().name)
    what = ", ".join(changed)
    accounts.audit(engine(), acting_user().name, "video_media", f"{row['package_id']} {version}",
                   f"version #{new_id} from #{row['id']}: {chosen or 'package default'} {what}", now=now())
    from server.portal.pages import _start_preview

    _start_preview(new_id)
    flash(tr("videoart.stored_published" if published else "videoart.stored", version=version))
    return redirect(url_for("portal.version", version_id=new_id))
