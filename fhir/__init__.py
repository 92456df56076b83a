"""The FHIR R4 directory API: read-only, public, under exactly the site's listing rule.

The fhir.resources package (a test dependency) also installs a top-level `fhir` package;
extending the path lets `import fhir.resources` find it beside this app."""

from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)
