"""Writes in the protection orders area: one named operation per act, one transaction, one audit
entry. Each refuses what the Stalking Protection Act 2019 or the clinic does not allow with a
``ServiceError`` whose message is for the user and whose ``field`` names the form field at fault.

Edits take the ``version`` the user saw: the row is locked and compared, so when two people edit
the same record at once the second is told, not silently overwritten.

One module per subject, each quoting the sections of the Act it implements:

- ``applications``: starting an application (s.1(1), s.7(1)), its details and evidence, and its
  stages (``ALLOWED_MOVES``; deciding it ends its interim orders, s.5);
- ``orders``: the interim and full orders the court makes (s.2, s.3, s.5) and their service on
  the defendant, which starts the first notification (s.9(1));
- ``notifications``: what the defendant must notify and what they did (s.9, s.10);
- ``conditions``: the prohibitions and requirements an order would impose (s.2);
- ``hearings``: the court hearings of an application;
- ``breaches``: breaches of an order (s.8) and their outcome;
- ``calendar_feed``: the secret address a calendar program reads the solicitor's calendar from;
- ``refusals``: what the others share when they refuse (who changed a record last, a decided
  application's parts, a choice outside its kind, how a day is named).
"""
