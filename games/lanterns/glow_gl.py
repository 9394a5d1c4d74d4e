"""The moderngl glow path: a bloom pass over the finished 2D frame (bright parts blurred and added back).

Rendered offscreen on EGL (Mesa llvmpipe here, a GPU at a kiosk) at half resolution; only the half-size glow is
read back and added to the pygame frame. The software path (glow baked into sprites) stays the default.
"""
from __future__ import annotations

import logging

import numpy as np
import pygame

log = logging.getLogger(__name__)

_VERTEX = """
#version 330
in vec2 in_pos;
out vec2 uv;
void main() { uv = in_pos * 0.5 + 0.5; gl_Position = vec4(in_pos, 0.0, 1.0); }
"""
_BRIGHT = """
#version 330
uniform sampler2D frame;
uniform float threshold;
in vec2 uv;
out vec4 color;
void main() {
    vec3 c = texture(frame, vec2(uv.x, 1.0 - uv.y)).rgb;   // pygame rows run top-down
    float luma = dot(c, vec3(0.2126, 0.7152, 0.0722));
    // warm light only: lantern red/gold glows, the white text and stars barely do
    float warm = clamp(c.r - c.b, 0.0, 1.0);
    color = vec4(c * smoothstep(threshold, 1.0, luma + warm * 0.6), 1.0);
}
"""
_BLUR = """
#version 330
uniform sampler2D image;
uniform vec2 step_uv;
in vec2 uv;
out vec4 color;
const float w[5] = float[](0.227027, 0.1945946, 0.1216216, 0.054054, 0.016216);
void main() {
    vec3 acc = texture(image, uv).rgb * w[0];
    for (int i = 1; i < 5; ++i) {
        acc += texture(image, uv + step_uv * float(i) * 1.5).rgb * w[i];
        acc += texture(image, uv - step_uv * float(i) * 1.5).rgb * w[i];
    }
    color = vec4(acc, 1.0);
}
"""


class GLGlow:
    """`apply(surface)` adds a soft glow around warm, bright parts of the frame, in place."""

    def __init__(self, size: tuple[int, int], strength: float = 0.9, threshold: float = 0.35, scale: float = 0.5):
        import moderngl

        self.size = size
        self.small = (max(1, int(size[0] * scale)), max(1, int(size[1] * scale)))
        self.strength = strength
        self.gl = moderngl.create_standalone_context(backend="egl")
        quad = self.gl.buffer(np.array([-1, -1, 1, -1, -1, 1, 1, 1], dtype="f4").tobytes())
        self.bright = self.gl.program(vertex_shader=_VERTEX, fragment_shader=_BRIGHT)
        self.blur = self.gl.program(vertex_shader=_VERTEX, fragment_shader=_BLUR)
        self.bright["threshold"] = threshold
        self.quad_bright = self.gl.vertex_array(self.bright, [(quad, "2f", "in_pos")])
        self.quad_blur = self.gl.vertex_array(self.blur, [(quad, "2f", "in_pos")])
        self.frame = self.gl.texture(size, 4)
        self.frame.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.ping = [self.gl.texture(self.small, 4) for _ in range(2)]
        for tex in self.ping:
            tex.filter = (moderngl.LINEAR, moderngl.LINEAR)
            tex.repeat_x = tex.repeat_y = False
        self.targets = [self.gl.framebuffer(color_attachments=[tex]) for tex in self.ping]
        self.renderer = self.gl.info.get("GL_RENDERER", "?")

    @classmethod
    def create(cls, size: tuple[int, int], **options) -> "GLGlow | None":
        """A glow renderer, or None (logged) when there is no EGL/OpenGL 3.3: the software look then stays."""
        try:
            return cls(size, **options)
        except Exception as exc:
            log.warning("moderngl glow unavailable, using the software look: %s", exc)
            return None

    def glow_surface(self, surface: pygame.Surface) -> pygame.Surface:
        """The half-size glow layer of a frame (RGB).

        The process shares GL with panda3d (docs/kiosk-shell.md): this context is made current for the pass and
        whatever was current before (panda3d's EGL context) is made current again after it."""
        with self.gl:
            return self._glow_surface(surface)

    def _glow_surface(self, surface: pygame.Surface) -> pygame.Surface:
        self.frame.write(pygame.image.tobytes(surface, "RGBA"))
        self.targets[0].use()
        self.frame.use(0)
        self.bright["frame"] = 0
        self.quad_bright.render(mode=_strip())
        w, h = self.small
        for direction, (src, dst) in (((1.0 / w, 0.0), (0, 1)), ((0.0, 1.0 / h), (1, 0)),
                                      ((2.0 / w, 0.0), (0, 1)), ((0.0, 2.0 / h), (1, 0))):
            self.targets[dst].use()
            self.ping[src].use(0)
            self.blur["image"] = 0
            self.blur["step_uv"] = direction
            self.quad_blur.render(mode=_strip())
        data = self.targets[0].read(components=3)
        # GL rows run bottom-up: flip back while wrapping the bytes
        return pygame.transform.flip(pygame.image.frombuffer(data, self.small, "RGB"), False, True)

    def apply(self, surface: pygame.Surface) -> None:
        layer = pygame.transform.scale(self.glow_surface(surface), surface.get_size())
        if self.strength < 1.0:
            layer.fill((int(255 * self.strength),) * 3, special_flags=pygame.BLEND_MULT)
        surface.blit(layer, (0, 0), special_flags=pygame.BLEND_ADD)

    def release(self) -> None:
        self.gl.release()


def _strip() -> int:
    import moderngl
    return moderngl.TRIANGLE_STRIP
