"""Clinics and the educational resource links their staff pin."""
