"""Police log exports: importing them and scanning them for stalking."""
