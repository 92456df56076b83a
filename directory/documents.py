"""Named by migration 0006, from before supporting documents moved to credentialing."""

from credentialing.documents import document_path, validate_document  # noqa: F401
