"""A shared database's server that takes the connection but never answers (a hung host, a
firewall swallowing the packets) is said unreachable after ``CONNECT_TIMEOUT_S``, not waited for
until the system gives up: the window's work waits on one thread behind it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from jcim_desktop.store import database
from jcim_desktop.store.database import DatabaseUnreachable, make_server_engine


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_server_that_never_answers_is_said_unreachable(silent_server, monkeypatch):
    monkeypatch.setattr(database, "CONNECT_TIMEOUT_S", 1)
    engine = make_server_engine(f"postgresql+psycopg://jcim@127.0.0.1:{silent_server}/jcim")
    try:
        with pytest.raises(DatabaseUnreachable, match="接続できません"):
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
