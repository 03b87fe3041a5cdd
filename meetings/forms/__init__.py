"""Forms of the meetings area, one module per part: ``meetings`` (the list's filters, scheduling
and changing a meeting), ``attendance`` (inviting people, their attendance), ``agenda`` (cases on
the agenda and their discussion), ``drop_ins`` (advice given at drop-in sessions), ``actions``
(the action lists' filters, creating and updating an action) and ``minutes`` (which copy of the
minutes to produce); ``fields`` holds the choice fields they share.

A form that saves parses what one service takes (``service_kwargs``); the service decides.
"""
