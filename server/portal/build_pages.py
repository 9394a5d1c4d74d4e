"""Forms that build packages for the common kinds — an idiom set, a poem for the booth — through the same
validator as uploads; every problem is shown next to the form field it came from."""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from flask import flash, redirect, render_template, request, url_for

from server.portal import accounts
from server.portal.access import acting_user, login_required
from server.portal.blueprint import engine, lang, now, portal_bp, store, tr
from server.portal.builders import (AUDIO_SUFFIXES, IMAGE_SUFFIXES, MODEL_SUFFIXES, WATERFALL_TAGS, PackageMeta,
                                    build_book, build_idiom_set, build_panorama, build_poem, build_treasure,
                                    build_waterfall, fill_pinyin, idioms_as_text, parse_hotspots, parse_idioms,
                                    parse_model_hotspots, parse_package_ids, poem_pinyin)

AGE_BANDS = ("3-5", "6-8", "9-12", "13+", "all")
MANIFEST_FIELDS = {"id": "package_id", "version": "version", "title": "title_zh", "title.zh-CN": "title_zh",
                   "title.en": "title_en", "description": "description_zh", "description.zh-CN": "description_zh",
                   "description.en": "description_zh", "age_bands": "age_bands", "credits": "credit_name",
                   "content.rounds": "rounds", "content.idioms": "idioms", "content.poems": "text",
                   "content.scoring": "scoring", "content.image": "image", "content.hotspots": "hotspots",
                   "content.start_yaw": "start_yaw", "content.model": "model", "content.view": "auto_rotate", "content.pages": "pages", "content.reading": "reading",
                   "content.packages": "packages", "content.tags": "tags", "content.columns": "columns",
                   "content.speed": "speed"}
POEM_FIELDS = {"title": "poem_title", "paragraphs": "text", "pinyin": "pinyin", "lrc": "lrc", "audio": "audio",
               "music": "music", "id": "poem_title", "author": "author", "dynasty": "dynasty"}
_ITEM = re.compile(r"^\[(\d+)\]\.?(\w*)")
_ASCII_NUMBER = re.compile(r"[0-9]{1,6}")


def _small_int(text: str) -> int:
    """A form's whole number in ASCII digits, else 0 ("²".isdigit() is true, but int("²") fails)."""
    text = text.strip()
    return int(text) if _ASCII_NUMBER.fullmatch(text) else 0


def _meta(form) -> PackageMeta:
    return PackageMeta(package_id=form.get("package_id", "").strip(), version=form.get("version", "").strip(),
                       title_zh=form.get("title_zh", "").strip(), title_en=form.get("title_en", "").strip(),
                       description_zh=form.get("description_zh", "").strip(),
                       age_bands=[b for b in form.getlist("age_bands") if b in AGE_BANDS] or ["all"],
                       credit_name=form.get("credit_name", "").strip() or acting_user().name,
                       license=form.get("license", "").strip() or "CC-BY-4.0")


def field_of(problem, data_file: str) -> tuple[str, str]:
    """(form field, prefix) for a validation problem; field "" means the form as a whole."""
    if problem.file == "experience.toml":
        hotspot = re.match(r"^content\.hotspots\[(\d+)\]", problem.field)
        if hotspot:
            return "hotspots", tr("build.item", n=int(hotspot.group(1)) + 1)
        for key in sorted(MANIFEST_FIELDS, key=len, reverse=True):
            if problem.field == key or problem.field.startswith(key + ".") or problem.field.startswith(key + "["):
                return MANIFEST_FIELDS[key], ""
        if problem.field.startswith("credits"):
            return "license" if "license" in problem.field else "credit_name", ""
        return "", ""
    if problem.file == data_file:
        match = _ITEM.match(problem.field)
        if data_file == "idioms.json":
            return "idioms", (tr("build.item", n=int(match.group(1)) + 1) if match else "")
        if match:
            return POEM_FIELDS.get(match.group(2), "text"), ""
        return "text", ""
    stem = Path(problem.file).stem
    if stem.startswith("page-"):
        return "pages", tr("build.page", n=_small_int(stem[5:]))
    if stem == "panorama":
        return "image", ""
    if stem == "model":
        return "model", ""
    if stem in ("audio", "music"):
        return stem, ""
    if problem.file.endswith(".lrc"):
        return "lrc", ""
    return "", ""


def _errors(report, data_file: str) -> tuple[dict[str, list[str]], list[str]]:
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in report.errors:
        name, prefix = field_of(problem, data_file)
        text = f"{prefix}{problem.message(lang())} {tr('upload.fix')}{problem.fix(lang())}"
        (by_field.setdefault(name, []) if name else general).append(text)
    return by_field, general


def _pack_and_store(folder: Path, data_file: str, what: str, errors: dict[str, list[str]]):
    """Validate and pack the built folder, then store it like an upload; (version_id or None, general problems).
    The validator's field problems join the form's own `errors`; when the form already had some, nothing is
    stored and only the validator's problems are collected."""
    from experiences.validation import pack_package, validate_package

    if errors:
        report = validate_package(folder)
    else:
        zip_path = store().incoming(f"{what}.zip")
        report = pack_package(folder, zip_path)
        if report.ok:
            ingested = store().ingest(zip_path, acting_user().name)
            if ingested.ok:
                return ingested.version_id, []
            report = ingested.report
        else:
            shutil.rmtree(zip_path.parent, ignore_errors=True)
    found, general = _errors(report, data_file)
    for name, texts in found.items():
        errors.setdefault(name, []).extend(texts)
    return None, general


def _posted_values(defaults: dict, lists: tuple[str, ...] = ()) -> dict:
    """What the form shows: `defaults` at first, then what was posted (multi-valued fields as lists)."""
    if request.method != "POST":
        return {"version": "1.0.0", "license": "CC-BY-4.0", "age_bands": ["all"]} | defaults
    form = request.form
    return {k: form.get(k, "") for k in form} | {name: form.getlist(name) for name in ("age_bands", *lists)}


def _form_page(template: str, values: dict, errors: dict, general: list[str], **extra):
    """A form page again: 422 with every problem beside its field, or 200 when there is none."""
    status = 422 if (errors or general) else 200
    return render_template(template, values=values, errors=errors, general=general, age_bands=AGE_BANDS,
                           **extra), status


def _stored(version_id: int, what: str):
    from server.portal.pages import _start_preview
    from server.portal.store import version_row

    row = version_row(engine(), version_id)
    accounts.audit(engine(), acting_user().name, f"build_{what}", f"{row['package_id']} {row['version']}",
                   f"version #{version_id} sha256 {row['sha256']}", now=now())
    _start_preview(version_id)
    flash(tr("upload.stored", id=row["package_id"], version=row["version"]))
    return redirect(url_for("portal.version", version_id=version_id))


@portal_bp.route("/build/idioms", methods=["GET", "POST"])
@login_required("curator")
def build_idioms():
    form = request.form
    values = _posted_values({"rounds": "8", "age_bands": ["6-8", "9-12"]})
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        text = form.get("idioms", "")
        uploaded = request.files.get("idioms_file")
        if uploaded is not None and uploaded.filename:
            text = uploaded.stream.read(5 * 1024 * 1024).decode("utf-8-sig", "replace")
        records, bad_lines = parse_idioms(text)
        records = fill_pinyin(records)
        values["idioms"] = idioms_as_text(records) if records else text
        if bad_lines:
            errors["idioms"] = [tr("build.bad_line", line=n, text=raw[:40]) for n, raw in bad_lines]
        if not records:
            errors.setdefault("idioms", []).append(tr("build.no_idioms"))
        rounds = _small_int(form.get("rounds", ""))
        if not 1 <= rounds <= 30:
            errors["rounds"] = [tr("build.rounds_number")]
            rounds = None  # left out, so the kind's own checks of the idioms still run
        if form.get("action") == "fill" and records:
            flash(tr("build.pinyin_filled"))
        elif records:
            with tempfile.TemporaryDirectory() as scratch:
                folder = Path(scratch) / "idioms"
                build_idiom_set(folder, _meta(form), records, rounds)
                version_id, general = _pack_and_store(folder, "idioms.json", "idioms", errors)
            if version_id is not None:
                return _stored(version_id, "idioms")
    return _form_page("build_idioms.html", values, errors, general)


def _upload_of(name: str, suffixes: tuple[str, ...], errors: dict) -> tuple[str, bytes] | None:
    uploaded = request.files.get(name)
    if uploaded is None or not uploaded.filename:
        return None
    if Path(uploaded.filename).suffix.lower() not in suffixes:
        errors[name] = [tr("build.wrong_type", expected=", ".join(suffixes))]
        return None
    return uploaded.filename, uploaded.stream.read(60 * 1024 * 1024)


@portal_bp.route("/build/poem", methods=["GET", "POST"])
@login_required("curator")
def build_poem_page():
    form = request.form
    values = _posted_values({"scoring": "on"})
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        paragraphs = [line.strip() for line in form.get("text", "").splitlines() if line.strip()]
        typed = [line.split() for line in form.get("pinyin", "").splitlines() if line.strip()]
        pinyin = poem_pinyin(paragraphs)
        if typed and len(typed) == len(paragraphs):
            # Typed syllables go under the Han characters of their line; punctuation keeps "".
            pinyin = [_align(line, syllables) for line, syllables in zip(paragraphs, typed)]
        values["pinyin"] = "\n".join(" ".join(s for s in row if s) for row in pinyin)
        if not paragraphs:
            errors["text"] = [tr("build.no_text")]
        files = {}
        for key, suffixes in (("audio", AUDIO_SUFFIXES), ("lrc", (".lrc",)), ("music", AUDIO_SUFFIXES)):
            got = _upload_of(key, suffixes, errors)
            if got is not None:
                files[key] = got
        if "lrc" in files and "audio" not in files:
            errors["lrc"] = [tr("build.lrc_needs_audio")]
        if form.get("action") == "fill":
            flash(tr("build.pinyin_filled"))
        elif paragraphs:
            poem = {"id": "poem", "title": form.get("poem_title", "").strip(), "author": form.get("author", "").strip(),
                    "dynasty": form.get("dynasty", "").strip(), "paragraphs": paragraphs, "pinyin": pinyin}
            meta = _meta(form)
            meta.title_zh = meta.title_zh or poem["title"]
            with tempfile.TemporaryDirectory() as scratch:
                folder = Path(scratch) / "poem"
                build_poem(folder, meta, poem, files, scoring=bool(form.get("scoring")))
                version_id, general = _pack_and_store(folder, "poems.json", "poem", errors)
            if version_id is not None:
                return _stored(version_id, "poem")
    return _form_page("build_poem.html", values, errors, general)


def _align(line: str, syllables: list[str]) -> list[str]:
    from server.portal.builders import _HAN

    it = iter(syllables)
    return [next(it, "") if _HAN.match(ch) else "" for ch in line]


def _exhibit_form(what: str, file_field: str, suffixes: tuple[str, ...], parse, build, number_field: str,
                  defaults: dict):
    """The panorama and treasure forms: one uploaded file, one number, hotspots one per line."""
    form = request.form
    values = _posted_values(defaults)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        hotspots, bad_lines = parse(form.get("hotspots", ""))
        if bad_lines:
            errors["hotspots"] = [tr(f"build.bad_hotspot_{what}", line=n, text=raw[:40]) for n, raw in bad_lines]
        try:
            number = float(form.get(number_field) or defaults[number_field])
        except ValueError:
            errors[number_field] = [tr("build.number_required")]
            number = float(defaults[number_field])
        upload = _upload_of(file_field, suffixes, errors)
        if upload is None and file_field not in errors:
            errors[file_field] = [tr(f"build.{file_field}_required")]
        if upload is not None:
            with tempfile.TemporaryDirectory() as scratch:
                folder = Path(scratch) / what
                build(folder, _meta(form), upload, hotspots, number)
                version_id, general = _pack_and_store(folder, "", what, errors)
            if version_id is not None:
                return _stored(version_id, what)
    return _form_page(f"build_{what}.html", values, errors, general)


@portal_bp.route("/build/panorama", methods=["GET", "POST"])
@login_required("curator")
def build_panorama_page():
    return _exhibit_form("panorama", "image", IMAGE_SUFFIXES, parse_hotspots, build_panorama, "start_yaw",
                         {"start_yaw": "0"})


@portal_bp.route("/build/treasure", methods=["GET", "POST"])
@login_required("curator")
def build_treasure_page():
    lighting = request.form.get("lighting", "auto")

    def build(folder, meta, upload, hotspots, auto_rotate):
        return build_treasure(folder, meta, upload, hotspots, auto_rotate, lighting)

    return _exhibit_form("treasure", "model", MODEL_SUFFIXES, parse_model_hotspots, build, "auto_rotate",
                         {"auto_rotate": "12", "lighting": "auto"})


@portal_bp.route("/build/book", methods=["GET", "POST"])
@login_required("curator")
def build_book_page():
    form = request.form
    values = _posted_values({"reading": "ltr"})
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        pages = []
        for uploaded in request.files.getlist("pages"):
            if not uploaded.filename:
                continue
            if Path(uploaded.filename).suffix.lower() not in IMAGE_SUFFIXES:
                errors.setdefault("pages", []).append(
                    tr("build.wrong_type", expected=", ".join(IMAGE_SUFFIXES)) + f" ({uploaded.filename[:60]})")
                continue
            pages.append((uploaded.filename, uploaded.stream.read(60 * 1024 * 1024)))
        if not pages:
            errors.setdefault("pages", []).append(tr("build.pages_required"))
        else:
            with tempfile.TemporaryDirectory() as scratch:
                folder = Path(scratch) / "book"
                build_book(folder, _meta(form), pages, form.get("reading", "ltr"))
                version_id, general = _pack_and_store(folder, "", "book", errors)
            if version_id is not None:
                return _stored(version_id, "book")
    return _form_page("build_book.html", values, errors, general)


def _number_in(form, name: str, low: float, high: float, default: float, errors: dict, whole: bool = False):
    raw = (form.get(name) or "").strip() or str(default)
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        errors[name] = [tr("build.number_between", low=low, high=high)]
        return default
    return value


@portal_bp.route("/build/waterfall", methods=["GET", "POST"])
@login_required("curator")
def build_waterfall_page():
    """The e-book waterfall (attract loop): all installed packages or a list, narrowed by kind or age band."""
    from server.portal.store import list_versions

    form = request.form
    values = _posted_values({"which": "all", "columns": "5", "speed": "2", "tags": []}, lists=("tags",))
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        packages = None
        if form.get("which") == "list":
            packages, bad_lines = parse_package_ids(form.get("packages", ""))
            if bad_lines:
                errors["packages"] = [tr("build.bad_package_id", line=n, text=raw[:60]) for n, raw in bad_lines]
            elif not packages:
                errors["packages"] = [tr("build.packages_required")]
        columns = _number_in(form, "columns", 2, 8, 5, errors, whole=True)
        speed = _number_in(form, "speed", 0.5, 6, 2.0, errors)
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "waterfall"
            build_waterfall(folder, _meta(form), packages, form.getlist("tags"), columns, speed)
            version_id, general = _pack_and_store(folder, "", "waterfall", errors)
        if version_id is not None:
            return _stored(version_id, "waterfall")
    known = {}
    for row in list_versions(engine()):
        known.setdefault(row["package_id"], row["title"].get(lang()) or row["title"].get("zh-CN") or "")
    return _form_page("build_waterfall.html", values, errors, general, tags=WATERFALL_TAGS,
                      known=sorted(known.items()))
