"""Opening the store: engine, schema migration, sessions.

The database URL comes from `--db`, else `RELANCE_DATABASE_URL`, else the SQLite
file `./relance.db`. The schema is always brought up to date with Alembic before
use, so a new file and an old one behave the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///relance.db"
_MIGRATIONS = Path(__file__).with_name("migrations")


class StoreUnavailable(Exception):
    """The database cannot be opened; the message says why and what to do."""


def database_url(explicit: str | None = None) -> str:
    """The URL to use: the explicit one, the environment's, or the default file.

    A plain file path (no `scheme://`) is taken as a SQLite file.
    """
    url = explicit or os.environ.get("RELANCE_DATABASE_URL") or DEFAULT_URL
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    # Plain postgresql:// means psycopg 3 here, the driver we install.
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _check_sqlite_folder(url: str) -> None:
    """Name the folder when a SQLite file cannot be created in it."""
    path = make_url(url).database
    if not path or path == ":memory:":
        return
    folder = Path(path).expanduser().resolve().parent
    if not folder.is_dir():
        raise StoreUnavailable(
            f"cannot open the database {path}: the folder {folder} does not exist"
        )


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for the URL (see `database_url`)."""
    resolved = database_url(url)
    if resolved.startswith("sqlite"):
        _check_sqlite_folder(resolved)
    engine = create_engine(resolved)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision."""
    # Alembic is imported here: it is slow to load and only needed to open a store.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    """An open, migrated database and its session factory."""

    def __init__(self, url: str | None = None) -> None:
        self.engine = make_engine(url)
        try:
            migrate(self.engine)
        except OperationalError as exc:
            self.engine.dispose()
            shown = self.engine.url.render_as_string(hide_password=True)
            raise StoreUnavailable(
                f"cannot open the database {shown}: {exc.orig}"
            ) from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
