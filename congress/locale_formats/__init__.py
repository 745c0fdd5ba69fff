"""The committee's own way of writing dates (FORMAT_MODULE_PATH): one format on every page, as
in the exports (see congress.formats)."""
