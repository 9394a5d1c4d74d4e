"""A small glTF 2.0 binary (GLB) writer for numpy meshes, and a reader of what the checks need (triangle counts).

Pure Python + numpy: the content scripts write models with it and the package checks count triangles without
loading a model into panda3d first (a 10-million-triangle upload is refused before it costs memory).
"""
from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field

import numpy as np

GLB_MAGIC = 0x46546C67  # "glTF"
CHUNK_JSON = 0x4E4F534A
CHUNK_BIN = 0x004E4942


class GltfError(ValueError):
    """The file is not a readable glTF/GLB; the message says what is wrong with it."""


@dataclass
class MeshPart:
    """One primitive: positions N×3, normals N×3, optional uvs N×2, triangles M×3, a PBR material."""

    positions: np.ndarray
    normals: np.ndarray
    triangles: np.ndarray
    uvs: np.ndarray | None = None
    base_color: tuple[float, float, float, float] = (0.8, 0.8, 0.8, 1.0)
    metallic: float = 0.0
    roughness: float = 0.6
    texture_png: bytes | None = None
    name: str = "part"
    extras: dict = field(default_factory=dict)


def _pad(data: bytes, fill: bytes = b"\0") -> bytes:
    return data + fill * (-len(data) % 4)


def write_glb(parts: list[MeshPart], *, generator: str = "yuedu build_exhibits", extras: dict | None = None) -> bytes:
    """One scene, one node per part (all at the origin), one material per part; returns the GLB bytes."""
    blob = bytearray()
    views, accessors, meshes, nodes, materials, textures, images = [], [], [], [], [], [], []

    def add_view(data: bytes, target: int | None = None) -> int:
        offset = len(blob)
        blob.extend(_pad(data))
        view = {"buffer": 0, "byteOffset": offset, "byteLength": len(data)}
        if target:
            view["target"] = target
        views.append(view)
        return len(views) - 1

    def add_accessor(array: np.ndarray, kind: str, component: int, target: int, minmax: bool = False) -> int:
        entry = {"bufferView": add_view(array.tobytes(), target), "componentType": component,
                 "count": int(array.shape[0]), "type": kind}
        if minmax:
            entry["min"] = [float(v) for v in array.min(axis=0)]
            entry["max"] = [float(v) for v in array.max(axis=0)]
        accessors.append(entry)
        return len(accessors) - 1

    texture_of: dict[bytes, int] = {}
    for part in parts:
        attributes = {
            "POSITION": add_accessor(np.asarray(part.positions, np.float32), "VEC3", 5126, 34962, minmax=True),
            "NORMAL": add_accessor(np.asarray(part.normals, np.float32), "VEC3", 5126, 34962),
        }
        if part.uvs is not None:
            attributes["TEXCOORD_0"] = add_accessor(np.asarray(part.uvs, np.float32), "VEC2", 5126, 34962)
        indices = add_accessor(np.asarray(part.triangles, np.uint32).reshape(-1), "SCALAR", 5125, 34963)
        pbr = {"baseColorFactor": list(part.base_color), "metallicFactor": part.metallic,
               "roughnessFactor": part.roughness}
        if part.texture_png is not None:
            if part.texture_png not in texture_of:  # parts sharing one image store it once
                images.append({"bufferView": add_view(part.texture_png), "mimeType": "image/png"})
                textures.append({"source": len(images) - 1, "sampler": 0})
                texture_of[part.texture_png] = len(textures) - 1
            pbr["baseColorTexture"] = {"index": texture_of[part.texture_png]}
        materials.append({"name": part.name, "pbrMetallicRoughness": pbr})
        meshes.append({"name": part.name, "primitives": [
            {"attributes": attributes, "indices": indices, "material": len(materials) - 1, "mode": 4}]})
        node = {"name": part.name, "mesh": len(meshes) - 1}
        if part.extras:
            node["extras"] = part.extras
        nodes.append(node)

    document = {
        "asset": {"version": "2.0", "generator": generator},
        "scene": 0,
        "scenes": [{"nodes": list(range(len(nodes)))}],
        "nodes": nodes, "meshes": meshes, "materials": materials,
        "accessors": accessors, "bufferViews": views,
        "buffers": [{"byteLength": len(blob)}],
    }
    if textures:
        document["textures"], document["images"] = textures, images
        # Trilinear mip-mapped sampling, repeating: a texture seen small or at a glancing angle does not shimmer.
        document["samplers"] = [{"magFilter": 9729, "minFilter": 9987, "wrapS": 10497, "wrapT": 10497}]
    if extras:
        document["extras"] = extras
    json_chunk = _pad(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), b" ")
    bin_chunk = bytes(blob)
    total = 12 + 8 + len(json_chunk) + 8 + len(bin_chunk)
    return b"".join([
        struct.pack("<III", GLB_MAGIC, 2, total),
        struct.pack("<II", len(json_chunk), CHUNK_JSON), json_chunk,
        struct.pack("<II", len(bin_chunk), CHUNK_BIN), bin_chunk,
    ])


def read_document(data: bytes) -> dict:
    """The glTF JSON of a .glb or .gltf file's bytes; raises GltfError when it is neither."""
    if data[:4] == b"glTF":
        if len(data) < 20:
            raise GltfError("GLB header is truncated")
        _, version, total = struct.unpack_from("<III", data, 0)
        if version != 2:
            raise GltfError(f"GLB version {version} is not supported (glTF 2.0 only)")
        if total > len(data):
            raise GltfError(f"GLB says {total} bytes but the file has {len(data)}: truncated")
        length, chunk_type = struct.unpack_from("<II", data, 12)
        if chunk_type != CHUNK_JSON or 20 + length > len(data):
            raise GltfError("GLB has no JSON chunk first")
        raw = data[20:20 + length]
    else:
        raw = data
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GltfError(f"not glTF JSON: {exc}") from None
    if not isinstance(document, dict) or not str(document.get("asset", {}).get("version", "")).startswith("2"):
        raise GltfError("asset.version is not 2.x: not a glTF 2.0 file")
    return document


def _primitive_triangles(document: dict, primitive: dict) -> int:
    accessors = document.get("accessors", [])
    mode = primitive.get("mode", 4)
    if "indices" in primitive:
        count = accessors[primitive["indices"]]["count"]
    else:
        count = accessors[primitive["attributes"]["POSITION"]]["count"]
    if mode == 4:
        return count // 3
    if mode in (5, 6):
        return max(0, count - 2)
    return 0  # points and lines draw no triangles


def count_triangles(document: dict) -> int:
    """Triangles drawn by the default scene, counting each instance of a mesh (all meshes if there is no scene)."""
    try:
        meshes = document.get("meshes", [])
        per_mesh = [sum(_primitive_triangles(document, p) for p in mesh.get("primitives", [])) for mesh in meshes]
        scenes = document.get("scenes")
        if not scenes:
            return sum(per_mesh)
        nodes = document.get("nodes", [])
        total = 0
        stack = list(scenes[document.get("scene", 0)].get("nodes", []))
        seen = 0
        while stack:
            seen += 1
            if seen > 1_000_000:
                raise GltfError("node hierarchy has a cycle")
            node = nodes[stack.pop()]
            if "mesh" in node:
                total += per_mesh[node["mesh"]]
            stack.extend(node.get("children", []))
        return total
    except (IndexError, KeyError, TypeError) as exc:
        raise GltfError(f"broken reference inside the glTF: {exc!r}") from None
