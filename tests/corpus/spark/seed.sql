-- The sources of the Spark corpus, created in a fresh database (schema) that the test makes the
-- session's current one; the queries read the tables unqualified. Empty tables: DESCRIBE QUERY
-- types a query from the tables' schemas alone.
CREATE TABLE customers (id INT, name STRING, email STRING, country STRING, segment STRING, is_active BOOLEAN, birth_year SMALLINT, score DOUBLE, lifetime_value DECIMAL(12,2), signup_date DATE, created_at TIMESTAMP, tags ARRAY<STRING>, profile STRUCT<age: INT, city: STRING>, attrs MAP<STRING, STRING>) USING parquet;
CREATE TABLE orders (id BIGINT, customer_id INT, amount DECIMAL(10,2), discount DECIMAL(5,2), quantity INT, status STRING, ordered_at TIMESTAMP, ordered_on DATE, line_ids ARRAY<INT>, shipping STRUCT<method: STRING, cost: DOUBLE>) USING parquet;
CREATE TABLE products (id INT, sku STRING, title STRING, price DECIMAL(8,2), weight FLOAT, in_stock BOOLEAN, category STRING, ratings ARRAY<DOUBLE>, dims MAP<STRING, DOUBLE>) USING parquet;
CREATE TABLE order_items (order_id BIGINT, line_no INT, product_id INT, qty TINYINT, unit_price DECIMAL(8,2)) USING parquet;
CREATE TABLE events (id BIGINT, customer_id INT, kind STRING, at TIMESTAMP, at_ntz TIMESTAMP_NTZ, payload STRING, props MAP<STRING, INT>, raw BINARY) USING parquet;
