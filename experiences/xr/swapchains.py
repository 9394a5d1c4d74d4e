"""One OpenXR swapchain per eye at the runtime's recommended size, filled on the GPU from the 3D engine's
side-by-side eye texture (a framebuffer blit), and the projection layer that shows them."""
from __future__ import annotations

import xr

from experiences.xr.egl import GL, GL_RGBA8, GL_SRGB8_ALPHA8


class XrEyes:
    def __init__(self, session, size: tuple[int, int], gl: GL | None = None):
        self.session = session
        if gl is None and session.graphics == "xlib":
            from experiences.xr.glx import get_proc_address

            gl = GL(get_proc_address)
        self.gl = gl or GL()
        self.size = size
        formats = list(xr.enumerate_swapchain_formats(session.session))
        # Our pixels are already display-encoded (sRGB): an sRGB swapchain tells the compositor so, and a raw
        # copy between RGBA8 and SRGB8_ALPHA8 keeps the bytes as they are.
        self.format = GL_SRGB8_ALPHA8 if GL_SRGB8_ALPHA8 in formats else GL_RGBA8
        if self.format not in formats:
            raise RuntimeError(f"OpenXR offers no 8-bit RGBA swapchain format (offers {[hex(f) for f in formats]})")
        usage = (xr.SwapchainUsageFlags.COLOR_ATTACHMENT_BIT | xr.SwapchainUsageFlags.TRANSFER_DST_BIT
                 | xr.SwapchainUsageFlags.SAMPLED_BIT)
        self.swapchains, self.images = [], []
        for _ in range(2):
            swapchain = xr.create_swapchain(session.session, xr.SwapchainCreateInfo(
                usage_flags=usage, format=self.format, sample_count=1, width=size[0], height=size[1],
                face_count=1, array_size=1, mip_count=1))
            self.swapchains.append(swapchain)
            self.images.append([image.image for image in xr.enumerate_swapchain_images(
                swapchain, xr.SwapchainImageOpenGLKHR)])
        self.last_images = [None, None]  # the GL texture each eye was last copied into (read_back)
        self.layer_views = (xr.CompositionLayerProjectionView * 2)()
        self.layer = xr.CompositionLayerProjection(space=session.space, views=self.layer_views)

    def submit(self, source_texture: int, views) -> None:
        """Copy the left half of `source_texture` (width 2×size) into the left eye's next image and the right
        half into the right eye's, release both and hand the session this frame's projection layer."""
        width, height = self.size
        for eye, (swapchain, images) in enumerate(zip(self.swapchains, self.images)):
            index = xr.acquire_swapchain_image(swapchain, xr.SwapchainImageAcquireInfo())
            xr.wait_swapchain_image(swapchain, xr.SwapchainImageWaitInfo(timeout=xr.INFINITE_DURATION))
            self.gl.copy_region(source_texture, eye * width, 0, images[index], width, height)
            self.last_images[eye] = images[index]
            xr.release_swapchain_image(swapchain, xr.SwapchainImageReleaseInfo())
            view = self.layer_views[eye]
            view.type = xr.StructureType.COMPOSITION_LAYER_PROJECTION_VIEW
            view.pose = views[eye].raw.pose
            view.fov = views[eye].raw.fov
            view.sub_image.swapchain = swapchain
            view.sub_image.image_rect.offset.x = view.sub_image.image_rect.offset.y = 0
            view.sub_image.image_rect.extent.width, view.sub_image.image_rect.extent.height = width, height
            view.sub_image.image_array_index = 0
        self.gl.check("copying the eyes into the OpenXR swapchains")
        self.layer.space = self.session.space  # a recentre replaces it
        self.session.submit(self.layer)

    def read_back(self, eye: int) -> bytes:
        """The RGBA pixels (rows bottom-up) last copied into an eye's swapchain image, read from the GPU."""
        return self.gl.read_texture(self.last_images[eye], *self.size)

    def close(self) -> None:
        for swapchain in self.swapchains:
            xr.destroy_swapchain(swapchain)
        self.swapchains = []
