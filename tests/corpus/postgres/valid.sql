-- Valid PostgreSQL analytics queries over seed.sql's `shop` schema, one statement per query
-- (each ends with `;` at the end of a line). A `-- category: NAME` line starts a category.
-- PostgreSQL is the truth: the column names and `format_type` types of `CREATE TEMP VIEW v AS
-- <query>` (or of the prepared statement's columns where the view cannot be made).

-- category: projections
select id, name, email from shop.customers;
select * from shop.orders;
select o.* from shop.orders o;
select c.id as customer_id, c.name as customer_name, c.country from shop.customers c;
select id, amount, amount * 2, -amount, status from shop.orders;
select 1, 'x', 1.5, null, true, 10000000000;
select id + 1, id - 1, id * 2, id / 2, id % 3 from shop.customers;
select is_active, not is_active, is_active and birth_year > 1990, is_active or score > 1 from shop.customers;
select email is null, email is not null, country = 'DE', country <> 'US' from shop.customers;
select quantity, quantity + 1, quantity * quantity, quantity::int + id from shop.orders;
select amount, discount, amount - coalesce(discount, 0) as net from shop.orders;
select name, country, segment, lifetime_value, score from shop.customers where is_active;
select id, "name", "email" from shop.customers;
select id as "Customer Id", name as "Full Name" from shop.customers;
select distinct country from shop.customers;
select distinct on (customer_id) customer_id, id, ordered_at from shop.orders order by customer_id, ordered_at desc;
select tags, profile, external_id, created_at from shop.customers;
select payload, line_ids, delivery_window, currency, notes from shop.orders;
select image, attrs, sku, title from shop.products;
select local_time, local_tz, precise_at, counts, raw from shop.events;
select ID, Name, Email as Contact from SHOP.Customers;
select C.Country, count(*) as Customers from shop.CUSTOMERS c group by C.Country;
select Status, SUM(Amount) AS Revenue from shop.orders GROUP BY Status;

-- category: conditionals
select id, case when amount > 100 then 'large' when amount > 10 then 'medium' else 'small' end as size from shop.orders;
select case status when 'shipped' then 1 when 'cancelled' then -1 else 0 end from shop.orders;
select case when amount > 100 then amount end as big_amount from shop.orders;
select case when discount is null then 0 else discount end as discount from shop.orders;
select case when is_active then lifetime_value else 0 end as active_value from shop.customers;
select case when score > 0.5 then score else 0.5 end as capped from shop.customers;
select coalesce(email, name) as contact, coalesce(segment, 'none') as segment from shop.customers;
select coalesce(discount, amount, 0) from shop.orders;
select nullif(status, 'unknown'), nullif(quantity, 0) from shop.orders;
select greatest(amount, discount), least(quantity, 10) from shop.orders;
select greatest(ordered_at, shipped_at) as last_touch from shop.orders;
select id, status in ('shipped', 'delivered') as done, amount between 10 and 100 as mid from shop.orders;
select id from shop.orders where status like 'ship%' and notes ilike '%gift%';
select id, notes not like '%test%' as real_order from shop.orders;
select id, email ~ '@example\.com$' as internal from shop.customers;
select case when birth_year < 1980 then 'boomer' when birth_year < 1997 then 'millennial' else 'gen z' end as generation, count(*) from shop.customers group by 1;
select id, coalesce(shipped_at, ordered_at) as effective_at from shop.orders;
select id, case when tax_rate is null then amount else amount * (1 + tax_rate) end as gross from shop.orders;

-- category: joins
select o.id, c.name, o.amount from shop.orders o join shop.customers c on c.id = o.customer_id;
select o.id, c.name from shop.orders o left join shop.customers c on c.id = o.customer_id;
select c.id, o.id as order_id, o.amount from shop.customers c left join shop.orders o on o.customer_id = c.id;
select c.name, o.amount from shop.orders o right join shop.customers c on c.id = o.customer_id;
select c.id, o.id from shop.customers c full join shop.orders o on o.customer_id = c.id;
select c.name, p.title from shop.customers c cross join shop.products p;
select o.id, i.line_no, p.title, i.qty * i.unit_price as line_total from shop.orders o join shop.order_items i on i.order_id = o.id join shop.products p on p.id = i.product_id;
select * from shop.orders o join shop.payments p on p.order_id = o.id;
select order_id, line_no, qty, method from shop.order_items join shop.payments using (order_id);
select * from shop.order_items join shop.payments using (order_id);
select o.id, p.amount as paid, o.amount - p.amount as outstanding from shop.orders o left join shop.payments p on p.order_id = o.id;
select c.country, sum(o.amount) as revenue from shop.customers c join shop.orders o on o.customer_id = c.id group by c.country;
select c.segment, count(distinct o.id) as orders, count(distinct c.id) as customers from shop.customers c left join shop.orders o on o.customer_id = c.id group by c.segment;
select a.id, b.id as other_id from shop.customers a join shop.customers b on a.country = b.country and a.id < b.id;
select e.kind, c.name from shop.events e join shop.customers c on c.id = e.customer_id where e.occurred_at > c.created_at;
select o.id, x.total from shop.orders o join (select order_id, sum(qty * unit_price) as total from shop.order_items group by order_id) x on x.order_id = o.id;
select c.id, last_order.ordered_at from shop.customers c left join lateral (select ordered_at from shop.orders o where o.customer_id = c.id order by ordered_at desc limit 1) last_order on true;
select p.category, avg(i.unit_price) as avg_price from shop.products p join shop.order_items i on i.product_id = p.id group by p.category;
select o.id, c.name, p.method from shop.orders o join shop.customers c on c.id = o.customer_id left join shop.payments p on p.order_id = o.id where c.is_active;
select o.status, c.country, count(*) as n from shop.orders o join shop.customers c on o.customer_id = c.id group by o.status, c.country;
select c.*, o.amount from shop.customers c join shop.orders o on o.customer_id = c.id;
select i.order_id, p.sku, p.price - i.unit_price as markdown from shop.order_items i join shop.products p on p.id = i.product_id;
select c.id, o.id as oid from shop.customers c, shop.orders o where o.customer_id = c.id;
select c.name, e.duration from shop.customers c natural join shop.events e;
select o.id, coalesce(p.method, 'unpaid') as method from shop.orders o left join shop.payments p on p.order_id = o.id;

-- category: aggregates
select count(*) from shop.orders;
select count(*), count(discount), count(distinct customer_id) from shop.orders;
select sum(amount), avg(amount), min(amount), max(amount) from shop.orders;
select sum(quantity), avg(quantity), sum(id), avg(id) from shop.orders;
select sum(customer_id), avg(customer_id), max(customer_id) from shop.orders;
select sum(score), avg(score), sum(tax_rate), avg(tax_rate) from shop.customers, shop.orders;
select sum(discount), avg(discount), min(discount) from shop.orders;
select status, count(*) as orders, sum(amount) as revenue from shop.orders group by status;
select customer_id, max(ordered_at) as last_order_at, min(ordered_at) as first_order_at from shop.orders group by customer_id;
select customer_id, count(*) from shop.orders group by customer_id having count(*) > 5;
select status, sum(amount) from shop.orders group by 1 order by 2 desc;
select country, string_agg(name, ', ' order by name) as names from shop.customers group by country;
select country, array_agg(id) as ids, array_agg(distinct segment) as segments from shop.customers group by country;
select bool_and(is_active), bool_or(is_active), every(is_active) from shop.customers;
select stddev(amount), variance(amount), stddev_pop(amount), var_samp(amount) from shop.orders;
select stddev(tax_rate), corr(tax_rate, quantity), covar_pop(tax_rate, quantity) from shop.orders;
select count(*) filter (where status = 'shipped') as shipped, sum(amount) filter (where status = 'cancelled') as lost from shop.orders;
select percentile_cont(0.5) within group (order by amount) as median_amount from shop.orders;
select percentile_disc(0.9) within group (order by amount) as p90 from shop.orders;
select mode() within group (order by status) as common_status from shop.orders;
select customer_id, sum(amount) as total from shop.orders group by customer_id order by total desc limit 10;
select date_trunc('month', ordered_at) as month, sum(amount) as revenue from shop.orders group by 1;
select country, segment, count(*) from shop.customers group by rollup (country, segment);
select country, segment, count(*) from shop.customers group by cube (country, segment);
select country, segment, count(*), grouping(country, segment) from shop.customers group by grouping sets ((country), (segment), ());
select json_agg(name), jsonb_agg(id) from shop.customers;
select json_object_agg(sku, price) from shop.products;
select max(name), min(email), max(country), min(segment) from shop.customers;
select max(created_at), min(signup_date), max(delivery_window) from shop.customers, shop.orders;
select avg(delivery_window), sum(delivery_window) from shop.orders;
select bit_and(quantity), bit_or(id) from shop.orders;
select count(*) as n, count(1) as n1 from shop.events;
select min(ref::text), max(weight_kg), sum(weight_kg) from shop.payments, shop.order_items;
select sum(qty), sum(qty * unit_price) as revenue, avg(unit_price) from shop.order_items;
select product_id, sum(qty) as units from shop.order_items group by product_id having sum(qty * unit_price) > 1000;
select kind, count(*), max(occurred_at), min(duration) from shop.events group by kind;
select status, round(avg(amount), 2) as avg_amount from shop.orders group by status;
select array_agg(line_ids) from shop.orders;
select regr_slope(amount, quantity), regr_intercept(amount, quantity) from shop.orders;
select string_agg(distinct category, '|') from shop.products;

-- category: windows
select id, row_number() over (order by ordered_at) from shop.orders;
select id, customer_id, row_number() over (partition by customer_id order by ordered_at) as order_seq from shop.orders;
select id, rank() over (order by amount desc), dense_rank() over (order by amount desc) from shop.orders;
select id, percent_rank() over (order by amount), cume_dist() over (order by amount) from shop.orders;
select id, ntile(4) over (order by amount) as quartile from shop.orders;
select id, lag(amount) over (order by ordered_at) as prev_amount, lead(amount) over (order by ordered_at) as next_amount from shop.orders;
select id, lag(ordered_at, 1) over (partition by customer_id order by ordered_at) as prev_at from shop.orders;
select id, ordered_at - lag(ordered_at) over (partition by customer_id order by ordered_at) as gap from shop.orders;
select id, first_value(status) over w, last_value(status) over w, nth_value(amount, 2) over w from shop.orders window w as (partition by customer_id order by ordered_at);
select id, sum(amount) over (partition by customer_id order by ordered_at rows between unbounded preceding and current row) as running_total from shop.orders;
select id, avg(amount) over (order by ordered_at rows between 6 preceding and current row) as moving_avg from shop.orders;
select id, count(*) over (partition by status) as status_count from shop.orders;
select id, amount / sum(amount) over () as share from shop.orders;
select id, max(amount) over (partition by customer_id) - amount as gap_to_max from shop.orders;
select customer_id, sum(amount), rank() over (order by sum(amount) desc) from shop.orders group by customer_id;
select id, sum(quantity) over (order by id), avg(quantity) over (order by id) from shop.orders;
select id, min(score) over (partition by country), max(lifetime_value) over (partition by country) from shop.customers;
select * from (select id, customer_id, row_number() over (partition by customer_id order by ordered_at desc) as rn from shop.orders) t where rn = 1;
select id, lag(amount, 1, 0) over (order by id) from shop.orders;
select id, count(distinct_col) over () from (select id, customer_id as distinct_col from shop.orders) s;
select id, sum(amount) over (order by ordered_at range between interval '7 days' preceding and current row) as weekly from shop.orders;
select event_day, events, sum(events) over (order by event_day) as cumulative from (select occurred_at::date as event_day, count(*) as events from shop.events group by 1) d;
select id, row_number() over () as rn, rank() over (partition by kind order by occurred_at) from shop.events;
select id, lead(occurred_at) over (partition by session_id order by occurred_at) - occurred_at as time_to_next from shop.events;
select product_id, qty, sum(qty) over (partition by product_id) as product_total, qty::numeric / sum(qty) over (partition by product_id) as share from shop.order_items;

-- category: ctes
with recent as (select * from shop.orders where ordered_at > now() - interval '30 days') select customer_id, count(*) from recent group by customer_id;
with totals as (select customer_id, sum(amount) as total from shop.orders group by customer_id) select c.name, t.total from shop.customers c join totals t on t.customer_id = c.id;
with a as (select id, amount from shop.orders), b as (select id, amount * 2 as doubled from a) select * from b;
with paid as (select order_id, sum(amount) as paid from shop.payments group by order_id), due as (select id, amount from shop.orders) select due.id, due.amount - coalesce(paid.paid, 0) as balance from due left join paid on paid.order_id = due.id;
with recursive days(d) as (select date '2024-01-01' union all select d + 1 from days where d < date '2024-01-31') select d from days;
with recursive nums(n) as (select 1 union all select n + 1 from nums where n < 100) select n, n * n as sq from nums;
with cohort as (select id, date_trunc('month', signup_date) as cohort_month from shop.customers) select cohort_month, count(*) as size from cohort group by cohort_month;
with ranked as (select id, customer_id, amount, rank() over (partition by customer_id order by amount desc) as r from shop.orders) select * from ranked where r <= 3;
with x(a, b) as (select id, name from shop.customers) select a, b from x;
with s as (select status, count(*) as n from shop.orders group by status) select status, n, n * 100.0 / sum(n) over () as pct from s;
with first_orders as (select customer_id, min(ordered_at) as first_at from shop.orders group by customer_id) select date_trunc('week', first_at) as week, count(*) as new_customers from first_orders group by 1 order by 1;
with items as (select order_id, sum(qty) as units from shop.order_items group by order_id) select o.status, avg(items.units) as avg_units from shop.orders o join items on items.order_id = o.id group by o.status;
with e as (select customer_id, kind from shop.events) select customer_id, count(*) filter (where kind = 'view') as views, count(*) filter (where kind = 'purchase') as purchases from e group by customer_id;
with c as materialized (select id, country from shop.customers) select country, count(*) from c group by country;
with big as (select * from shop.orders where amount > 1000), small as (select * from shop.orders where amount <= 10) select (select count(*) from big) as big_n, (select count(*) from small) as small_n;
with "Recent" as (select id from shop.orders) select id from "Recent";
with Recent as (select id, amount from shop.orders) select r.id, r.amount from RECENT r;

-- category: subqueries
select id, (select max(amount) from shop.orders o where o.customer_id = c.id) as max_order from shop.customers c;
select id from shop.customers c where exists (select 1 from shop.orders o where o.customer_id = c.id);
select id from shop.customers where id in (select customer_id from shop.orders where amount > 100);
select id from shop.customers where id not in (select customer_id from shop.orders);
select id, amount from shop.orders where amount > (select avg(amount) from shop.orders);
select id, amount > all (select amount from shop.payments) as beats_all from shop.orders;
select id, amount = any (select amount from shop.payments where order_id = o.id) as matched from shop.orders o;
select t.status, t.n from (select status, count(*) as n from shop.orders group by status) t where t.n > 10;
select c.name, (select count(*) from shop.events e where e.customer_id = c.id) as events from shop.customers c;
select * from (values (1, 'a'), (2, 'b')) as v(id, label);
select * from (values (1, 2.5), (2, 3)) v;
select column1, column2 from (values (1, 'x')) v;
select (select name from shop.customers limit 1) as any_name;
select array(select id from shop.customers) as ids;
select id, exists (select 1 from shop.payments p where p.order_id = o.id) as is_paid from shop.orders o;

-- category: set operations
select id from shop.customers union select customer_id from shop.orders;
select id from shop.customers union all select customer_id from shop.events;
select customer_id from shop.orders intersect select customer_id from shop.events;
select id from shop.customers except select customer_id from shop.orders;
select id, name from shop.customers union all select id, title from shop.products;
select amount from shop.orders union all select amount from shop.payments;
select amount from shop.orders union select unit_price from shop.order_items;
select quantity from shop.orders union all select qty from shop.order_items;
select id from shop.orders union all select customer_id from shop.orders;
select score from shop.customers union all select tax_rate from shop.orders;
select ordered_at from shop.orders union all select created_at::timestamp from shop.customers;
select email from shop.customers union select name from shop.customers;
select country from shop.customers union all select currency from shop.orders;
select 'order' as kind, id, amount from shop.orders union all select 'payment', id, amount from shop.payments;
select status, count(*) from shop.orders group by status union all select 'total', count(*) from shop.orders;
select id, 1 as src from shop.customers union all select id, 2 from shop.products order by id limit 5;
(select id from shop.orders order by amount desc limit 3) union all (select id from shop.orders order by amount limit 3);
select signup_date from shop.customers union select launched from shop.products;
select 1 as n union all select 2 union all select 3;
select 1.5 as x union all select 2;

-- category: casts
select amount::int, amount::bigint, amount::text from shop.orders;
select cast(amount as numeric(8,1)), cast(amount as numeric) from shop.orders;
select cast(id as varchar(10)), cast(id as char(5)), cast(id as text) from shop.customers;
select ordered_at::date, ordered_at::time, ordered_at::timestamptz from shop.orders;
select '2024-01-01'::date, '2024-01-01 10:00'::timestamp, '1 day'::interval;
select '42'::int, '3.14'::numeric(5,2), 'true'::boolean;
select score::double precision, score::numeric, tax_rate::real from shop.customers, shop.orders;
select id::smallint, id::real, id::float8, id::float4 from shop.customers;
select external_id::text, profile::text, profile::json from shop.customers;
select payload::jsonb, payload::text, line_ids::text from shop.orders;
select cast(null as integer), null::text, null::date;
select created_at::date as signup_day, created_at::time with time zone from shop.customers;
select status::text, status::varchar, currency::varchar(3) from shop.orders;
select cast(quantity as decimal(6,2)), cast(quantity as double precision) from shop.orders;
select int4 '7', date '2024-02-29', timestamp '2024-01-01 00:00', interval '3 hours';
select cast(birth_year as text) || '-01-01' from shop.customers;
select array[1, 2, 3]::bigint[], '{1,2}'::int[];
select is_active::int, is_active::text from shop.customers;
select to_char(amount, 'FM999990.00'), to_number('12.5', '99.9') from shop.orders;
select amount::float8 / quantity as unit_amount from shop.orders;

-- category: numeric functions
select abs(amount), round(amount), round(amount, 1), ceil(amount), floor(amount) from shop.orders;
select abs(quantity), abs(birth_year), abs(score), abs(tax_rate) from shop.orders, shop.customers;
select round(tax_rate), round(score::numeric, 2), trunc(amount), trunc(amount, 1) from shop.orders, shop.customers;
select sqrt(amount), sqrt(tax_rate), power(amount, 2), power(tax_rate, 2) from shop.orders;
select mod(id, 10), mod(amount, 3), div(amount, 3) from shop.orders;
select ln(amount), log(amount), log10(tax_rate), exp(tax_rate) from shop.orders;
select sign(amount), sign(tax_rate), sign(quantity) from shop.orders;
select ceil(tax_rate), floor(score), ceiling(amount) from shop.orders, shop.customers;
select random(), pi(), width_bucket(amount, 0, 1000, 10) from shop.orders;
select amount * 1.1, amount * 1.10, amount + 0.5, amount / 3 from shop.orders;
select quantity / 2, quantity / 2.0, quantity * 1.5, quantity + 0.25 from shop.orders;
select id * 1.0 / nullif(quantity, 0) as ratio from shop.orders;
select amount * tax_rate, amount + tax_rate, amount * quantity, amount * id from shop.orders;
select score * 2, score + tax_rate, score * amount from shop.customers, shop.orders;
select 7 / 2, 7.0 / 2, 7 % 2, 2 ^ 10, 10000000000 * 2;
select gcd(id, 12), lcm(id, 12), factorial(5) from shop.customers;
select scale(amount), round(amount / quantity, 4) as unit_price from shop.orders;
select greatest(amount, 0) * 100, least(tax_rate, 0.3) from shop.orders;
select sum(amount * (1 - coalesce(discount, 0))) from shop.orders;
select cbrt(tax_rate), degrees(tax_rate), radians(tax_rate), cos(tax_rate) from shop.orders;

-- category: text functions
select upper(name), lower(email), initcap(name), length(name) from shop.customers;
select substr(name, 1, 3), substring(name from 2 for 3), left(name, 2), right(name, 2) from shop.customers;
select trim(name), ltrim(name), rtrim(name), btrim(email, 'x') from shop.customers;
select name || ' <' || email || '>' as contact from shop.customers;
select name || id, id || name, 'id:' || id from shop.customers;
select concat(name, ' ', email), concat_ws(', ', name, country) from shop.customers;
select replace(email, '@', ' at '), reverse(name), repeat('*', 3) from shop.customers;
select split_part(email, '@', 2) as domain, position('@' in email) as at_pos, strpos(email, '.') from shop.customers;
select lpad(country, 4, '_'), rpad(segment, 10), char_length(country), octet_length(name) from shop.customers;
select md5(email), encode(sha256(name::bytea), 'hex') from shop.customers;
select regexp_replace(name, '\s+', ' ', 'g'), regexp_match(email, '@(.*)$') from shop.customers;
select string_to_array(name, ' '), array_to_string(tags, ',') from shop.customers;
select format('%s (%s)', name, country), quote_ident(name), quote_literal(email) from shop.customers;
select upper(country), lower(segment), length(country), country || segment from shop.customers;
select left(sku, 3), upper(title), length(title), title || sku from shop.products;
select translate(name, 'ae', 'AE'), ascii(name), chr(65) from shop.customers;
select starts_with(name, 'A'), name ~~ 'A%', name ilike 'a%' from shop.customers;
select to_hex(id), lower(currency), upper(status) from shop.orders;
select coalesce(notes, '') || status, length(notes) from shop.orders;
select overlay(name placing 'X' from 1 for 1), substring(email, '@(.*)$') from shop.customers;

-- category: date functions
select date_trunc('month', ordered_at), date_trunc('day', shipped_at) from shop.orders;
select extract(year from ordered_at), extract(month from signup_date), extract(epoch from delivery_window) from shop.orders, shop.customers;
select date_part('year', ordered_at), date_part('dow', signup_date) from shop.orders, shop.customers;
select now(), current_date, current_timestamp, localtimestamp, current_time;
select ordered_at + interval '1 day', ordered_at - interval '2 hours', shipped_at + interval '1 week' from shop.orders;
select signup_date + 7, signup_date - 1, signup_date + interval '1 month' from shop.customers;
select shipped_at - ordered_at as ship_time from shop.orders;
select current_date - signup_date as days_since_signup from shop.customers;
select age(ordered_at), age(shipped_at, ordered_at) from shop.orders;
select to_char(ordered_at, 'YYYY-MM'), to_char(signup_date, 'Dy') from shop.orders, shop.customers;
select to_date('2024-01-01', 'YYYY-MM-DD'), to_timestamp(1700000000), to_timestamp('2024', 'YYYY');
select make_date(2024, 1, 31), make_timestamp(2024, 1, 1, 0, 0, 0), make_interval(days => 3);
select date_trunc('week', created_at) as week, count(*) from shop.customers group by 1;
select justify_days(delivery_window), justify_hours(delivery_window), delivery_window * 2 from shop.orders;
select ordered_at at time zone 'UTC', shipped_at at time zone 'Europe/Berlin' from shop.orders;
select signup_date, signup_date = current_date as today, created_at > now() - interval '1 day' from shop.customers;
select extract(hour from local_time), local_time + interval '1 hour', precise_at::date from shop.events;
select isfinite(signup_date), date_bin('15 minutes', ordered_at, timestamp '2024-01-01') from shop.customers, shop.orders;
select (date_trunc('month', signup_date) + interval '1 month - 1 day')::date as month_end from shop.customers;
select occurred_at::date as day, count(distinct customer_id) as dau from shop.events group by 1 order by 1;
select generate_series(1, 3) as n;
select date_trunc('hour', precise_at), precise_at - interval '1 minute' from shop.events;

-- category: json and arrays
select profile -> 'plan', profile ->> 'plan', profile #> '{a,b}', profile #>> '{a,b}' from shop.customers;
select payload -> 'items', payload ->> 'channel' from shop.orders;
select jsonb_typeof(profile), json_typeof(payload), jsonb_array_length(profile -> 'tags') from shop.customers, shop.orders;
select profile ? 'plan', profile @> '{"plan": "pro"}' from shop.customers;
select tags[1], array_length(tags, 1), cardinality(tags), 'vip' = any(tags) from shop.customers;
select line_ids[1], line_ids[1:2], array_append(line_ids, 0), line_ids || 9 from shop.orders;
select unnest(tags) as tag from shop.customers;
select array_position(tags, 'vip'), array_remove(tags, 'vip'), tags && array['a'] from shop.customers;
select jsonb_build_object('id', id, 'name', name), json_build_array(id, name), to_jsonb(name) from shop.customers;
select counts[1] * 2, array_upper(counts, 1), array_dims(counts) from shop.events;
select (profile ->> 'age')::int as age, (payload ->> 'total')::numeric(12,2) as total from shop.customers, shop.orders;
select row_to_json(c) from shop.customers c;

-- category: typmods and names
select amount + amount, amount * 2, -amount, abs(amount), amount::numeric(12,2) from shop.orders;
select case when is_active then segment else email end as contact, coalesce(segment, email) from shop.customers;
select segment from shop.customers union select email from shop.customers;
select country from shop.customers union select currency from shop.orders;
select coalesce(country, currency), country || currency, upper(country) from shop.customers, shop.orders;
select status, status || '', status::varchar(5), status::char(4) from shop.orders;
select '1'::char, 'ab'::varchar, 'abc'::character varying(2), 1.50, 1e3, 2147483648, -1;
select array[segment, email], array[country], array[amount, 1.5] from shop.customers, shop.orders;
select max(amount), min(unit_price), sum(unit_price), avg(unit_price) from shop.orders, shop.order_items;
select max(status), min(country), max(sku), max(precise_at) from shop.orders, shop.customers, shop.products, shop.events;
select exists (select 1 from shop.orders), current_date, current_user, session_user, current_schema;
select row(id, name), (select 1), array[1], extract(day from signup_date) from shop.customers;
select cast(amount as int), amount::text, o.amount, (amount), count(o.*) from shop.orders o group by amount;
select sum(amount) over (), rank() over (order by amount), lag(status) over (order by id) from shop.orders;
select x.amount, x.total from (select amount, amount * quantity as total from shop.orders) x;
select precise_at, precise_at + interval '1 second', date_trunc('second', precise_at) from shop.events;
select local_tz, local_time, local_time - local_time, local_time + interval '5 minutes' from shop.events;
select nullif(segment, ''), greatest(segment, email), least(country, 'ZZ') from shop.customers;
select delivery_window, -delivery_window, delivery_window / 2, extract(epoch from delivery_window) from shop.orders;
select case when quantity > 1 then quantity else id end, case when quantity > 1 then amount else quantity end from shop.orders;
select 1 as x union select 2.5 union select 10000000000;
select lifetime_value / 3, round(lifetime_value, 1), lifetime_value % 7, trunc(lifetime_value) from shop.customers;
select id, count(*) over w as n, sum(amount) over w as s from shop.orders window w as (partition by status);
select t.* from (values (1::smallint, 'a'::varchar(3)), (2, 'bb')) as t(n, s);
select unnest(line_ids), unnest(array['a', 'b']), generate_series(1, 2) from shop.orders;

-- category: lateral and series
select c.id, o.last_amount from shop.customers c cross join lateral (select amount as last_amount from shop.orders o where o.customer_id = c.id order by ordered_at desc limit 1) o;
select c.id, x.n from shop.customers c left join lateral (select count(*) as n from shop.orders o where o.customer_id = c.id) x on true;
select distinct on (customer_id) customer_id, id, amount from shop.orders order by customer_id, ordered_at desc;
select distinct on (country) country, name, signup_date from shop.customers order by country, signup_date;
select d::date as day from generate_series(date '2024-01-01', date '2024-01-31', interval '1 day') as d;
select g, g * 2 as twice from generate_series(1, 10) as g;
select n from generate_series(1, 5) n;
select s.i, c.name from generate_series(1, 3) as s(i) join shop.customers c on c.id = s.i;
select t.day, count(o.id) from generate_series(timestamp '2024-01-01', timestamp '2024-01-07', interval '1 day') as t(day) left join shop.orders o on date_trunc('day', o.ordered_at) = t.day group by t.day;
select c.id, u.tag from shop.customers c, lateral unnest(c.tags) as u(tag);
select x.* from shop.orders o, lateral (select o.amount * 2 as double_amount, o.quantity + 1 as q) x;

-- category: ordered aggregates
select count(*) filter (where status = 'shipped') as shipped, sum(amount) filter (where amount > 100) as big from shop.orders;
select customer_id, avg(amount) filter (where discount is not null) from shop.orders group by customer_id;
select string_agg(name, ', ' order by name) from shop.customers;
select country, array_agg(id order by signup_date desc) from shop.customers group by country;
select array_agg(distinct status) from shop.orders;
select customer_id, string_agg(distinct status, '|') from shop.orders group by customer_id;
select jsonb_agg(name order by id), json_agg(country) from shop.customers;
select bool_and(is_active), bool_or(is_active), every(is_active) from shop.customers;
select percentile_cont(0.5) within group (order by amount), mode() within group (order by status) from shop.orders;

-- category: date and json operators
select date_trunc('week', ordered_at), extract(dow from ordered_at), extract(epoch from ordered_at) from shop.orders;
select age(created_at), age(signup_date::timestamp, timestamp '2020-01-01') from shop.customers;
select date_part('year', signup_date), extract(year from signup_date) from shop.customers;
select profile -> 'address', profile ->> 'city', profile @> '{"vip": true}' from shop.customers;
select payload -> 'items' -> 0, payload ->> 'source', payload #>> '{a,b}' from shop.orders;
select attrs ? 'color', attrs - 'color', attrs || '{"x": 1}'::jsonb from shop.products;
select interval '1' day, interval '1-2' year to month, interval '3' hour + interval '1' minute;
select ordered_at + interval '2' day, now() - interval '1' hour from shop.orders;
select to_char(ordered_at, 'YYYY-MM'), justify_days(delivery_window) from shop.orders;

-- category: numerics and frames
select case when quantity > 1 then amount else quantity end from shop.orders;
select case when score > 0 then score else birth_year end from shop.customers;
select case when tax_rate > 0 then tax_rate when quantity > 2 then 1 else amount end from shop.orders;
select sum(amount) over (partition by customer_id order by ordered_at rows between 2 preceding and current row) from shop.orders;
select avg(amount) over (order by ordered_at range between interval '7 days' preceding and current row), first_value(id) over w, last_value(id) over w from shop.orders window w as (order by ordered_at rows between unbounded preceding and unbounded following);
select id, lag(amount, 1, 0) over (order by id), lead(status) over (order by id), ntile(4) over (order by amount) from shop.orders;
select count(*) over (order by id groups between 1 preceding and 1 following) from shop.orders;
select coalesce(discount, 0), coalesce(tax_rate, 0), greatest(amount, 10, discount) from shop.orders;

-- category: primary keys
select c.id, c.name, c.country, count(o.id) from shop.customers c left join shop.orders o on o.customer_id = c.id group by c.id;
select i.order_id, i.line_no, i.qty * i.unit_price as line_total, sum(p.amount) from shop.order_items i join shop.payments p on p.order_id = i.order_id group by i.order_id, i.line_no;
