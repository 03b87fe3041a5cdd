"""The protection orders area's pages, one module per part; each module exports ``urlpatterns``.

``applications`` (the lists, an application's page, starting one, its details and stage),
``conditions``, ``orders`` (orders, their service and notifications), ``hearings``, ``breaches``,
``calendar`` (the page, its .ics, the secret feed, reminders) and ``documents`` (the PDFs);
``pages`` holds what they share (a page changing an application through a service).

Who may use them: a change needs ``Perm.SPO`` (the solicitor, coordinator and tactical lead) and
the application (or the part of it changed) as ``spo.access`` gives it: a read-only viewer of the
application gets 403, anyone who may not know it exists 404. Each module says who may read.
"""
