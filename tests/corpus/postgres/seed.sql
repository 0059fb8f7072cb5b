-- The sources the PostgreSQL corpus reads: a small shop whose columns cover the common
-- PostgreSQL types (with typmods and NOT NULL on some). The test creates them on the server and
-- hands the analysis their `format_type(atttypid, atttypmod)` strings as the schema cache would.
create schema shop;

create table shop.customers (
    id integer not null primary key,
    name text not null,
    email varchar(120),
    country char(2),
    segment varchar(40),
    signup_date date not null,
    is_active boolean not null,
    birth_year smallint,
    lifetime_value numeric(12,2),
    score real,
    tags text[],
    profile jsonb,
    external_id uuid,
    created_at timestamptz not null
);

create table shop.orders (
    id bigint not null primary key,
    customer_id integer not null,
    ordered_at timestamp not null,
    shipped_at timestamp with time zone,
    status varchar(20) not null,
    amount numeric(12,2) not null,
    discount numeric,
    tax_rate double precision,
    quantity smallint not null,
    currency char(3),
    notes text,
    payload json,
    line_ids integer[],
    delivery_window interval
);

create table shop.order_items (
    order_id bigint not null,
    line_no integer not null,
    product_id integer not null,
    qty integer not null,
    unit_price numeric(10,2) not null,
    weight_kg real,
    primary key (order_id, line_no)
);

create table shop.products (
    id integer not null primary key,
    sku char(8) not null,
    title varchar(200) not null,
    category text,
    price numeric(10,2),
    cost numeric(10,4),
    launched date,
    attrs jsonb,
    image bytea,
    is_digital boolean
);

create table shop.payments (
    id bigint not null,
    order_id bigint not null,
    method varchar(40),
    amount numeric(12,2),
    paid_at timestamptz,
    fee double precision,
    ref uuid
);

create table shop.events (
    id bigserial,
    customer_id integer,
    kind text not null,
    occurred_at timestamptz not null,
    session_id uuid,
    duration interval,
    props json,
    raw bytea,
    counts bigint[],
    local_time time,
    local_tz timetz,
    precise_at timestamp(3)
);
