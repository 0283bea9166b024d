"""Starting Django from the ``duban`` command, and the checks every database command needs first."""

from __future__ import annotations

import os

from duban.core.errors import UserError


class NotInitialised(UserError):
    pass


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    import django

    django.setup()


def require_initialised() -> None:
    """Refuse politely when ``duban init`` has not created the schema yet."""
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        tables = set(connection.introspection.table_names())
    except OperationalError as exc:
        raise NotInitialised(f"无法连接数据库 (cannot reach the database: {exc})") from exc
    if "plans_plan" not in tables or "orgs_orgunit" not in tables:
        raise NotInitialised(
            "数据库尚未初始化，请先运行 duban init (the database is not initialised: run `duban init`)"
        )
