"""Numpy meshes turned into panda3d geometry: boxes, cards, spheres, and meshes whose vertices move (curling pages).

Mesh arrays are plain numpy (positions N×3, normals N×3, uvs N×2, triangles M×3) so shapes are built and tested
without a graphics context; `geom_node` is the one place they become panda3d objects.
"""
from __future__ import annotations

import numpy as np


def geom_node(name: str, positions, normals, uvs, triangles, dynamic: bool = False):
    """A GeomNode with one triangle list; `dynamic` marks vertices that are rewritten every frame."""
    # panda3d is imported here, not at the top: the mesh builders below are pure numpy (page shapes are
    # tested without any graphics library loaded).
    from experiences import freetype_guard  # noqa: F401
    from panda3d.core import Geom, GeomEnums, GeomNode, GeomTriangles, GeomVertexData, GeomVertexFormat

    positions = np.asarray(positions, dtype=np.float32)
    normals = np.asarray(normals, dtype=np.float32)
    uvs = np.asarray(uvs, dtype=np.float32)
    interleaved = np.hstack([positions, normals, uvs]).astype(np.float32)
    usage = GeomEnums.UH_dynamic if dynamic else GeomEnums.UH_static
    vdata = GeomVertexData(name, GeomVertexFormat.get_v3n3t2(), usage)
    vdata.unclean_set_num_rows(len(positions))
    memoryview(vdata.modify_array(0)).cast("B")[:] = interleaved.tobytes()
    prim = GeomTriangles(usage)
    index = np.asarray(triangles, dtype=np.uint32).ravel()
    prim.set_index_type(GeomEnums.NT_uint32)
    array = prim.modify_vertices()
    array.unclean_set_num_rows(len(index))
    memoryview(array).cast("B")[:] = index.tobytes()
    geom = Geom(vdata)
    geom.add_primitive(prim)
    node = GeomNode(name)
    node.add_geom(geom)
    return node


def update_vertices(node, positions, normals) -> None:
    """Rewrite the positions and normals of a dynamic geom_node in place (uvs stay)."""
    geom = node.modify_geom(0)
    vdata = geom.modify_vertex_data()
    view = memoryview(vdata.modify_array(0)).cast("B")
    current = np.frombuffer(view, dtype=np.float32).reshape(-1, 8).copy()
    current[:, 0:3] = positions
    current[:, 3:6] = normals
    view[:] = current.tobytes()


def grid(cols: int, rows: int):
    """Parameter grid u, v in [0, 1] (cols+1 × rows+1 vertices, row-major) and its triangles."""
    u, v = np.meshgrid(np.linspace(0, 1, cols + 1), np.linspace(0, 1, rows + 1))
    u, v = u.ravel(), v.ravel()
    r, c = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    a = (r * (cols + 1) + c).ravel()
    d = a + cols + 1
    tris = np.empty((len(a) * 2, 3), dtype=np.uint32)
    tris[0::2] = np.stack([a, a + 1, d + 1], axis=1)
    tris[1::2] = np.stack([a, d + 1, d], axis=1)
    return u, v, tris


def card(width: float, height: float):
    """A flat rectangle in the XZ plane facing -Y (towards a camera at the origin looking down +Y)."""
    u, v, tris = grid(1, 1)
    pos = np.stack([(u - 0.5) * width, np.zeros_like(u), (v - 0.5) * height], axis=1)
    nor = np.tile([0.0, -1.0, 0.0], (len(u), 1))
    return pos, nor, np.stack([u, v], axis=1), tris


def box(size_x: float, size_y: float, size_z: float):
    """An axis-aligned box centred at the origin, with flat normals and 0..1 uvs per face."""
    positions, normals, uvs, tris = [], [], [], []
    half = np.array([size_x, size_y, size_z]) / 2
    for axis in range(3):
        for sign in (-1.0, 1.0):
            normal = np.zeros(3)
            normal[axis] = sign
            a, b = [(axis + 1) % 3, (axis + 2) % 3]
            if sign < 0:
                a, b = b, a
            base = len(positions)
            for du, dv in ((0, 0), (1, 0), (1, 1), (0, 1)):
                p = normal * half
                p[a] = (du - 0.5) * 2 * half[a]
                p[b] = (dv - 0.5) * 2 * half[b]
                positions.append(p)
                normals.append(normal)
                uvs.append((du, dv))
            tris += [(base, base + 1, base + 2), (base, base + 2, base + 3)]
    return np.array(positions), np.array(normals), np.array(uvs), np.array(tris, dtype=np.uint32)


def uv_sphere(radius: float, segments: int = 48, rings: int = 24, inside: bool = False):
    """A sphere with equirectangular uvs (u = longitude, v = latitude); `inside` faces inwards for panoramas."""
    u, v, tris = grid(segments, rings)
    lon = (u - 0.5) * 2 * np.pi
    lat = (v - 0.5) * np.pi
    # Panda3d is Z-up, +Y forward: longitude 0 (the image centre) lies straight ahead.
    direction = np.stack([np.sin(lon) * np.cos(lat), np.cos(lon) * np.cos(lat), np.sin(lat)], axis=1)
    if inside:
        # Seen from inside, east (larger u) is already to the viewer's right, and the grid's winding
        # (east × north points inwards) is counter-clockwise from inside: nothing to mirror.
        return direction * radius, -direction, np.stack([u, v], axis=1), tris
    return direction * radius, direction, np.stack([u, v], axis=1), tris[:, ::-1]
