-- What the test consumers did: one row per effect applied, in the order applied, so duplicates or
-- reordering would show.
CREATE TABLE inbox_effects (
    seq        bigint GENERATED ALWAYS AS IDENTITY,
    consumer   text   NOT NULL,
    message_id uuid   NOT NULL,
    body       text
);
