"""Reads of the training area, one module per subject: ``compliance`` (who counts as trained on
each mandatory course), ``reports`` (compliance by area and team, training delivered per month),
``sessions`` (places left and the waiting list)."""
