-- Source tables of the example project; `rocky seed` loads them into the PostgreSQL database.
CREATE SCHEMA IF NOT EXISTS raw;

DROP TABLE IF EXISTS raw.customers;
CREATE TABLE raw.customers (
    id          INTEGER NOT NULL,
    name        VARCHAR(80) NOT NULL,
    email       VARCHAR(120),
    signed_up   DATE NOT NULL
);

DROP TABLE IF EXISTS raw.orders;
CREATE TABLE raw.orders (
    id           BIGINT NOT NULL,
    customer_id  INTEGER NOT NULL,
    status       TEXT NOT NULL,
    amount       NUMERIC(10,2) NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO raw.customers VALUES
    (1, 'Ada Lovelace', 'ada@example.com', DATE '2024-01-05'),
    (2, 'Alan Turing', 'alan@example.com', DATE '2024-02-11'),
    (3, 'Grace Hopper', NULL, DATE '2024-03-20');

INSERT INTO raw.orders VALUES
    (100, 1, 'completed', 42.50, TIMESTAMPTZ '2024-05-01 10:05:00+00'),
    (101, 1, 'completed', 17.00, TIMESTAMPTZ '2024-05-03 12:31:00+00'),
    (102, 2, 'returned', 99.99, TIMESTAMPTZ '2024-05-06 08:00:00+00'),
    (103, 3, 'placed', 5.25, TIMESTAMPTZ '2024-05-07 18:45:00+00');
