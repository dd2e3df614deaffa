"""Treatment reports and what followed: a patient-reported registry with honest figures."""
