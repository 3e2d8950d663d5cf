"""Pattern tables and detectors shared by rules (secrets, paths)."""
