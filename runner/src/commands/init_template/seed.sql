-- Source tables of the example project; `rocky seed` loads them into warehouse.duckdb.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE OR REPLACE TABLE raw.customers (
    id          INTEGER NOT NULL,
    name        VARCHAR NOT NULL,
    email       VARCHAR,
    signed_up   DATE NOT NULL
);

CREATE OR REPLACE TABLE raw.orders (
    id           BIGINT NOT NULL,
    customer_id  INTEGER NOT NULL,
    status       VARCHAR NOT NULL,
    amount       DECIMAL(10,2) NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

INSERT INTO raw.customers VALUES
    (1, 'Ada Lovelace', 'ada@example.com', DATE '2024-01-05'),
    (2, 'Alan Turing', 'alan@example.com', DATE '2024-02-11'),
    (3, 'Grace Hopper', NULL, DATE '2024-03-20');

INSERT INTO raw.orders VALUES
    (100, 1, 'completed', 42.50, TIMESTAMP '2024-05-01 10:05:00'),
    (101, 1, 'completed', 17.00, TIMESTAMP '2024-05-03 12:31:00'),
    (102, 2, 'returned', 99.99, TIMESTAMP '2024-05-06 08:00:00'),
    (103, 3, 'placed', 5.25, TIMESTAMP '2024-05-07 18:45:00');
