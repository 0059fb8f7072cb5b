-- Valid Spark SQL analytics queries over seed.sql's tables, one statement per query (each ends
-- with `;` at the end of a line). A `-- category: NAME` line starts a category. Spark is the
-- truth: the column names and types of `DESCRIBE QUERY <query>` on the real server.

-- category: projections
select id, name, email from customers;
select * from orders;
select o.* from orders o;
select c.id as customer_id, c.name as customer_name, c.country from customers c;
select id, amount, amount * 2, -amount, status from orders;
select 1, 'x', 1.5, null, true, 10000000000;
select id + 1, id - 1, id * 2, id / 2, id % 3 from customers;
select is_active, not is_active, is_active and birth_year > 1990, is_active or score > 1 from customers;
select email is null, email is not null, country = 'DE', country <> 'US' from customers;
select quantity, quantity + 1, quantity * quantity, id div 2 from orders;
select ID, Name, Email as Contact from Customers;
select `id`, `name` from customers;
select distinct country from customers;
select id as `Customer Id`, name as `Full Name` from customers;
select tags, profile, attrs, created_at, signup_date from customers;
select 1L, 2S, 3Y, 1.5D, 2.5F, 1e3, 0.001;
select birth_year + 1, birth_year * 2, score + birth_year from customers;

-- category: conditionals
select case when amount > 100 then 'big' else 'small' end from orders;
select case when amount > 100 then 'big' when amount > 10 then 'medium' end as size from orders;
select case status when 'shipped' then 1 when 'open' then 2 else 0 end as code from orders;
select coalesce(discount, 0) as d from orders;
select coalesce(email, name, 'unknown') as contact from customers;
select if(is_active, 'yes', 'no') as active from customers;
select nvl(discount, amount) as x, ifnull(score, 0) as y from orders join customers on customers.id = orders.customer_id;
select nullif(country, 'DE') as c from customers;
select greatest(amount, discount) as g, least(quantity, 5) as l from orders;
select case when score > 1 then score else 0 end as s from customers;
select case when quantity > 1 then quantity else amount end as mixed from orders;
select id from customers where is_active and country in ('DE', 'FR');
select id from orders where amount between 10 and 20 and status like 'sh%';

-- category: joins
select o.id, c.name from orders o join customers c on c.id = o.customer_id;
select o.id, c.name, c.country from orders o left join customers c on c.id = o.customer_id;
select c.id, o.amount from customers c right join orders o on o.customer_id = c.id;
select c.id, o.id as order_id from customers c full outer join orders o on o.customer_id = c.id;
select c.name, p.title from customers c cross join products p;
select i.order_id, p.title, i.qty * i.unit_price as line_total from order_items i join products p on p.id = i.product_id;
select o.id, i.line_no from orders o join order_items i on i.order_id = o.id where o.status = 'shipped';
select c.id from customers c left semi join orders o on o.customer_id = c.id;
select c.id from customers c left anti join orders o on o.customer_id = c.id;
select o.id, e.kind from orders o join events e on e.customer_id = o.customer_id and e.at > o.ordered_at;
select a.id, b.id as other from customers a join customers b on a.country = b.country and a.id < b.id;
select o.id, c.name, i.qty from orders o join customers c on c.id = o.customer_id join order_items i on i.order_id = o.id;
select customer_id, o.id from orders o join customers using (id);

-- category: aggregates
select count(*) from orders;
select count(1), count(id), count(distinct customer_id) from orders;
select sum(amount), avg(amount), min(amount), max(amount) from orders;
select customer_id, sum(amount) as total from orders group by customer_id;
select status, count(*) as n, avg(quantity) as q from orders group by status having count(*) > 1;
select country, max(score), min(birth_year) from customers group by country;
select sum(quantity), avg(score) from orders join customers on customers.id = orders.customer_id;
select collect_list(id) as ids, collect_set(country) as countries from customers;
select stddev(score) as s, variance(score) as v from customers;
select first(name) as f, last(name) as l from customers;
select count_if(is_active) as active from customers;
select max_by(name, score) as best, min_by(name, score) as worst from customers;
select approx_count_distinct(email) as emails from customers;
select sum(distinct quantity) as dq from orders;
select bool_and(is_active) as all_active, bool_or(is_active) as any_active from customers;
select customer_id, sum(amount * quantity) as revenue from orders group by 1 order by 2 desc;
select country, segment, count(*) as n from customers group by country, segment;
select avg(quantity) as aq, sum(id) as si from orders;
select percentile_approx(amount, 0.5) as median from orders;
select sum(weight) as w, avg(price) as p from products;

-- category: windows
select id, row_number() over (partition by customer_id order by ordered_at) as rn from orders;
select id, rank() over (order by amount desc) as r, dense_rank() over (order by amount desc) as dr from orders;
select id, sum(amount) over (partition by customer_id) as customer_total from orders;
select id, lag(amount) over (partition by customer_id order by ordered_at) as prev_amount from orders;
select id, lead(amount, 1, 0) over (order by ordered_at) as next_amount from orders;
select id, avg(amount) over (partition by status order by ordered_at rows between 2 preceding and current row) as moving from orders;
select id, ntile(4) over (order by amount) as quartile from orders;
select id, percent_rank() over (order by amount) as pr, cume_dist() over (order by amount) as cd from orders;
select id, first_value(amount) over (partition by customer_id order by ordered_at) as first_amount from orders;
select id, count(*) over (partition by country) as per_country from customers;
select id, max(score) over (partition by segment) as best from customers;
select customer_id, sum(amount) as total, rank() over (order by sum(amount) desc) as r from orders group by customer_id;

-- category: ctes
with t as (select id, amount from orders) select id, amount from t;
with t as (select customer_id, sum(amount) as total from orders group by customer_id) select c.name, t.total from t join customers c on c.id = t.customer_id;
with a as (select id from customers), b as (select id from a where id > 1) select * from b;
with recent as (select * from orders where ordered_on > date'2024-01-01') select status, count(*) as n from recent group by status;
with t (x, y) as (select id, name from customers) select x, y from t;
with t as (select id, amount * 2 as doubled from orders) select doubled + 1 as d from t;
with t as (select 1 as a, 'x' as b) select a, b from t;
with totals as (select customer_id, count(*) as n from orders group by customer_id) select max(n) as most from totals;

-- category: subqueries
select id from customers where id in (select customer_id from orders);
select id from customers c where exists (select 1 from orders o where o.customer_id = c.id);
select id, (select max(amount) from orders) as top from customers;
select t.total from (select sum(amount) as total from orders) t;
select sub.country, sub.n from (select country, count(*) as n from customers group by country) sub where sub.n > 1;
select id from orders where amount > (select avg(amount) from orders);
select * from (select id, name from customers) as x;
select id from customers where id not in (select customer_id from orders where status = 'open');

-- category: set operations
select id from customers union all select customer_id from orders;
select id from customers union select customer_id from orders;
select country from customers intersect select status from orders;
select country from customers except select status from orders;
select id, name from customers union all select id, title from products;
select amount from orders union all select price from products;
select quantity from orders union all select score from customers;
select 1 as a union all select 2;
select id from orders union all select id from customers;
select 1 as x union all select 1.5;

-- category: casts
select cast(id as string) from customers;
select cast(amount as int), cast(amount as double), cast(amount as decimal(20,4)) from orders;
select cast('2024-01-01' as date), cast('1' as int), cast(1 as boolean);
select cast(ordered_at as date), cast(ordered_on as timestamp) from orders;
select cast(score as bigint), cast(birth_year as int) from customers;
select try_cast(email as int) as maybe from customers;
select cast(id as string) as id_text, cast(quantity as double) as q from orders;
select id::string as s, amount::double as d from orders;
select cast(tags as array<string>) as t from customers;
select cast(null as int) as n, cast(1.5 as decimal(3,1)) as d;
select cast(created_at as string), cast(is_active as int) from customers;

-- category: numeric functions
select abs(amount), round(amount, 1), ceil(amount), floor(amount) from orders;
select sqrt(score), pow(score, 2), exp(score), ln(score), log10(score) from customers;
select mod(quantity, 3), pmod(quantity, 3), sign(score) from orders join customers on customers.id = orders.customer_id;
select greatest(1, 2, 3) as g, least(1.5, 2) as l;
select round(score, 2) as r, bround(score, 1) as b from customers;
select rand() < 0.5 as coin;
select abs(quantity) as aq, abs(score) as ab from orders join customers on customers.id = orders.customer_id;
select round(price) as rp, floor(weight) as fw from products;
select amount / quantity as unit, amount * 1.1 as taxed from orders;
select quantity / 2 as half, quantity % 2 as odd from orders;
select hex(id) as h, conv(cast(id as string), 10, 16) as c from customers;

-- category: string functions
select upper(name), lower(email), length(name) from customers;
select concat(name, ' <', email, '>') as contact from customers;
select substr(name, 1, 3), substring(email, 2) from customers;
select trim(name), ltrim(name), rtrim(name) from customers;
select replace(email, '@', ' at ') as e, split(email, '@') as parts from customers;
select lpad(name, 10, '*') as l, rpad(name, 10, '*') as r from customers;
select regexp_replace(email, '[0-9]', '') as r, regexp_extract(email, '([a-z]+)@', 1) as user from customers;
select instr(email, '@') as at, locate('@', email) as at2 from customers;
select name || ' ' || country as label from customers;
select concat_ws('-', country, segment) as key from customers;
select initcap(name) as n, reverse(name) as r from customers;
select left(name, 2) as l, right(name, 2) as r from customers;
select format_number(score, 2) as f from customers;
select md5(email) as h, sha2(email, 256) as h2 from customers;

-- category: date functions
select year(ordered_on), month(ordered_on), day(ordered_on) from orders;
select date_add(ordered_on, 7) as due, date_sub(ordered_on, 1) as before from orders;
select datediff(current_date(), ordered_on) as age from orders;
select current_date() as today, current_timestamp() as now;
select date_format(ordered_at, 'yyyy-MM') as ym from orders;
select to_date(ordered_at) as d, to_timestamp(status) as t from orders;
select date_trunc('month', ordered_at) as m, trunc(ordered_on, 'MM') as t from orders;
select hour(ordered_at) as h, minute(ordered_at) as mi, dayofweek(ordered_on) as dow from orders;
select months_between(ordered_on, signup_date) as mb from orders join customers on customers.id = orders.customer_id;
select add_months(ordered_on, 1) as next, last_day(ordered_on) as eom from orders;
select unix_timestamp(ordered_at) as u, from_unixtime(0) as f from orders;
select ordered_on + 1 as tomorrow, ordered_on - 1 as yesterday from orders;
select extract(year from ordered_on) as y from orders;
select weekofyear(ordered_on) as w, quarter(ordered_on) as q from orders;

-- category: arrays
select array(1, 2, 3) as a;
select size(tags), tags[0], element_at(tags, 1) from customers;
select array_contains(tags, 'vip') as vip from customers;
select explode(tags) as tag from customers;
select sort_array(line_ids) as s, array_distinct(line_ids) as d from orders;
select array_max(line_ids) as mx, array_min(line_ids) as mn from orders;
select array_join(tags, ',') as joined from customers;
select concat(tags, array('x')) as more from customers;
select array_position(line_ids, 1) as pos from orders;
select array_union(line_ids, line_ids) as u, array_intersect(line_ids, array(1)) as i from orders;
select slice(line_ids, 1, 2) as s, flatten(array(line_ids, line_ids)) as f from orders;
select sequence(1, 5) as s;

-- category: structs and maps
select profile.age, profile.city from customers;
select named_struct('a', id, 'b', name) as s from customers;
select struct(id, name) as s from customers;
select attrs['plan'] as plan, map_keys(attrs) as k, map_values(attrs) as v from customers;
select shipping.method, shipping.cost from orders;
select map('a', 1, 'b', 2) as m;
select element_at(attrs, 'plan') as p, size(attrs) as n from customers;
select props['clicks'] as clicks from events;
select c.profile.city as city from customers c;
select map_from_arrays(array('a'), array(1)) as m;

-- category: higher-order functions
select transform(line_ids, x -> x + 1) as plus from orders;
select filter(line_ids, x -> x > 1) as big from orders;
select exists(line_ids, x -> x > 1) as any_big from orders;
select forall(line_ids, x -> x > 0) as all_pos from orders;
select aggregate(line_ids, 0, (acc, x) -> acc + x) as total from orders;
select transform(tags, t -> upper(t)) as shout from customers;
select zip_with(line_ids, line_ids, (a, b) -> a * b) as sq from orders;
select map_filter(props, (k, v) -> v > 1) as m from events;
select transform_values(props, (k, v) -> v + 1) as m from events;
select array_sort(line_ids) as s from orders;

-- category: lateral views
select c.id, tag from customers c lateral view explode(tags) t as tag;
select o.id, pos, line from orders o lateral view posexplode(line_ids) p as pos, line;
select id, k, v from customers lateral view explode(attrs) a as k, v;
select id, x.tag from customers lateral view outer explode(tags) x as tag;
