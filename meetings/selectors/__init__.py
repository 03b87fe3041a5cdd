"""Reads of the meetings area that are more than fetching one record, one module per part:
``meetings`` (the list and a meeting's page), ``agenda`` (suggestions and the agenda page),
``actions`` (the action lists and an action's page) and ``minutes`` (what each copy of the
minutes holds, and which agencies may be sent one).

Who may see what is ``meetings.access``; these modules read within it. Nothing is imported here,
so that ``meetings.access`` can read ``minutes`` without a cycle.
"""
