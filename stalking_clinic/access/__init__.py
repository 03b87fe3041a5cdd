"""Who may see and do what. Views declare a permission with ``require``, and the HTTP methods they
take (``READS`` unless said: ``POSTS``, ``POST_ONLY``); rules live here only."""

from .decorators import POST_ONLY, POSTS, READS, public, require
from .rules import Perm, can, permissions_for

__all__ = ["POSTS", "POST_ONLY", "READS", "Perm", "can", "permissions_for", "public", "require"]
