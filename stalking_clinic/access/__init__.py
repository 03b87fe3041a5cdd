"""Who may see and do what. Views declare a permission with ``require``; rules live here only."""

from .decorators import public, require
from .rules import Perm, can, permissions_for

__all__ = ["Perm", "can", "permissions_for", "public", "require"]
