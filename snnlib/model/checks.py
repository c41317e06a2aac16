"""Parameter checks for model descriptions (the public name of `snnlib._validate`): each raises a
ValueError/TypeError naming the parameter, the value received and what is allowed."""

from snnlib._validate import count, finite_array, nonnegative, positive, probability, real

__all__ = ["real", "positive", "nonnegative", "probability", "count", "finite_array"]
