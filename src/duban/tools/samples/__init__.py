"""The bundled sample documents (see SOURCE.md), shipped inside the package so that an installed duban
can run its demonstration and benchmarks."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def sample_table_path() -> Path:
    """The bundled Hainan table (促进养老托育服务健康发展重点任务分工表)."""
    return Path(str(resources.files("duban.tools.samples").joinpath("hainan_yilao_yixiao_2021.txt")))
