"""Errors as FHIR answers them: an OperationOutcome with the HTTP status, naming the search
parameter at fault in its diagnostics."""

from __future__ import annotations


class FhirError(Exception):
    def __init__(
        self, diagnostics: str, *, status: int = 400, code: str = "invalid", parameter: str = ""
    ) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.parameter = parameter
        self.diagnostics = f"{parameter}: {diagnostics}" if parameter else diagnostics


def bad_parameter(parameter: str, message: str, *, code: str = "invalid") -> FhirError:
    return FhirError(message, parameter=parameter, code=code)


def not_found(resource_type: str, resource_id: str) -> FhirError:
    return FhirError(f"{resource_type}/{resource_id} is not known.", status=404, code="not-found")


def gone(resource_type: str, resource_id: str) -> FhirError:
    return FhirError(
        f"{resource_type}/{resource_id} is no longer listed in the directory.",
        status=410,
        code="deleted",
    )


def outcome(diagnostics: str, *, code: str, severity: str = "error") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


def error_outcome(error: FhirError) -> dict:
    return outcome(error.diagnostics, code=error.code)
