-- The identity document a controlled-substance order carries (identity_documents), from the partner's own
-- patient record. Kept as given (wide columns): the outbox checks it before ordering, so a bad value sends
-- the fill to the review queue instead of being stored wrongly or refused at import.
ALTER TABLE partner_patient ADD COLUMN id_document_type VARCHAR(20);
ALTER TABLE partner_patient ADD COLUMN id_document_number VARCHAR(100);
ALTER TABLE partner_patient ADD COLUMN id_document_country VARCHAR(20);
ALTER TABLE partner_patient ADD COLUMN id_document_state VARCHAR(20);
