"""Field shapes that recur across registers."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator

# Plans, reports and money are dated within this range; anything else is a typing error.
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
