"""Parameter checks for model descriptions (the public name of `snnlib._validate`): each raises a
ValueError/TypeError naming the parameter, the value received and what is allowed.

Numbers are numbers: strings ("1.5"), booleans (True), None and complex values are refused everywhere,
never quietly converted as numpy would (issue 18)."""

from snnlib._validate import count, finite_array, indices, nonnegative, numeric_array, positive, probability, real

__all__ = ["real", "positive", "nonnegative", "probability", "count", "numeric_array", "finite_array", "indices"]
