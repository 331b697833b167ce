"""Test fixtures: a fresh store on SQLite, and on PostgreSQL when configured.

`make test` always runs on SQLite; when RELANCE_TEST_POSTGRES_URL is set, every test
that uses `store` runs a second time on PostgreSQL, each in its own fresh schema so
no two tests share data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from relance.store.db import Store, database_url

POSTGRES_URL = os.environ.get("RELANCE_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _postgres_store() -> Iterator[Store]:
    assert POSTGRES_URL is not None
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(database_url(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    store = Store(f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}")
    try:
        yield store
    finally:
        store.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A new, migrated, empty store."""
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'relance.db'}")
        yield s
        s.close()
    else:
        yield from _postgres_store()


@pytest.fixture
def shared_data() -> Path:
    """The public data files beside the project; skip when this machine lacks them."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public data files not found at {SHARED_DATA}")
    return SHARED_DATA
