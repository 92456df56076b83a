"""The FHIR R4 directory API: read-only, public, under exactly the site's listing rule.

The package is `fhir_api` so that it never shadows the `fhir` namespace that fhir.resources
installs; its app label stays `fhir`, so its tables and migration history keep their names."""
