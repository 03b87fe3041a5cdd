"""Views of the referrals area, one module per part of the work; each exports ``urlpatterns``."""
