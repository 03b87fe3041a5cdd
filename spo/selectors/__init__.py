"""Reads of the protection orders area, one module per subject; each page's context beyond
fetching one record is built here, and the views only fetch and render.

- ``applications``: the solicitor's list and its filters, the orders list, an application's page
  (orders in force, overdue notifications, later applications, where it may move next) and the
  case page's panel;
- ``calendar``: the hearings and deadlines a user's calendar shows, as events for the page, the
  .ics download and the feed, and the courts to filter on;
- ``documents``: what the application pack and the order details PDFs hold.
"""
