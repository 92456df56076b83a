-- The verification log (credentialing.VerificationEvent, table directory_verificationevent):
-- once written, an event can never be changed or removed, whatever client talks to the
-- database; and each event records the transaction that wrote it, stamped by the database.

-- Append-only: UPDATE and DELETE are refused row by row (a foreign key's ON DELETE CASCADE
-- deletes row by row too, so it is refused as well). TRUNCATE removes rows without row
-- triggers, alone or through TRUNCATE ... CASCADE on a credential table, so it has a
-- statement-level trigger of its own. Same function, same message.
CREATE OR REPLACE FUNCTION directory_refuse_verification_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'directory_verificationevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE OR REPLACE TRIGGER directory_verificationevent_append_only
    BEFORE UPDATE OR DELETE ON directory_verificationevent
    FOR EACH ROW EXECUTE FUNCTION directory_refuse_verification_event_change();

CREATE OR REPLACE TRIGGER directory_verificationevent_no_truncate
    BEFORE TRUNCATE ON directory_verificationevent
    FOR EACH STATEMENT EXECUTE FUNCTION directory_refuse_verification_event_change();

-- The writing transaction: the top-level one, also when the event is written inside a
-- savepoint. A client cannot choose it (the model has no such field; the trigger
-- overwrites whatever an INSERT names). status_needs_event.sql reads it.
ALTER TABLE directory_verificationevent ADD COLUMN IF NOT EXISTS transaction_id xid8;

CREATE OR REPLACE FUNCTION credentialing_stamp_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.transaction_id := pg_current_xact_id();
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER directory_verificationevent_stamp
    BEFORE INSERT ON directory_verificationevent
    FOR EACH ROW EXECUTE FUNCTION credentialing_stamp_event();
