"""A shared database's faults other than a failed connection reach the person as a Japanese message
that says what could not be done, what happened and what to do (``store.database.user_error_from_server``,
installed by ``make_server_engine``), not as a bug report; bugs stay bugs.

The faults are provoked for real on the ``--postgres`` server (two staff through two connections, an
administrator's settings and commands); the few that cannot be (a full disk, a damaged server) are
checked on the driver's own exception, in the default run as well.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from helpers import run_cli
from jcim_desktop.errors import UserError
from jcim_desktop.services.context import init_installation
from jcim_desktop.store.database import (
    ConnectionLost,
    DatabaseBusy,
    DatabaseTimeout,
    DatabaseUnreachable,
    DuplicateKey,
    SchemaChanged,
    ServerFault,
    ServerOutOfResources,
    ServerPermissionDenied,
    ServerReadOnly,
    ValueRefused,
    make_server_engine,
    retry_when_busy,
    user_error_from_server,
)
from jcim_desktop.store.faults import UNCHANGED

URL = "postgresql+psycopg://jcim:s3cret@db.example.lan/jcim"
BUSY = "他の人の保存と重なりました。何も保存していません。もう一度実行してください。"


def japanese(message: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in message)


@dataclass
class Server:
    url: str
    engine: Engine  # this person's (``make_server_engine``)
    colleague: Engine  # another person's, or the administrator's: autocommit, no error translation

    def value(self, row_id: int) -> int | None:
        with self.colleague.connect() as conn:
            return conn.execute(text("SELECT n FROM scratch WHERE id = :id"), {"id": row_id}).scalar()

    def wait_until_waiting_for_a_lock(self, pid: int) -> None:
        """Until the server says the backend ``pid`` waits for a lock (polled, with a deadline)."""
        deadline = time.monotonic() + 60
        query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
        while time.monotonic() < deadline:
            with self.colleague.connect() as conn:
                if conn.execute(query, {"pid": pid}).scalar() == "Lock":
                    return
            time.sleep(0.01)
        raise AssertionError(f"backend {pid} never waited for a lock")

    def terminate(self, pid: int) -> None:
        """End backend ``pid`` as an administrator does, and wait until it is gone."""
        with self.colleague.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
            deadline = time.monotonic() + 60
            while conn.execute(text("SELECT 1 FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).first():
                assert time.monotonic() < deadline, f"backend {pid} still there"
                time.sleep(0.01)


@pytest.fixture
def server(new_database_url) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    url = new_database_url()
    if url is None:
        pytest.skip("needs a PostgreSQL server (--postgres)")
    colleague = create_engine(url, isolation_level="AUTOCOMMIT")
    with colleague.connect() as conn:
        conn.execute(text("CREATE TABLE scratch (id integer PRIMARY KEY, n integer NOT NULL, label varchar(5))"))
        conn.execute(text("INSERT INTO scratch VALUES (1, 1, 'a'), (2, 2, 'b')"))
    engine = make_server_engine(url)
    yield Server(url, engine, colleague)
    engine.dispose()
    colleague.dispose()


def _pid(conn) -> int:  # type: ignore[no-untyped-def]
    return int(conn.execute(text("SELECT pg_backend_pid()")).scalar())


# -- two staff at once ------------------------------------------------------------------------


def test_a_save_overlapping_a_colleagues_is_refused_as_busy_and_saves_nothing(server: Server) -> None:
    mine = server.engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with pytest.raises(DatabaseBusy) as refused, mine.begin():
        assert mine.execute(text("SELECT n FROM scratch WHERE id = 1")).scalar() == 1
        with server.colleague.connect() as theirs:
            theirs.execute(text("UPDATE scratch SET n = 10 WHERE id = 1"))
        mine.execute(text("UPDATE scratch SET n = 20 WHERE id = 1"))
    mine.close()
    assert refused.value.sqlstate == "40001"
    assert refused.value.message.startswith(f"表 scratch への書き込みができませんでした: {BUSY}")
    assert "SQLSTATE 40001" in refused.value.message  # the server's line, for the administrator
    assert server.value(1) == 10  # the colleague's save stands, mine is not half-written


def test_a_deadlock_refuses_one_of_the_two_saves_as_busy_and_keeps_the_other(server: Server) -> None:
    first, second = server.engine.connect(), server.engine.connect()
    for conn in (first, second):
        conn.execute(text("SET deadlock_timeout = '50ms'"))  # found sooner; the cycle is real either way
        conn.commit()
    outcome: dict[str, object] = {}

    def save(name: str, conn, row: int) -> None:  # type: ignore[no-untyped-def]
        try:
            conn.execute(text("UPDATE scratch SET n = n + 100 WHERE id = :id"), {"id": row})
            conn.commit()
            outcome[name] = "saved"
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            conn.rollback()
            outcome[name] = exc

    first.execute(text("UPDATE scratch SET n = n + 100 WHERE id = 1"))
    second.execute(text("UPDATE scratch SET n = n + 100 WHERE id = 2"))
    first_pid = _pid(first)
    other = threading.Thread(target=save, args=("first", first, 2))
    other.start()
    server.wait_until_waiting_for_a_lock(first_pid)
    save("second", second, 1)
    other.join(60)
    first.close()
    second.close()
    assert sorted(outcome) == ["first", "second"]
    refused = [exc for exc in outcome.values() if isinstance(exc, DatabaseBusy)]
    assert len(refused) == 1 and list(outcome.values()).count("saved") == 1, outcome
    assert refused[0].sqlstate == "40P01" and BUSY in refused[0].message
    assert "表 scratch への書き込みができませんでした" in refused[0].message
    assert (server.value(1), server.value(2)) == (101, 102)  # the survivor's two rows, nothing of the other


def test_the_same_key_saved_by_two_staff_at_once_is_busy_for_the_second(server: Server) -> None:
    first = server.engine.connect()
    first.execute(text("INSERT INTO scratch (id, n) VALUES (5, 50)"))
    outcome: list[BaseException] = []

    def second_person() -> None:
        with server.engine.connect() as conn:
            try:
                conn.execute(text("INSERT INTO scratch (id, n) VALUES (5, 55)"))
                conn.commit()
            except BaseException as exc:  # noqa: BLE001 - the outcome is what the test looks at
                outcome.append(exc)

    other = threading.Thread(target=second_person)
    other.start()
    with server.colleague.connect() as conn:  # the second waits for the first's row, then finds it taken
        deadline = time.monotonic() + 60
        waiting = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        while not conn.execute(waiting).scalar():
            assert time.monotonic() < deadline
            time.sleep(0.01)
    first.commit()
    other.join(60)
    first.close()
    (refused,) = outcome
    assert isinstance(refused, DuplicateKey) and isinstance(refused, DatabaseBusy)
    assert "他の人が同じものを同時に保存しました。何も保存していません。もう一度実行してください。" in refused.message
    assert "表 scratch への書き込みができませんでした" in refused.message and "scratch_pkey" in refused.message
    assert server.value(5) == 50


def test_retrying_a_busy_transaction_runs_it_again_on_what_the_colleague_saved(server: Server) -> None:
    runs: list[int] = []

    def add_one() -> int:
        runs.append(1)
        with server.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            n = int(conn.execute(text("SELECT n FROM scratch WHERE id = 1")).scalar())
            if len(runs) == 1:  # a colleague saves the same row meanwhile, once
                with server.colleague.connect() as theirs:
                    theirs.execute(text("UPDATE scratch SET n = n + 100 WHERE id = 1"))
            conn.execute(text("UPDATE scratch SET n = :n WHERE id = 1"), {"n": n + 1})
            return n + 1

    assert retry_when_busy(add_one) == 102
    assert len(runs) == 2 and server.value(1) == 102  # both additions kept: no lost update


def test_a_transaction_still_busy_after_the_retry_says_so(server: Server) -> None:
    runs: list[int] = []

    def always_overlapped() -> None:
        runs.append(1)
        with server.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            conn.execute(text("SELECT n FROM scratch WHERE id = 1"))
            with server.colleague.connect() as theirs:
                theirs.execute(text("UPDATE scratch SET n = n + 100 WHERE id = 1"))
            conn.execute(text("UPDATE scratch SET n = 0 WHERE id = 1"))

    with pytest.raises(DatabaseBusy):
        retry_when_busy(always_overlapped)
    assert len(runs) == 2 and server.value(1) == 201


# -- the administrator's limits and commands -----------------------------------------------------


def test_a_statement_over_the_servers_time_limit_is_a_timeout_that_saved_nothing(server: Server) -> None:
    with server.colleague.connect() as admin:  # as an IT provider limits every session of the database
        admin.execute(text(f'ALTER DATABASE "{make_url(server.url).database}" SET statement_timeout = \'200ms\''))
    engine = make_server_engine(server.url)
    try:
        with pytest.raises(DatabaseTimeout) as stopped, engine.begin() as conn:
            conn.execute(text("UPDATE scratch SET n = 7 WHERE id = 1"))
            conn.execute(text("SELECT pg_sleep(60) FROM scratch"))
    finally:
        engine.dispose()
    message = stopped.value.message
    assert message.startswith("表 scratch の読み取りができませんでした: サーバーでの処理が制限時間（statement_timeout）を超えた")
    assert UNCHANGED in message and "もう一度行ってください" in message and "SQLSTATE 57014" in message
    assert server.value(1) == 1


def test_waiting_too_long_for_a_colleagues_row_is_a_lock_timeout(server: Server) -> None:
    with server.colleague.connect().execution_options(isolation_level="READ COMMITTED") as theirs, theirs.begin():
        theirs.execute(text("UPDATE scratch SET n = 3 WHERE id = 2"))  # holds the row until its commit
        with server.engine.connect() as mine:
            mine.execute(text("SET lock_timeout = '100ms'"))
            with pytest.raises(DatabaseTimeout) as stopped:
                mine.execute(text("UPDATE scratch SET n = 4 WHERE id = 2"))
    assert stopped.value.sqlstate == "55P03"
    assert stopped.value.message.startswith("表 scratch への書き込みができませんでした: 他の人が使っているデータが空くのを待ちきれませんでした")
    assert server.value(2) == 3


def test_a_connection_the_administrator_ends_mid_save_is_said_and_the_next_one_connects_anew(server: Server) -> None:
    with server.engine.connect() as conn:
        conn.execute(text("UPDATE scratch SET n = 9 WHERE id = 1"))
        server.terminate(_pid(conn))
        with pytest.raises(ConnectionLost) as lost:
            conn.execute(text("INSERT INTO scratch (id, n) VALUES (3, 3)"))
    message = lost.value.message
    assert isinstance(lost.value, DatabaseUnreachable)  # what the window's start already handles
    assert message.startswith("表 scratch への書き込みができませんでした: 共有データベース（")
    assert "との接続が切れました" in message and UNCHANGED in message and "もう一度行ってください" in message
    assert server.value(1) == 1 and server.value(3) is None
    with server.engine.connect() as conn:  # the pool dropped the dead connection
        assert conn.execute(text("SELECT n FROM scratch WHERE id = 2")).scalar() == 2


def test_a_connection_ended_before_the_commit_says_the_save_must_be_checked(server: Server) -> None:
    conn = server.engine.connect()
    conn.execute(text("UPDATE scratch SET n = 9 WHERE id = 1"))
    server.terminate(_pid(conn))
    with pytest.raises(ConnectionLost) as lost:
        conn.commit()
    conn.close()
    assert lost.value.message.startswith("共有データベースへの保存ができませんでした")
    assert "保存が済んだかどうかは確かめられませんでした。" in lost.value.message
    assert "内容を確かめて、保存されていなければもう一度行ってください。" in lost.value.message
    assert server.value(1) == 1  # here it had not reached the server


def test_a_pooled_connection_ended_while_idle_is_replaced_without_a_word(server: Server) -> None:
    with server.engine.connect() as conn:
        pid = _pid(conn)
    server.terminate(pid)  # a server restart overnight does the same to every kept connection
    with server.engine.connect() as conn:
        assert _pid(conn) != pid
        assert conn.execute(text("SELECT n FROM scratch WHERE id = 1")).scalar() == 1


def test_a_read_only_server_refuses_the_write_and_says_to_find_the_writable_one(server: Server) -> None:
    with server.colleague.connect() as admin:
        admin.execute(text(f'ALTER DATABASE "{make_url(server.url).database}" SET default_transaction_read_only = on'))
    engine = make_server_engine(server.url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT n FROM scratch WHERE id = 1")).scalar() == 1  # reading still works
        with pytest.raises(ServerReadOnly) as refused, engine.begin() as conn:
            conn.execute(text("UPDATE scratch SET n = 5 WHERE id = 1"))
    finally:
        engine.dispose()
    message = refused.value.message
    assert message.startswith("表 scratch への書き込みができませんでした: 共有データベース（")
    assert "は読み取り専用です" in message and "書き込みのできるサーバー" in message and "SQLSTATE 25006" in message


@pytest.mark.parametrize(("value", "column", "says", "secret"), [
    (3_000_000_000, "n", "数が大きすぎる（または小さすぎる）値があります", "3000000000"),
    ("あいうえおかきくけこ", "label", "文字数が多すぎる値があります", "あいうえお"),
    ("a\x00b", "label", "使えない文字（NUL 文字、0x00）が含まれています", "a\x00b"),
], ids=["number-out-of-range", "text-too-long", "nul-character"])
def test_a_value_the_server_refuses_is_named_without_showing_it(
    server: Server, value: object, column: str, says: str, secret: str,
) -> None:
    with pytest.raises(ValueRefused) as refused, server.engine.begin() as conn:
        conn.execute(text(f"INSERT INTO scratch (id, n, {column}) VALUES (9, 9, :v)" if column != "n"
                          else "INSERT INTO scratch (id, n) VALUES (9, :v)"), {"v": value})
    message = refused.value.message
    assert message.startswith("表 scratch への書き込みができませんでした: 共有データベースのサーバーが値を受け付けませんでした（")
    assert says in message and UNCHANGED in message and "入力した値を確かめて直してから" in message
    assert secret not in message
    assert server.value(9) is None


def test_a_text_that_is_not_a_number_is_refused_and_its_value_is_not_quoted(server: Server) -> None:
    phone = "090-1234-5678"  # a contact typed into the wrong field must not reach a message
    with pytest.raises(ValueRefused) as refused, server.engine.begin() as conn:
        conn.execute(text("INSERT INTO scratch (id, n) VALUES (9, CAST(:v AS integer))"), {"v": phone})
    assert "数や日付の形になっていない値があります" in refused.value.message
    assert phone not in refused.value.message and 'invalid input syntax for type integer: "…"' in refused.value.message


# -- privileges --------------------------------------------------------------------------------


@pytest.fixture
def clerk(server: Server, postgres) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """A login role without privileges, as an IT provider makes one for a member of staff."""
    role = f"{postgres.prefix}_clerk"
    with server.colleague.connect() as admin:
        admin.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    yield role, make_url(server.url).set(username=role).render_as_string(hide_password=False)
    with server.colleague.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"), {"r": role})
        admin.execute(text(f'DROP OWNED BY "{role}"'))  # the grants made in this database
    with postgres.admin.connect() as admin:
        admin.execute(text(f'DROP ROLE "{role}"'))


def test_a_role_without_privileges_is_told_which_and_how_the_administrator_grants_them(
    server: Server, clerk: tuple[str, str],
) -> None:
    role, url = clerk
    engine = make_server_engine(url)
    try:
        with pytest.raises(ServerPermissionDenied) as refused, engine.connect() as conn:
            conn.execute(text("SELECT id, title FROM needs ORDER BY id LIMIT 10"))
        message = refused.value.message
        assert message.startswith(f"自治体ニーズ（表 needs）の読み取りができませんでした: 共有データベースの利用者「{role}」には、"
                                  "この操作の権限がありません。")
        assert f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"' in message
        assert "permission denied for table needs" in message  # the server's line, for the administrator

        with server.colleague.connect() as admin:
            admin.execute(text(f'GRANT SELECT ON scratch TO "{role}"'))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT n FROM scratch WHERE id = 1")).scalar() == 1
            with pytest.raises(ServerPermissionDenied) as refused:
                conn.execute(text("UPDATE scratch SET n = 2 WHERE id = 1"))
        assert refused.value.message.startswith("表 scratch への書き込みができませんでした")
        assert f'TO "{role}"' in refused.value.message
    finally:
        engine.dispose()
    assert server.value(1) == 1


def test_db_check_with_a_role_without_privileges_prints_the_message_not_a_traceback(
    server: Server, clerk: tuple[str, str], tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
) -> None:
    role, url = clerk
    status, out, err = run_cli(capsys, "db", "check", "--data-dir", str(tmp_path / "admin"), "--database-url", url)
    assert status == 1, err
    assert f"共有データベースの利用者「{role}」には、この操作の権限がありません" in err and "GRANT" in err
    assert "Traceback" not in out + err and "予期しない" not in err


def test_a_command_on_a_read_only_database_prints_the_message_not_a_traceback(
    server: Server, tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "secretariat"
    init_installation("secretariat", folder, user_name="山田", database_url=server.url).close()
    with server.colleague.connect() as admin:  # the server fails over to a standby, say
        admin.execute(text(f'ALTER DATABASE "{make_url(server.url).database}" SET default_transaction_read_only = on'))
    status, out, err = run_cli(capsys, "demo", "--data-dir", str(folder))
    assert status == 1, err
    assert "への書き込みができませんでした: 共有データベース（" in err and "は読み取り専用です" in err
    assert "s3cret" not in err and "Traceback" not in out + err and "予期しない" not in err


# -- bugs stay bugs; a schema changed underneath is said ---------------------------------------


def test_an_unknown_column_on_a_current_schema_is_a_bug_not_a_user_error(server: Server) -> None:
    with pytest.raises(ProgrammingError) as bug, server.engine.connect() as conn:
        conn.execute(text("SELECT no_such_column FROM needs"))
    assert not isinstance(bug.value, UserError) and bug.value.orig.sqlstate == "42703"  # type: ignore[union-attr]
    with pytest.raises(ProgrammingError), server.engine.connect() as conn:
        conn.execute(text("SELEC 1"))


@pytest.mark.parametrize(("version", "says"), [
    ("9999", "は新しい版のアプリで更新されています（9999）。このアプリを新しい版にしてから、開き直してください。"),
    ("0009", "の表が、このアプリより古い版（0009）に戻っています。管理者が「jcim-desktop db migrate」を実行してから"),
    (None, "に JCIM Desktop の表がありません"),
], ids=["newer", "older", "no-version"])
def test_an_unknown_column_on_a_database_at_another_schema_says_what_to_do(
    server: Server, version: str | None, says: str,
) -> None:
    with server.colleague.connect() as admin:  # another version's migration (or a restore) meanwhile
        if version is None:
            admin.execute(text("DROP TABLE alembic_version"))
        else:
            admin.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": version})
    with pytest.raises(SchemaChanged) as changed, server.engine.connect() as conn:
        conn.execute(text("SELECT renamed_column FROM needs"))
    assert says in changed.value.message


# -- the driver's exceptions for faults not provoked here (both runs) --------------------------


def _fault(cls: type[psycopg.Error], text_: str) -> psycopg.Error:
    return cls(text_)


@pytest.mark.parametrize(("fault", "cls", "says"), [
    (lambda: _fault(psycopg.errors.DiskFull, 'could not extend file "base/1/2": No space left on device'),
     ServerOutOfResources, "サーバーのディスクの空き容量が足りません。"),
    (lambda: _fault(psycopg.errors.DataCorrupted, "invalid page in block 7"), ServerFault,
     "共有データベースのサーバーでエラーが起きました。"),
    (lambda: _fault(psycopg.errors.AdminShutdown, "terminating connection due to administrator command"),
     ConnectionLost, "管理者が接続を終了しました"),
], ids=["disk-full", "data-corrupted", "admin-shutdown"])
def test_server_faults_not_provoked_here_are_user_errors_naming_the_action(
    fault: Callable[[], psycopg.Error], cls: type[UserError], says: str,
) -> None:
    problem = user_error_from_server(fault(), URL, statement='INSERT INTO needs (id) VALUES (%(id)s)', connected=True)
    assert type(problem) is cls and problem is not None
    assert problem.message.startswith("自治体ニーズ（表 needs）への書き込みができませんでした: ")
    assert says in problem.message and japanese(problem.message) and "s3cret" not in problem.message


def test_a_failed_connection_stays_unreachable_and_a_programming_error_stays_a_bug() -> None:
    refused = user_error_from_server(psycopg.OperationalError("connection failed: no such host"), URL)
    assert type(refused) is DatabaseUnreachable and "に接続できません" in refused.message
    assert "s3cret" not in refused.message and "***" in refused.message
    assert user_error_from_server(_fault(psycopg.errors.SyntaxError, "syntax error"), URL, connected=True) is None
    assert user_error_from_server(ValueError("not the driver's"), URL) is None
