"""Writes of the meetings area, one module per part: ``meetings`` (scheduling and changing a
meeting), ``attendance`` (invitations, attendance, confidentiality agreements), ``agenda`` (the
agenda and each case's discussion), ``drop_ins`` (advice given at drop-in sessions) and
``actions`` (actions and their updates); ``checks`` holds the checks several of them make."""
