"""競合 (the main window loads it by this module name): the page lives in ``pages/sync/``."""

from jcim_desktop.ui.pages.sync.conflicts import ConflictsPage

__all__ = ["ConflictsPage"]
