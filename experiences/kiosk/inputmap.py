"""Maps pygame events (mouse, touch fingers, keyboard, joystick and gamepad) to device-free InputEvents.

Kinds only ever see `experiences.runtime.InputEvent`; the shell also counts every raw input as activity.
"""
from __future__ import annotations

import pygame

from experiences.runtime import InputEvent

KEY_ACTIONS = {
    pygame.K_LEFT: "left", pygame.K_RIGHT: "right", pygame.K_UP: "up", pygame.K_DOWN: "down",
    pygame.K_RETURN: "select", pygame.K_KP_ENTER: "select", pygame.K_SPACE: "select",
    pygame.K_ESCAPE: "back", pygame.K_BACKSPACE: "back", pygame.K_h: "hint", pygame.K_F1: "hint",
}
# SDL's usual layout for game pads seen as joysticks: A/cross select, B/circle back, X/Y hint.
JOY_BUTTON_ACTIONS = {0: "select", 1: "back", 2: "hint", 3: "hint"}
HAT_ACTIONS = {(-1, 0): "left", (1, 0): "right", (0, 1): "up", (0, -1): "down"}
AXIS_THRESHOLD = 0.6  # a stick must be pushed this far to count as one step

INPUT_EVENT_TYPES = {
    pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION, pygame.MOUSEWHEEL,
    pygame.FINGERDOWN, pygame.FINGERUP, pygame.FINGERMOTION, pygame.KEYDOWN, pygame.KEYUP,
    pygame.JOYBUTTONDOWN, pygame.JOYBUTTONUP, pygame.JOYHATMOTION, pygame.JOYAXISMOTION,
}
for _name in ("CONTROLLERBUTTONDOWN", "CONTROLLERBUTTONUP", "CONTROLLERAXISMOTION"):
    if hasattr(pygame, _name):
        INPUT_EVENT_TYPES.add(getattr(pygame, _name))

_CONTROLLER_ACTIONS = {}
for _name, _action in (("CONTROLLER_BUTTON_A", "select"), ("CONTROLLER_BUTTON_B", "back"),
                       ("CONTROLLER_BUTTON_X", "hint"), ("CONTROLLER_BUTTON_Y", "hint"),
                       ("CONTROLLER_BUTTON_DPAD_LEFT", "left"), ("CONTROLLER_BUTTON_DPAD_RIGHT", "right"),
                       ("CONTROLLER_BUTTON_DPAD_UP", "up"), ("CONTROLLER_BUTTON_DPAD_DOWN", "down")):
    if hasattr(pygame, _name):
        _CONTROLLER_ACTIONS[getattr(pygame, _name)] = _action


class InputMapper:
    """Stateful only for sticks (one action per push past the threshold, not one per frame)."""

    def __init__(self, size: tuple[int, int]):
        self.size = size
        self._axis_pushed: dict[tuple[int, int], int] = {}
        self._joysticks: dict[int, object] = {}

    def is_input(self, event: pygame.event.Event) -> bool:
        """Any visitor input at all (it keeps the session alive even when it maps to nothing)."""
        if event.type == pygame.MOUSEMOTION:
            return any(event.buttons) or getattr(event, "touch", False)  # a resting mouse jitters: not activity
        return event.type in INPUT_EVENT_TYPES

    def map(self, event: pygame.event.Event) -> list[InputEvent]:
        etype = event.type
        if etype in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if getattr(event, "touch", False):
                return []  # SDL also reports touches as mouse events; the FINGER events are the real ones
            if etype == pygame.MOUSEMOTION:
                return [InputEvent("pointer_move", *event.pos, source="mouse")]
            if event.button != 1:
                return []
            kind = "pointer_down" if etype == pygame.MOUSEBUTTONDOWN else "pointer_up"
            return [InputEvent(kind, *event.pos, source="mouse")]
        if etype in (pygame.FINGERDOWN, pygame.FINGERUP, pygame.FINGERMOTION):
            kind = {pygame.FINGERDOWN: "pointer_down", pygame.FINGERUP: "pointer_up",
                    pygame.FINGERMOTION: "pointer_move"}[etype]
            x, y = event.x * self.size[0], event.y * self.size[1]  # fingers come normalised 0..1
            return [InputEvent(kind, x, y, source="touch", pointer_id=int(event.finger_id))]
        if etype == pygame.MOUSEWHEEL:
            return [_action("up" if event.y > 0 else "down", "mouse")] if event.y else []
        if etype == pygame.KEYDOWN:
            action = KEY_ACTIONS.get(event.key)
            return [_action(action, "keyboard")] if action else []
        if etype == pygame.JOYBUTTONDOWN:
            action = JOY_BUTTON_ACTIONS.get(event.button)
            return [_action(action, "gamepad")] if action else []
        if etype == pygame.JOYHATMOTION:
            action = HAT_ACTIONS.get(tuple(event.value))
            return [_action(action, "gamepad")] if action else []
        if etype == pygame.JOYAXISMOTION:
            return self._axis(event.instance_id, event.axis, event.value)
        if _CONTROLLER_ACTIONS and etype == getattr(pygame, "CONTROLLERBUTTONDOWN", None):
            action = _CONTROLLER_ACTIONS.get(event.button)
            return [_action(action, "gamepad")] if action else []
        if etype == pygame.JOYDEVICEADDED:
            self._open_joystick(event.device_index)
        return []

    def _axis(self, instance: int, axis: int, value: float) -> list[InputEvent]:
        if axis > 1:  # triggers and second sticks: no menu meaning
            return []
        direction = 1 if value > AXIS_THRESHOLD else -1 if value < -AXIS_THRESHOLD else 0
        key = (instance, axis)
        if direction == self._axis_pushed.get(key, 0):
            return []
        self._axis_pushed[key] = direction
        if direction == 0:
            return []
        names = ("left", "right") if axis == 0 else ("up", "down")
        return [_action(names[0] if direction < 0 else names[1], "gamepad")]

    def _open_joystick(self, index: int) -> None:
        # SDL only sends joystick events for opened devices; keep a reference so it stays open.
        try:
            joystick = pygame.joystick.Joystick(index)
            self._joysticks[joystick.get_instance_id()] = joystick
        except pygame.error:
            pass


def _action(name: str, source: str) -> InputEvent:
    return InputEvent("action", action=name, source=source)
