"""Translations: PO files, runtime lookups with fallback, extract, update, checks, typography."""
