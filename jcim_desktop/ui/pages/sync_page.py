"""同期 (the main window loads it by this module name): the page lives in ``pages/sync/``."""

from jcim_desktop.ui.pages.sync.page import SyncPage

__all__ = ["SyncPage"]
