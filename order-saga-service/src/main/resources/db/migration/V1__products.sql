-- The catalogue and its stock. Prices are bigint minor units of an ISO-4217 currency.
CREATE TABLE products (
    id         uuid        PRIMARY KEY,
    sku        text        NOT NULL UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    price      bigint      NOT NULL CHECK (price > 0),
    currency   char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- Units on the shelf, and how many of them running orders have reserved but not yet confirmed.
    -- A reservation is one conditional UPDATE; these checks stop overselling even if the code slips.
    stock      integer     NOT NULL CHECK (stock >= 0),
    reserved   integer     NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= stock),
    version    bigint      NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);
