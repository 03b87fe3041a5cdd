"""Reads of the training area, one module per subject; each page's context beyond fetching one
record is built here, and the views only fetch and render.

- ``compliance``: who counts as trained on each mandatory course (the rules of a standing);
- ``reports``: compliance by area and team, its CSV rows, and training delivered per month;
- ``chart``: the geometry of the monthly chart on the compliance page;
- ``sessions``: places left and the waiting list, the programme, a session's page and register;
- ``courses``: the course catalogue and a course's page;
- ``bookings``: the booking page, an officer's own training, a certificate;
- ``roster``: the officer list, one officer's record, a supervisor's team;
- ``champions``: the champions register with the training each holds;
- ``cpd``: a CPD log and the staff's hours;
- ``home``: the area's front page (and the counts on people's home pages).
"""
