"""The kiosk's own screens in the headset: the window's picture (menu, age question, goodbye, 去书架找一找, what
next, a kind without a VR mode) on an OpenXR quad layer hanging in front of the child, over a calm backdrop, in
every frame the runtime wants one and no run draws the scene itself — so a child in a headset is never left in
the dark between runs.

The pygame surface goes to the GPU as it is: one glTexSubImage2D of its pixels (rows as pygame keeps them) into a
staging texture, flipped into the swapchain image by a framebuffer blit (egl.GL.upload_flipped). The backdrop is
two tiny projection-layer images cleared on the GPU; the compositor stretches them over each eye.
"""
from __future__ import annotations

import xr

from experiences.xr.egl import GL, GL_BGRA, GL_RGBA, GL_RGBA8, GL_SRGB8_ALPHA8
from experiences.xr.panel_inputs import PanelGeometry

BACKDROP = (0.09, 0.11, 0.22)  # a calm night blue around the panel (the courtyard's sky, lighter)
BACKDROP_SIZE = (16, 16)  # per eye: one colour, stretched by the compositor


def _gl_for(session) -> GL:
    if session.graphics == "xlib":
        from experiences.xr.glx import get_proc_address

        return GL(get_proc_address)
    return GL()


class _Swapchain:
    def __init__(self, session, size: tuple[int, int]):
        formats = list(xr.enumerate_swapchain_formats(session.session))
        self.format = GL_SRGB8_ALPHA8 if GL_SRGB8_ALPHA8 in formats else GL_RGBA8
        usage = (xr.SwapchainUsageFlags.COLOR_ATTACHMENT_BIT | xr.SwapchainUsageFlags.TRANSFER_DST_BIT
                 | xr.SwapchainUsageFlags.SAMPLED_BIT)
        self.size = size
        self.handle = xr.create_swapchain(session.session, xr.SwapchainCreateInfo(
            usage_flags=usage, format=self.format, sample_count=1, width=size[0], height=size[1], face_count=1,
            array_size=1, mip_count=1))
        self.images = [image.image for image in xr.enumerate_swapchain_images(self.handle, xr.SwapchainImageOpenGLKHR)]
        self.last = None

    def fill(self, draw) -> None:
        """Acquire the next image, let `draw(texture)` fill it, release it."""
        index = xr.acquire_swapchain_image(self.handle, xr.SwapchainImageAcquireInfo())
        xr.wait_swapchain_image(self.handle, xr.SwapchainImageWaitInfo(timeout=xr.INFINITE_DURATION))
        try:
            draw(self.images[index])
            self.last = self.images[index]
        finally:
            xr.release_swapchain_image(self.handle, xr.SwapchainImageReleaseInfo())

    def sub_image(self, sub) -> None:
        sub.swapchain = self.handle
        sub.image_rect.offset.x = sub.image_rect.offset.y = 0
        sub.image_rect.extent.width, sub.image_rect.extent.height = self.size
        sub.image_array_index = 0

    def close(self) -> None:
        xr.destroy_swapchain(self.handle)


class XrPanel:
    def __init__(self, session):
        self.session = session
        self.gl = _gl_for(session)
        self.screen: _Swapchain | None = None
        self.backdrop: list[_Swapchain] = []
        self.geometry: PanelGeometry | None = None
        self.quad = xr.CompositionLayerQuad()
        self.backdrop_views = (xr.CompositionLayerProjectionView * 2)()
        self.backdrop_layer = xr.CompositionLayerProjection(views=self.backdrop_views)
        self.shown = 0  # frames the panel was submitted (tests)
        self.uploads = 0  # ...of which its picture was uploaded (else its last image was shown again)
        self.version = None  # the caller's token for the picture last uploaded

    def geometry_for(self, size: tuple[int, int]) -> PanelGeometry:
        if self.geometry is None or self.geometry.pixels != tuple(size):
            self.geometry = PanelGeometry.for_screen(size, self.session.floor_level)
        return self.geometry

    def show(self, surface, version=None, backdrop: bool = True, geometry: PanelGeometry | None = None) -> bool:
        """Submit `surface` (the kiosk's window) on the panel for this frame, over the backdrop; False when the
        runtime wants no frame drawn now. `version`: the caller's token for what the surface shows (None: unknown);
        while it stays the same the surface is not uploaded again and the quad shows the swapchain's last
        released image (no per-pixel work at all). Without `backdrop` the quad goes over whatever layers the
        frame has (a notice in front of a run); `geometry` puts it elsewhere than the kiosk screen's place."""
        session = self.session
        if not session.should_render:
            return False
        session.gl_context.make_current()  # no panda3d frame ran before ours: its context may not be current
        size = surface.get_size()
        geometry = geometry or self.geometry_for(size)
        if self.screen is None or self.screen.size != size:
            if self.screen is not None:
                self.screen.close()
            self.screen = _Swapchain(session, size)
            self.version = None
        if version is None or version != self.version or self.screen.last is None:
            self._upload(surface)
            self.uploads += 1
        self.version = version
        if backdrop and len(session.views) == 2:
            self._backdrop(session.views)
        quad = self.quad
        quad.type = xr.StructureType.COMPOSITION_LAYER_QUAD
        quad.layer_flags = 0  # opaque: the window's alpha byte means nothing
        quad.space = session.space  # a recentre replaces it
        quad.eye_visibility = xr.EyeVisibility.BOTH
        self.screen.sub_image(quad.sub_image)
        x, y, z = geometry.centre  # scene axes -> OpenXR (x, z, -y); facing the child (+z in OpenXR)
        quad.pose = xr.Posef(orientation=xr.Quaternionf(0, 0, 0, 1), position=xr.Vector3f(x, z, -y))
        quad.size = xr.Extent2Df(*geometry.size_m)
        session.submit(quad)
        self.shown += 1
        return True

    def _upload(self, surface) -> None:
        import numpy as np

        width, height = surface.get_size()
        masks = tuple(surface.get_masks()[:3])
        if surface.get_bytesize() == 4 and masks in ((0xFF0000, 0xFF00, 0xFF), (0xFF, 0xFF00, 0xFF0000)):
            pixels = np.frombuffer(surface.get_buffer(), np.uint8)  # locks the surface while it lives
            row_pixels = surface.get_pitch() // 4
            pixel_format = GL_BGRA if masks[0] == 0xFF0000 else GL_RGBA
        else:  # another pixel layout: pygame converts it (in C) once
            import pygame

            pixels = np.frombuffer(pygame.image.tobytes(surface, "BGRA"), np.uint8)
            row_pixels, pixel_format = width, GL_BGRA
        self.screen.fill(lambda texture: self.gl.upload_flipped(pixels.ctypes.data, (width, height), row_pixels,
                                                                pixel_format, texture))
        del pixels
        self.gl.check("uploading the kiosk's screen into the headset's panel")

    def _backdrop(self, views) -> None:
        if not self.backdrop:
            self.backdrop = [_Swapchain(self.session, BACKDROP_SIZE) for _ in range(2)]
        for eye, swapchain in enumerate(self.backdrop):
            swapchain.fill(lambda texture: self.gl.clear_texture(texture, BACKDROP))
            view = self.backdrop_views[eye]
            view.type = xr.StructureType.COMPOSITION_LAYER_PROJECTION_VIEW
            view.pose, view.fov = views[eye].raw.pose, views[eye].raw.fov
            swapchain.sub_image(view.sub_image)
        self.backdrop_layer.space = self.session.space
        self.session.submit(self.backdrop_layer)

    def read_back(self) -> bytes:
        """The RGBA pixels (rows bottom-up) last put on the panel, read from the GPU (tests)."""
        return self.gl.read_texture(self.screen.last, *self.screen.size)

    def close(self) -> None:
        for swapchain in ([self.screen] if self.screen else []) + self.backdrop:
            try:
                swapchain.close()
            except Exception:  # the session (and its swapchains) already went with the instance
                pass
        self.screen, self.backdrop = None, []


def draw_pointer(surface, point, progress: float = 0.0) -> None:
    """The ring where the controller's ray (or the gaze) meets the kiosk's screen, big enough for a child to
    follow; a gaze's ring fills as its dwell tap nears."""
    import math

    import pygame

    scale = min(surface.get_size()) / 1080
    radius = max(10, round(22 * scale))
    centre = (round(point[0]), round(point[1]))
    pygame.draw.circle(surface, (20, 24, 40), centre, radius + 3, width=max(2, round(4 * scale)))
    pygame.draw.circle(surface, (255, 248, 230), centre, radius, width=max(2, round(4 * scale)))
    pygame.draw.circle(surface, (255, 248, 230), centre, max(2, round(4 * scale)))
    if progress > 0:
        rect = pygame.Rect(0, 0, 2 * radius, 2 * radius)
        rect.center = centre
        pygame.draw.arc(surface, (255, 196, 60), rect, math.pi / 2, math.pi / 2 + 2 * math.pi * progress,
                        width=max(3, round(6 * scale)))
