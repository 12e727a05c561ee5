"""Sync packages (SYNC_FORMAT.md): keys, signing, package read/write and merge."""
