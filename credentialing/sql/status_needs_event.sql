-- A credential's status (credentialing.License, credentialing.Certification) may change
-- only together with its event in the verification log: the statement that changes it must
-- find, in the same transaction, an event for this credential from the old status to the
-- new one. credentialing.rules writes the event first, then the status; any other writer,
-- a client in SQL included, is refused. The trigger's argument names the event's column
-- that points at the credential.

CREATE OR REPLACE FUNCTION credentialing_require_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    recorded boolean;
BEGIN
    EXECUTE format(
        'SELECT EXISTS (SELECT 1 FROM directory_verificationevent
                         WHERE %I = $1 AND from_status = $2 AND to_status = $3
                           AND transaction_id = pg_current_xact_id())',
        TG_ARGV[0])
    INTO recorded USING NEW.id, OLD.status, NEW.status;
    IF NOT recorded THEN
        RAISE EXCEPTION '% % status change % -> % has no verification event in this transaction',
            TG_TABLE_NAME, NEW.id, OLD.status, NEW.status
            USING ERRCODE = 'integrity_constraint_violation',
                  HINT = 'Change a credential''s status only through credentialing.rules.';
    END IF;
    RETURN NULL;
END;
$$;

-- Constraint triggers have no CREATE OR REPLACE: dropped and created again, in the
-- migration's transaction, so no write ever sees them missing.
DROP TRIGGER IF EXISTS directory_license_status_needs_event ON directory_license;
CREATE CONSTRAINT TRIGGER directory_license_status_needs_event
    AFTER UPDATE OF status ON directory_license
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION credentialing_require_event('license_id');

DROP TRIGGER IF EXISTS directory_certification_status_needs_event ON directory_certification;
CREATE CONSTRAINT TRIGGER directory_certification_status_needs_event
    AFTER UPDATE OF status ON directory_certification
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION credentialing_require_event('certification_id');
