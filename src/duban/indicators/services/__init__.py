"""Writes for indicators: data and facility imports (all or nothing), target binding, computation.

The modules: ``importing`` (what the imports share), ``data`` (statistical figures), ``facilities`` (the facility
registry) ``compute`` (binding targets, computing and storing the values) and ``shares`` (a province target shared among
the jurisdictions).
"""

from __future__ import annotations

from duban.indicators.services.compute import (
    ComputeReport,
    indicators_after_import,
    indicators_recompute,
    indicators_refresh,
    targets_bind,
)
from duban.indicators.services.data import (
    census_load_bundled,
    data_import,
    data_import_file,
    data_import_table,
    data_values_set,
    elements_load_bundled,
)
from duban.indicators.services.facilities import (
    FACILITY_COLUMNS,
    facility_import,
    facility_import_file,
    facility_import_table,
)
from duban.indicators.services.importing import DataImportError, ImportReport
from duban.indicators.services.shares import SharesRefused, share_rows_from_file, target_shares_set

__all__ = [
    "FACILITY_COLUMNS",
    "ComputeReport",
    "DataImportError",
    "ImportReport",
    "SharesRefused",
    "census_load_bundled",
    "data_import",
    "data_import_file",
    "data_import_table",
    "data_values_set",
    "elements_load_bundled",
    "facility_import",
    "facility_import_file",
    "facility_import_table",
    "indicators_after_import",
    "indicators_recompute",
    "indicators_refresh",
    "share_rows_from_file",
    "target_shares_set",
    "targets_bind",
]
