"""The demo's fixed settings, light to import (the CLI reads them for its help)."""

from datetime import date

DEMO_AS_OF = date(2026, 11, 30)
"""The demo's fixed end date, so that its output is reproducible."""
DEMO_SEED = 42
DEMO_CUSTOMERS = 300
