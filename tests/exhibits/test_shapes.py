"""Pure pieces of the exhibits: page curl, orbit camera, equirectangular mapping, book layout, GLB round trip."""
from __future__ import annotations

import numpy as np
import pytest

from experiences.exhibits import geometry, glb, page_curl
from experiences.exhibits.book_text import BookTextError, Section, paginate, parse_book_text
from experiences.exhibits.equirect import directions, equirect_from_faces
from experiences.exhibits.orbit import OrbitCamera, OrbitLimits, OrbitView


@pytest.mark.parametrize("progress", [0.0, 0.25, 0.5, 0.8, 1.0])
def test_curled_page_keeps_its_width_and_stays_hinged_at_the_spine(progress):
    s, t, _ = page_curl.leaf_mesh(1.0, 1.5)
    positions, normals = page_curl.curl_shape(s, t, progress, 1.0, 1.5, side=1)
    rows = positions.reshape(-1, page_curl.COLUMNS + 1, 3)
    lengths = np.linalg.norm(np.diff(rows, axis=1), axis=2).sum(axis=1)
    assert lengths == pytest.approx(np.ones(len(rows)), abs=0.01)  # paper does not stretch
    assert np.abs(rows[:, 0, 0]).max() < 1e-9  # hinged on the spine
    assert np.linalg.norm(normals, axis=1) == pytest.approx(np.ones(len(normals)))
    if progress == 0.0:
        assert rows[:, -1, 0] == pytest.approx(np.ones(len(rows)))  # flat on the right
    if progress == 1.0:
        assert rows[:, -1, 0] == pytest.approx(-np.ones(len(rows)))  # flat on the left


def test_right_to_left_books_mirror_the_turn():
    s, t, _ = page_curl.leaf_mesh(1.0, 1.5)
    ltr, _ = page_curl.curl_shape(s, t, 0.4, 1.0, 1.5, side=1)
    rtl, _ = page_curl.curl_shape(s, t, 0.4, 1.0, 1.5, side=-1)
    assert rtl[:, 0] == pytest.approx(-ltr[:, 0]) and rtl[:, 2] == pytest.approx(ltr[:, 2])


def test_orbit_respects_limits_and_resumes_auto_rotate_after_quiet():
    orbit = OrbitCamera(view=OrbitView(distance=3.0, pitch=10.0),
                        limits=OrbitLimits(min_distance=2.0, max_distance=4.0, min_pitch=0.0, max_pitch=30.0,
                                           max_pan=0.25),
                        auto_rotate=10.0, resume_after=3.0)
    orbit.zoom(100.0, now=0.0)
    assert orbit.distance == 2.0
    orbit.drag(0, 10_000, now=0.0)
    assert orbit.pitch == 30.0
    orbit.pan_by(10_000, 0, now=0.0)
    assert np.linalg.norm(orbit.pan) == pytest.approx(0.25)
    orbit.tick(1.0, now=2.9)
    yaw = orbit.yaw
    assert not orbit.rotating(2.9)
    orbit.tick(1.0, now=3.0)
    assert orbit.yaw == pytest.approx(yaw + 10.0)
    position, target = orbit.pose()
    assert np.linalg.norm(np.subtract(position, target)) == pytest.approx(2.0)
    orbit.reset()
    assert (orbit.distance, orbit.pitch, orbit.pan) == (3.0, 10.0, [0.0, 0.0, 0.0])


def test_equirect_takes_each_direction_from_the_face_that_sees_it():
    # Two faces, ahead (+Y) painted red and to the right (+X) painted green.
    ahead = ((1, 0, 0), (0, 1, 0), (0, 0, 1))
    right = ((0, -1, 0), (1, 0, 0), (0, 0, 1))
    red = np.zeros((8, 8, 3), np.uint8)
    red[..., 0] = 255
    green = np.zeros((8, 8, 3), np.uint8)
    green[..., 1] = 255
    pano = equirect_from_faces([(ahead, red), (right, green)], 64)
    assert tuple(pano[16, 32]) == (255, 0, 0)  # centre: yaw 0
    assert tuple(pano[16, 48]) == (0, 255, 0)  # three quarters across: yaw +90
    assert tuple(pano[16, 0]) == (0, 0, 0)  # behind: no face
    d = directions(64)
    assert d[16, 48] == pytest.approx([1, 0, 0], abs=0.06)


def test_book_text_paginates_sections_without_splitting_short_poems():
    sections = [Section("静夜思", "李白", ("床前明月光，疑是地上霜。", "举头望明月，低头思故乡。")) for _ in range(5)]
    pages = paginate(sections, columns_per_page=8, cells=16)
    for page in pages:
        assert len(page) <= 8
        starts = [c.section for c in page if c.role == "title"]
        for index in starts:  # every poem that starts on a page ends on it
            assert [c.section for c in page].count(index) == 4
    assert sum(1 for page in pages for c in page if c.role == "text") == 10
    with pytest.raises(BookTextError, match="sections\\[0\\].lines"):
        parse_book_text('{"sections": [{"title": "x", "lines": [""]}]}')


def test_book_text_with_pinyin_flows_on_by_clauses_and_keeps_every_character_and_syllable():
    """Young readers' pages: columns of 8 cells (a pinyin row over each character) take a couplet a clause a
    column, a longer section flows on to the next page, and no character is lost; every character carries the
    syllable read over its whole line (一行白鹭 háng, not xíng), marks none."""
    sections = [Section("绝句", "杜甫", ("两个黄鹂鸣翠柳，一行白鹭上青天。", "窗含西岭千秋雪，门泊东吴万里船。")),
                Section("静夜思", "李白", ("床前明月光，疑是地上霜。", "举头望明月，低头思故乡。"))]
    pages = paginate(sections, columns_per_page=4, cells=8, pinyin=True)
    columns = [c for page in pages for c in page]
    assert all(len(page) <= 4 for page in pages)
    assert all(len(c.text) + c.indent <= 8 for c in columns)  # nothing past a column's end
    text = [c.text for c in columns if c.role == "text"]
    assert text[:2] == ["两个黄鹂鸣翠柳，", "一行白鹭上青天。"]  # broken at the mark, not mid-clause
    assert "".join(text) == "".join(line for s in sections for line in s.lines)
    assert [c.text for c in columns if c.role == "title"] == ["绝句", "静夜思"]
    for column in columns:
        assert len(column.pinyin) == len(column.text)
        assert all(bool(y) == (ch not in "，。") for ch, y in zip(column.text, column.pinyin)), column
    assert columns[3].pinyin[:2] == ("yī", "háng")
    assert [c.section for c in pages[1]] == [0, 0]  # 绝句's last two clauses flowed on to page 2
    assert pages[2][0].text == "静夜思"  # and 静夜思 starts a page of its own, as it does not fit what is left
    # Without pinyin nothing changes: a couplet is one column of 16 cells, and columns carry no syllables.
    plain = paginate(sections, columns_per_page=8, cells=16)
    assert [c.text for c in plain[0] if c.role == "text"][0] == "两个黄鹂鸣翠柳，一行白鹭上青天。"
    assert all(c.pinyin == () for page in plain for c in page)
    # A seven-character couplet too long for 13 cells: one clause a column (not 13 characters and 3).
    assert [c.text for c in paginate(sections[:1], 8, 13)[0] if c.role == "text"][:2] == text[:2]


def test_glb_round_trip_counts_triangles_of_every_instance():
    pos, nor, uv, tris = geometry.box(1, 1, 1)
    data = glb.write_glb([glb.MeshPart(pos, nor, tris, uvs=uv), glb.MeshPart(pos, nor, tris[:4])])
    document = glb.read_document(data)
    assert glb.count_triangles(document) == 16
    document["nodes"][0]["children"] = [1]  # node 1 is now drawn twice: once as a child, once at the root
    assert glb.count_triangles(document) == 20
    with pytest.raises(glb.GltfError):
        glb.read_document(data[:40])


def test_pure_modules_load_no_window_or_3d_library():
    import subprocess
    import sys

    script = ("import sys\n"
              "import experiences.exhibits.orbit, experiences.exhibits.page_curl, experiences.exhibits.book_text\n"
              "import experiences.exhibits.equirect, experiences.exhibits.glb, experiences.exhibits.paper\n"
              "import experiences.exhibits.resolution, experiences.exhibits.kinds\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygame', 'panda3d')))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_texel_matched_scale_renders_no_more_pixels_than_the_image_has_texels():
    from experiences.exhibits.resolution import ResolutionGovernor, texel_matched_scale

    # A 2048-px panorama at 70° on 1280×720: ~326 texels per radian against ~514 pixels, so ~0.73 with margin.
    assert texel_matched_scale(2048, 70.0, (1280, 720)) == pytest.approx(0.729, abs=0.01)
    assert texel_matched_scale(2048, 35.0, (1280, 720)) < 0.4  # zoomed in: even more magnified
    assert texel_matched_scale(8192, 70.0, (1280, 720)) == 1.0  # a sharper image than the screen: full size
    governor = ResolutionGovernor(budget=0.010, window=2, ceiling=0.75)
    assert governor.scales == (0.75, 0.7, 0.55)
    assert [governor.observe(0.05) for _ in range(2)][-1] == 0.7
