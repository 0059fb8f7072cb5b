-- Source tables of the example project; `rocky seed` runs this on the Spark Connect server.
CREATE DATABASE IF NOT EXISTS raw;

DROP TABLE IF EXISTS raw.customers;
CREATE TABLE raw.customers (
    id          INT NOT NULL,
    name        STRING NOT NULL,
    email       STRING,
    signed_up   DATE NOT NULL
) USING parquet;

DROP TABLE IF EXISTS raw.orders;
CREATE TABLE raw.orders (
    id           BIGINT NOT NULL,
    customer_id  INT NOT NULL,
    status       STRING NOT NULL,
    amount       DECIMAL(10,2) NOT NULL,
    updated_at   TIMESTAMP NOT NULL
) USING parquet;

INSERT INTO raw.customers VALUES
    (1, 'Ada Lovelace', 'ada@example.com', DATE '2024-01-05'),
    (2, 'Alan Turing', 'alan@example.com', DATE '2024-02-11'),
    (3, 'Grace Hopper', NULL, DATE '2024-03-20');

INSERT INTO raw.orders VALUES
    (100, 1, 'completed', 42.50, TIMESTAMP '2024-05-01 10:05:00'),
    (101, 1, 'completed', 17.00, TIMESTAMP '2024-05-03 12:31:00'),
    (102, 2, 'returned', 99.99, TIMESTAMP '2024-05-06 08:00:00'),
    (103, 3, 'placed', 5.25, TIMESTAMP '2024-05-07 18:45:00');
