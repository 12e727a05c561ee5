"""The window's colours and the style rules its pages share: one name per meaning.

Pages build their own style sheets from :data:`PAGE_STYLE` plus what only they need, and refer
to these names instead of writing colours out (so an error is the same red everywhere).
"""

from __future__ import annotations

TEXT = "#1f2933"
"""Body text and headings."""
MUTED = "#5f6b7a"
"""Secondary text: hints, counts, notes."""
ERROR = "#b42318"
"""Errors, overdue dates, refused packages."""
CAUTION = "#9c4221"
"""Something to look at that is not an error (a stalled step, a conflict note)."""
ACCENT = "#2f6db5"
NAVY = "#1f3a5f"
PANEL = "#ffffff"
PANEL_BORDER = "#dde3ea"
TOTAL_BACKGROUND = "#eef2f7"

PAGE_STYLE = f"""
QFrame#panel, QFrame#card {{ background: {PANEL}; border: 1px solid {PANEL_BORDER}; border-radius: 8px; }}
QLabel#pageTitle {{ font-size: 20px; font-weight: bold; color: {TEXT}; }}
QLabel#panelTitle {{ font-size: 15px; font-weight: bold; color: {TEXT}; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#warning {{ color: {ERROR}; }}
"""
"""Panels, page and panel titles, muted and warning labels (``setObjectName`` picks the rule)."""


def colour(name: str) -> str:
    """A label style sheet that only sets the text colour (``palette.colour(palette.MUTED)``)."""
    return f"color: {name};"
