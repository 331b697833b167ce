"""Opening the store: URLs, plain paths, and clear refusals."""

from pathlib import Path

import pytest

from relance.store.db import Store, StoreUnavailable, database_url


def test_plain_path_is_a_sqlite_file(tmp_path: Path):
    assert (
        database_url(str(tmp_path / "books.db")) == f"sqlite:///{tmp_path / 'books.db'}"
    )


def test_postgresql_url_uses_psycopg3():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_missing_folder_is_named(tmp_path: Path):
    with pytest.raises(StoreUnavailable) as caught:
        Store(str(tmp_path / "nowhere" / "x.db"))
    assert str(caught.value) == (
        f"cannot open the database {tmp_path / 'nowhere' / 'x.db'}: "
        f"the folder {tmp_path / 'nowhere'} does not exist"
    )


def test_unreachable_server_is_refused_clearly():
    with pytest.raises(StoreUnavailable) as caught:
        Store("postgresql://nobody@127.0.0.1:1/x")
    assert str(caught.value).startswith(
        "cannot open the database postgresql+psycopg://"
    )
