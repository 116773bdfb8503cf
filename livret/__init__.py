"""livret: branded, translated, print-ready PDFs for associations."""

__version__ = "0.1.0"
