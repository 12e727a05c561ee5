"""同期 and 競合: the pages that exchange sync packages, manage trusted keys and settle conflicts.

``page`` (the 同期 page), ``dialogs`` (the import preview, trusting a key), ``models`` (its
tables), ``wording`` (texts both pages share), ``conflicts`` (the 競合 page) and
``conflict_models`` (its tables and how a version's values read). The main window loads the
pages through ``pages/sync_page.py`` and ``pages/conflicts_page.py``.
"""
