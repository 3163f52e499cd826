"""Official statistics and the caseload's own figures, in one tidy shape (pure: no Django).

Readers for Eurostat TSV, SDMX-CSV 1.0/2.0 and JSON-stat 2.0, UNHCR Refugee Data Finder tables
and a table of published figures; a Parquet store with idempotent, atomic imports; caseload
statistics with small-cell suppression; side-by-side comparisons of sources; SVG charts and a
self-contained HTML report. See docs/statistics.md.
"""

from legalstay.stats.bundled import (
    BundledSource,
    DatasetInfo,
    bundled_observations,
    bundled_sources,
    dataset_info,
    import_bundled,
    parse_bundled,
)
from legalstay.stats.caseload import CASELOAD_DATASETS, caseload_statistics
from legalstay.stats.charts import (
    Chart,
    asylum_applications_chart,
    asylum_decisions_chart,
    caseload_status_chart,
    permits_held_chart,
)
from legalstay.stats.codes import (
    country_code_aliases,
    eurostat_to_iso,
    iso_to_eurostat,
    normalise_period,
)
from legalstay.stats.compare import COMPARISONS, Comparison, ComparisonSpec, compare, comparisons
from legalstay.stats.errors import CaseloadSchemaError, StatsFormatError, StatsQueryError
from legalstay.stats.eurostat_tsv import write_eurostat_tsv
from legalstay.stats.formats import (
    FORMATS,
    ParsedFile,
    detect_format,
    parse_observations,
    read_observations,
)
from legalstay.stats.jsonstat import write_jsonstat
from legalstay.stats.published import load_published_figures
from legalstay.stats.records import display_value, to_csv_text, to_records, to_table_text
from legalstay.stats.report import FLAG_MEANINGS, build_report
from legalstay.stats.sdmx_csv import write_sdmx_csv
from legalstay.stats.series import (
    asylum_decisions,
    first_permits,
    new_asylum_applications,
    permits_held,
    protection_granted,
    published_series,
)
from legalstay.stats.store import (
    STORE_FILE,
    FileImport,
    ImportReport,
    import_files,
    import_parsed,
    load_store,
    merge_observations,
    query,
    save_store,
)
from legalstay.stats.suppression import suppress_small_cells
from legalstay.stats.tidy import (
    FIXED_COLUMNS,
    dimension_columns,
    empty_observations,
    present_dimensions,
)
from legalstay.stats.unhcr import load_unhcr_countries, unhcr_country_code

__all__ = [
    "CASELOAD_DATASETS",
    "COMPARISONS",
    "FIXED_COLUMNS",
    "FLAG_MEANINGS",
    "FORMATS",
    "STORE_FILE",
    "BundledSource",
    "CaseloadSchemaError",
    "Chart",
    "Comparison",
    "ComparisonSpec",
    "DatasetInfo",
    "FileImport",
    "ImportReport",
    "ParsedFile",
    "StatsFormatError",
    "StatsQueryError",
    "asylum_applications_chart",
    "asylum_decisions",
    "asylum_decisions_chart",
    "build_report",
    "bundled_observations",
    "bundled_sources",
    "caseload_statistics",
    "caseload_status_chart",
    "compare",
    "comparisons",
    "country_code_aliases",
    "dataset_info",
    "detect_format",
    "dimension_columns",
    "display_value",
    "empty_observations",
    "eurostat_to_iso",
    "first_permits",
    "import_bundled",
    "import_files",
    "import_parsed",
    "iso_to_eurostat",
    "load_published_figures",
    "load_store",
    "load_unhcr_countries",
    "merge_observations",
    "new_asylum_applications",
    "normalise_period",
    "parse_bundled",
    "parse_observations",
    "permits_held",
    "permits_held_chart",
    "present_dimensions",
    "protection_granted",
    "published_series",
    "query",
    "read_observations",
    "save_store",
    "suppress_small_cells",
    "to_csv_text",
    "to_records",
    "to_table_text",
    "unhcr_country_code",
    "write_eurostat_tsv",
    "write_jsonstat",
    "write_sdmx_csv",
]
