"""Writes of the training area, one module per part: ``roster`` (the officer list import),
``courses`` (courses and sessions), ``bookings`` (places, the waiting list, cancellations),
``attendance``, ``champions`` and ``cpd``; ``emails`` sends what they tell people, after
commit."""
