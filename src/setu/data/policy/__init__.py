"""Bundled policy library (setu-policy/1), activity vocabulary (setu-sectors/1) and screening rules
(setu-screening/1); see docs/policy.md and SOURCE.md. The library informs; it is not legal advice."""
