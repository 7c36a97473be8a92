"""Report writers. FORMATS: the report files, by the names `harness evaluate --format` knows."""

FORMATS = ("json", "csv", "parquet", "md", "junit", "html")
