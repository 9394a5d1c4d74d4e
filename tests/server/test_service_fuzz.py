"""Property-based fuzzing of every endpoint outside /xapi (test_lrs_fuzz.py does the xAPI): portal forms (each
form's own fields, read from its page), portal and kiosk APIs, share upload and pages, the wall, the staff
reports and recommendations. Whatever is sent, the answer is never a 5xx (with TESTING on, an exception in a
view fails the test with its traceback). Bounded: ~25 examples a test, one app for the module."""
from __future__ import annotations

import io
import os
import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.auth import create_credential
from server.portal import publish as publishing
from tests.server.conftest import basic
from tests.server.portal_helpers import CSRF_RE, engine_of, good_zip, kiosk_auth, make_app, signed_in, upload

FUZZ = settings(max_examples=int(os.environ.get("YUEDU_FUZZ_EXAMPLES", "25")), deadline=timedelta(seconds=5),
                derandomize="YUEDU_FUZZ_EXAMPLES" not in os.environ, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
WALL_TOKEN = "fuzz-wall-token"

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
odd = st.sampled_from(["", " ", "0", "-1", "²", "1e400", "NaN", "9" * 30, "2026-13-45", "2026-02-30T25:61",
                       "2026-11-25", "1970-01-01", "../../etc/passwd", "%00", "\x00", "\r\nSet-Cookie: x=1",
                       "<script>alert(1)</script>", "=HYPERLINK(1)", "[" * 5000, "{" * 3000, "x" * 5000, "💥",
                       "all", "branch", "kiosk", "admin", "curator", "disable", "enable", "unlock", "reset",
                       "fill", "auto", "pbr", "rtl", "*", "daily", "packages", "idioms", "zh-CN", "en"]) | text
json_scalars = st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | text
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(text, inner, max_size=4), max_leaves=12)
bodies = st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode())
FIELD_RE = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"[^>]*>')
FILE_RE = re.compile(r'<input\b[^>]*\btype="file"[^>]*\bname="([^"]+)"|<input\b[^>]*\bname="([^"]+)"[^>]*\btype="file"')


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    now = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
    app = make_app(tmp, WALL_TOKEN=WALL_TOKEN, WALL_CLOCK=lambda: now)
    curator, admin = signed_in(app, "curator", "cur"), signed_in(app, "admin", "adm")
    upload(curator, good_zip(tmp))
    publishing.publish(engine_of(app), 1, "all", by="cur")
    kiosk, _, _ = kiosk_auth(app, "fuzz-kiosk")
    staff = create_credential(engine_of(app), "staff", "admin")
    yield {"app": app, "curator": curator, "admin": admin, "kiosk": kiosk,
           "staff": {"Authorization": basic(staff.principal.key, staff.secret)}}
    engine_of(app).dispose()


def _ok(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: HTTP {response.status_code}"


# Form pages: (who, page the form is on, where it posts). Logout is left out: it would end the session.
FORMS = [("anonymous", "/portal/login", "/portal/login"), ("curator", "/portal/password", "/portal/password"),
         ("curator", "/portal/upload", "/portal/upload"), ("curator", "/portal/versions/1", "/portal/versions/1/publish"),
         ("curator", "/portal/versions/1", "/portal/publications/1/unpublish"),
         ("curator", "/portal/versions/1", "/portal/publications/1/rollback"),
         ("admin", "/portal/admin/users", "/portal/admin/users"), ("admin", "/portal/admin/kiosks", "/portal/admin/kiosks"),
         ("admin", "/portal/admin/users", "/portal/admin/users/{n}/{word}"),
         ("admin", "/portal/admin/kiosks", "/portal/admin/kiosks/{word}/branch"),
         ("admin", "/portal/admin/kiosks", "/portal/admin/kiosks/{word}/revoke")] + [
        ("curator", f"/portal/build/{kind}", f"/portal/build/{kind}")
        for kind in ("idioms", "poem", "panorama", "book", "treasure", "waterfall")]


FIELDS: dict[str, tuple[list[str], set[str]]] = {}
PER_FORM = settings(FUZZ, max_examples=max(8, FUZZ.max_examples // 2))


@pytest.mark.parametrize("who,page,action", FORMS, ids=[action for _who, _page, action in FORMS])
@PER_FORM
@given(data=st.data())
def test_portal_forms_never_give_a_server_error(world, who, page, action, data):
    client = world["app"].test_client() if who == "anonymous" else world[who].client
    html = client.get(page).get_data(as_text=True)
    token = CSRF_RE.search(html)
    if page not in FIELDS:  # read once: what is drawn must not depend on state earlier examples changed
        FIELDS[page] = (sorted(set(FIELD_RE.findall(html)) - {"csrf_token"}), {a or b for a, b in FILE_RE.findall(html)})
    names, files = FIELDS[page]
    form: dict = {"csrf_token": token.group(1) if token else ""}
    for name in data.draw(st.lists(st.sampled_from(names), unique=True)) if names else []:
        if name in files:
            form[name] = (io.BytesIO(data.draw(st.binary(max_size=200))), data.draw(text) or "f.bin")
        else:
            form[name] = data.draw(st.lists(odd, min_size=1, max_size=3)) if data.draw(st.booleans()) else data.draw(odd)
    if data.draw(st.booleans()):
        form[data.draw(text) or "extra"] = data.draw(odd)
    url = action.format(n=data.draw(st.integers(-1, 5)), word=re.sub(r"[/?#%]", "", data.draw(odd)) or "x")
    query = {"next": data.draw(odd), "lang": data.draw(odd)} if data.draw(st.booleans()) else {}
    _ok(client.post(url, data=form, query_string=query, content_type="multipart/form-data"), f"POST {url}")


@FUZZ
@given(data=st.data(), body=bodies)
def test_portal_and_kiosk_apis_never_give_a_server_error(world, data, body):
    app = world["app"]
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {world['curator'].user.token}"}
    _ok(client.post("/portal/api/kiosk/heartbeat", data=body, content_type=data.draw(
        st.sampled_from(["application/json", "text/plain", "multipart/form-data; boundary=x"])),
        headers=world["kiosk"]), "heartbeat")
    _ok(client.get("/portal/api/kiosk/catalog", headers=dict(world["kiosk"], **{
        "If-None-Match": data.draw(odd).replace("\r", "").replace("\n", "")})), "catalog")
    _ok(client.get(f"/portal/api/kiosk/versions/{data.draw(st.integers(0, 2**40))}.zip", headers=world["kiosk"]),
        "version download")
    _ok(client.post("/portal/api/upload", headers=bearer, content_type="multipart/form-data",
                    data={"package": (io.BytesIO(body), data.draw(text) or "p.zip")}), "api upload")
    _ok(client.post("/portal/api/upload", headers=bearer, data=body, content_type="application/zip"), "api upload raw")
    _ok(client.get("/healthz"), "healthz")


@FUZZ
@given(data=st.data())
def test_share_upload_and_pages_never_give_a_server_error(world, data):
    client = world["app"].test_client()
    meta = data.draw(json_values | odd.map(json.dumps) | st.fixed_dictionaries({}, optional={
        key: json_values | odd for key in ("token", "upload_id", "delete_code", "poem_id", "poem_title", "poem_text",
                                           "scores", "nickname", "days", "audio")}).map(json.dumps))
    form = {"meta": meta if isinstance(meta, str) else json.dumps(meta)}
    if data.draw(st.booleans()):
        form["audio"] = (io.BytesIO(data.draw(st.binary(max_size=400))), "a.ogg")
    _ok(client.post("/s/api/upload", data=form, headers=world["kiosk"], content_type="multipart/form-data"),
        "share upload")
    token = re.sub(r"[/?#%]", "", data.draw(odd)) or "x"
    _ok(client.get(f"/s/{token}"), "share page")
    _ok(client.get(f"/s/{token}/audio", query_string={"download": data.draw(odd)}), "share audio")
    _ok(client.post(f"/s/{token}/delete", data={"code": data.draw(odd)}), "share delete")


PARTS = ["visitors", "plays", "idioms", "poems", "hours", "places", "ages", "content", "all"]
QUERY_KEYS = ["start", "end", "branch", "lang", "table", "token", "after", "age_band", "kiosk", "k", "screen", "have"]


@FUZZ
@given(data=st.data())
def test_wall_reports_and_recommendations_never_give_a_server_error(world, data):
    client = world["app"].test_client()
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_KEYS) | text, odd, max_size=5))
    if data.draw(st.booleans()):
        query["token"] = WALL_TOKEN
    _ok(client.get("/wall", query_string=query), "wall")
    _ok(client.get("/wall/panels", query_string=query), "wall panels")
    part = data.draw(st.sampled_from(PARTS) | (odd.map(lambda s: re.sub(r"[/?#%]", "", s) or "x")))
    _ok(client.get(f"/wall/api/{part}", query_string=query), "wall part")
    _ok(client.get("/wall/reports", query_string=query, headers=world["staff"]), "reports")
    _ok(client.get("/wall/reports.csv", query_string=query, headers=world["staff"]), "reports csv")
    _ok(client.get("/api/recommendations", query_string=query, headers=world["kiosk"]), "recommendations")


def test_a_superscript_digit_is_not_a_number(world):
    """Found while writing the fuzzing above: "²".isdigit() is true, but int("²") raised (a 500 on the idiom
    builder). Pinned here, as the fuzzer draws it only now and then."""
    page = world["curator"].post("/portal/build/idioms", {"rounds": "²", "idioms": "画蛇添足"},
                                 page="/portal/build/idioms")
    assert page.status_code == 422 and 'id="rounds-error"' in page.get_data(as_text=True)


def test_a_form_part_without_a_name_is_a_400(world):
    """Found by the fuzzing above: a multipart part with no name made Flask-WTF's token search raise (a 500
    for anyone, on any form, the sign-in page included)."""
    body = b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n"
    for path in ("/portal/login", "/s/" + "x" * 30 + "/delete"):
        response = world["app"].test_client().post(path, data=body, content_type="multipart/form-data; boundary=b")
        assert response.status_code == 400
