"""The window: Qt widgets, Qt models and dialogs (the only layer that imports Qt)."""
