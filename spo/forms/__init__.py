"""Forms of the protection orders area, one module per subject.

Each form parses what one service takes (its cleaned data, or ``service_kwargs()``, are the
service's keyword arguments) or what one selector filters on; the service decides and its refusals
come back as errors on the field they name (``stalking_clinic.service_forms``). Forms that change
an existing record carry the ``version`` the user saw, so a save made after someone else's is
refused rather than silently overwriting it.

- ``applications``: the solicitor's list filters, starting an application (and one that follows
  an order: variation, renewal, discharge, appeal), its details and evidence, moving its stage;
- ``conditions``: adding and rewording a prohibition or requirement;
- ``orders``: recording an order, its service, a notification due and what was notified;
- ``hearings``: adding a hearing, changing it or recording its outcome;
- ``breaches``: recording a breach and its outcome;
- ``calendar``: the calendar's filters;
- ``documents``: whom the application pack is disclosed to.
"""
