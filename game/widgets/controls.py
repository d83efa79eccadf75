"""Buttons, sliders and cycling choices: small, keyboard-free widgets driven by pygame events."""
from __future__ import annotations

import math
from typing import Callable, Sequence

import pygame

from game import theme


class Button:
    def __init__(self, label: str, on_click: Callable[[], None], key_hint: str = "", enabled: bool = True):
        self.label, self.on_click, self.key_hint, self.enabled = label, on_click, key_hint, enabled
        self.rect = pygame.Rect(0, 0, 10, 10)
        self.hover = False

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.hover = self.rect.collidepoint(event.pos)
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            if self.enabled:
                self.on_click()
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        color = theme.PANEL_EDGE if not self.hover else (74, 82, 106)
        pygame.draw.rect(surface, color if self.enabled else theme.PANEL, self.rect, border_radius=6)
        pygame.draw.rect(surface, theme.PANEL_EDGE, self.rect, 1, border_radius=6)
        label = self.label + (f"  [{self.key_hint}]" if self.key_hint else "")
        size = 14
        while size > 10 and theme.font(size).size(label)[0] > self.rect.w - 8:
            size -= 1  # narrow windows: shrink the label rather than spill out of the button
        theme.text(surface, label, self.rect.center, size, theme.TEXT if self.enabled else theme.MUTED,
                   anchor="center")


class Slider:
    """A horizontal slider; ``log`` makes it move through orders of magnitude."""

    def __init__(self, label: str, lo: float, hi: float, value: float, on_change: Callable[[float], None],
                 log: bool = False, fmt: str = "{:.3g}", max_label: bool = False):
        self.label, self.lo, self.hi, self.log, self.fmt = label, lo, hi, log, fmt
        self.max_label = max_label  # the top end reads "as fast as possible"
        self.value, self.on_change = value, on_change
        self.rect = pygame.Rect(0, 0, 10, 10)
        self.dragging = False

    @property
    def track(self) -> pygame.Rect:
        return pygame.Rect(self.rect.x, self.rect.bottom - 12, self.rect.w, 8)

    def _fraction(self, value: float) -> float:
        if self.log:
            return (math.log(value) - math.log(self.lo)) / (math.log(self.hi) - math.log(self.lo))
        return (value - self.lo) / (self.hi - self.lo)

    def _value_at(self, x: int) -> float:
        f = min(1.0, max(0.0, (x - self.track.x) / max(1, self.track.w)))
        if self.log:
            return math.exp(math.log(self.lo) + f * (math.log(self.hi) - math.log(self.lo)))
        return self.lo + f * (self.hi - self.lo)

    def set(self, value: float) -> None:
        self.value = min(self.hi, max(self.lo, value))
        self.on_change(self.value)

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            self.dragging = True
            self.set(self._value_at(event.pos[0]))
            return True
        if event.type == pygame.MOUSEMOTION and self.dragging:
            self.set(self._value_at(event.pos[0]))
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.dragging:
            self.dragging = False
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        shown = "as fast as possible" if self.max_label and self.value >= self.hi * 0.999 else self.fmt.format(self.value)
        theme.text(surface, f"{self.label}: {shown}", (self.rect.x, self.rect.y), 14)
        track = self.track
        pygame.draw.rect(surface, theme.PANEL_EDGE, track, border_radius=4)
        fill = track.copy()
        fill.w = int(track.w * self._fraction(self.value))
        pygame.draw.rect(surface, theme.ACCENT, fill, border_radius=4)
        pygame.draw.circle(surface, theme.TEXT, (fill.right, track.centery), 7)


class Choice(Button):
    """A button that cycles through options: label shows the current one."""

    def __init__(self, label: str, options: Sequence, value, on_change: Callable[[object], None], key_hint: str = ""):
        self.title, self.options, self.value, self.on_change_value = label, list(options), value, on_change
        super().__init__("", self.cycle, key_hint)
        self._relabel()

    def _relabel(self) -> None:
        self.label = f"{self.title}: {self.value}"

    def cycle(self) -> None:
        i = (self.options.index(self.value) + 1) % len(self.options)
        self.value = self.options[i]
        self._relabel()
        self.on_change_value(self.value)


def stack(widgets: Sequence, area: pygame.Rect, height: int = 30, gap: int = 8) -> int:
    """Lay widgets out top to bottom in ``area``; returns the y below the last."""
    y = area.y
    for w in widgets:
        h = height + (10 if isinstance(w, Slider) else 0)
        w.rect = pygame.Rect(area.x, y, area.w, h)
        y += h + gap
    return y


class NumberSlider(Slider):
    """A slider for one weight: drag it, scroll over it (Shift: fine steps), or click its value
    and type a number (Enter accepts, Esc cancels). Drags snap to 0.1 so nice values are easy."""

    def __init__(self, label: str, lo: float, hi: float, value: float, on_change: Callable[[float], None]):
        super().__init__(label, lo, hi, value, on_change, fmt="{:+.2f}")
        self.typing: str | None = None
        self.highlight = False
        self.hovered = False  # from MOUSEMOTION: wheel events carry no position

    @property
    def compact(self) -> bool:
        return self.rect.h < 34  # one line: label, track, value

    @property
    def track(self) -> pygame.Rect:
        if self.compact:
            x = self.rect.x + int(self.rect.w * 0.36)
            return pygame.Rect(x, self.rect.centery - 4, self.rect.right - 58 - x, 8)
        return super().track

    @property
    def value_rect(self) -> pygame.Rect:
        if self.compact:
            return pygame.Rect(self.rect.right - 52, self.rect.centery - 9, 52, 18)
        return pygame.Rect(self.rect.right - 70, self.rect.y, 70, 18)

    def _value_at(self, x: int) -> float:
        return round(super()._value_at(x) * 10) / 10

    def handle_event(self, event: pygame.event.Event) -> bool:
        if self.typing is not None and event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                try:
                    self.set(float(self.typing))
                except ValueError:
                    pass
                self.typing = None
            elif event.key == pygame.K_ESCAPE:
                self.typing = None
            elif event.key == pygame.K_BACKSPACE:
                self.typing = self.typing[:-1]
            elif event.unicode and event.unicode in "0123456789.-+":
                self.typing += event.unicode
            return True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.value_rect.collidepoint(event.pos):
            self.typing = ""
            return True
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
        if event.type == pygame.MOUSEWHEEL and self.hovered:
            fine = pygame.key.get_mods() & pygame.KMOD_SHIFT
            self.set(round((self.value + event.y * (0.1 if fine else 0.5)) * 100) / 100)
            return True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.typing is not None:
            self.typing = None
        return super().handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        color = theme.ACCENT if self.highlight else theme.TEXT
        if self.compact:
            theme.text(surface, self.label, (self.rect.x, self.rect.centery), 13, color, anchor="midleft")
        else:
            theme.text(surface, self.label, (self.rect.x, self.rect.y), 14, color)
        vr = self.value_rect
        if self.typing is not None:
            pygame.draw.rect(surface, (50, 56, 76), vr, border_radius=4)
            theme.text(surface, self.typing + "|", (vr.right - 4, vr.centery), 14, theme.WARN, anchor="midright")
        else:
            theme.text(surface, self.fmt.format(self.value), (vr.right - 4, vr.centery), 14,
                       theme.ACCENT if self.value > 0 else theme.BLUE if self.value < 0 else theme.MUTED, anchor="midright")
        track = self.track
        pygame.draw.rect(surface, theme.PANEL_EDGE, track, border_radius=4)
        zero = track.x + int(track.w * self._fraction(0.0))
        x = track.x + int(track.w * min(1.0, max(0.0, self._fraction(self.value))))  # values past the ends pin there
        fill = pygame.Rect(min(zero, x), track.y, abs(x - zero), track.h)
        pygame.draw.rect(surface, theme.ACCENT if self.value >= 0 else theme.BLUE, fill, border_radius=4)
        pygame.draw.line(surface, theme.MUTED, (zero, track.y - 2), (zero, track.bottom + 2))
        pygame.draw.circle(surface, theme.TEXT, (x, track.centery), 7)
