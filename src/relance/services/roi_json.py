"""ROI results as JSON-ready values.

Contracts: money is an exact decimal string as computed (already quantised to the
currency); ratios with more than six decimals are rounded half up to six; dates
are ISO strings; curves are lists of floats rounded to four decimals (chart
payloads only); dataclasses become objects with their field names.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_SIX = Decimal("0.000001")


def jsonable(value: Any) -> Any:
    """Turn a result (dataclasses, Decimals, dates, tuples) into JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -6:
            value = value.quantize(_SIX, rounding=ROUND_HALF_UP)
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value
