"""The shared library every app imports: the one error shape, the form helper, the table of
limits and rate limiting, jurisdictions, bulk COPY, emails, security headers, settings helpers."""
