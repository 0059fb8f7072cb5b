-- Source tables for the differential corpus: every type family DuckDB has.
CREATE SCHEMA s;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE s.t (
    a INTEGER, b VARCHAR, d DATE, x DECIMAL(10,2), s STRUCT(f INTEGER, g VARCHAR), l INTEGER[], "Name" VARCHAR,
    ts TIMESTAMP, big BIGINT, dbl DOUBLE
);
CREATE TABLE s.u (a INTEGER, c VARCHAR, x DECIMAL(12,4));
CREATE TABLE s.types (
    ti TINYINT, si SMALLINT, i INTEGER, bi BIGINT, hi HUGEINT,
    uti UTINYINT, usi USMALLINT, ui UINTEGER, ubi UBIGINT,
    f FLOAT, db DOUBLE, d4 DECIMAL(4,1), d18 DECIMAL(18,3), d38 DECIMAL(38,10),
    v VARCHAR, bo BOOLEAN, dt DATE, tm TIME, tsz TIMESTAMPTZ, ts TIMESTAMP, iv INTERVAL,
    id UUID, bl BLOB, m mood, arr INTEGER[3], mp MAP(VARCHAR, INTEGER), st STRUCT(k VARCHAR, n STRUCT(z DOUBLE)),
    vl VARCHAR[]
);
CREATE TABLE s.orders (order_id BIGINT, customer_id INTEGER, amount DECIMAL(10,2), status VARCHAR, ordered_at TIMESTAMP);
CREATE TABLE s.customers (customer_id INTEGER, name VARCHAR, country VARCHAR, signed_up DATE);
