"""A static-files finder for assets that installed packages ship, so that no page needs a CDN."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

# URL path under STATIC_URL → (package, file inside it).
PACKAGE_ASSETS = {
    "vendor/plotly.min.js": ("plotly", "package_data/plotly.min.js"),
}


def asset_path(url_path: str) -> Path:
    package, inside = PACKAGE_ASSETS[url_path]
    return Path(str(resources.files(package).joinpath(inside)))


class _PackageStorage(FileSystemStorage):
    """Opens each asset by its URL path, wherever its package keeps it (for ``collectstatic``)."""

    def path(self, name: str) -> str:
        return str(asset_path(name))


class PackageAssetFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[Any]:
        missing = [url for url in PACKAGE_ASSETS if not asset_path(url).is_file()]
        if not missing:
            return []
        return [Error(f"packaged asset not installed: {', '.join(missing)}", id="duban.E001")]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:  # type: ignore[override]
        if path in PACKAGE_ASSETS:
            found = str(asset_path(path))
            return [found] if find_all else found
        return [] if find_all else ""

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        storage = _PackageStorage()
        for url_path in PACKAGE_ASSETS:
            yield url_path, storage
