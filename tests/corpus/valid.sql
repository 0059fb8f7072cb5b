-- Valid queries, separated by `-- ---` lines. DuckDB's DESCRIBE of each is the truth.
select a+1, count(*) over (), upper(b), upper("Name"), CAST(a AS BIGINT), a::varchar from s.t
-- ---
select CASE WHEN a>1 THEN 1 ELSE 2 END, CASE WHEN a>1 THEN 1 END, CASE a WHEN 1 THEN 2 END from s.t
-- ---
select 'x', 1, 1.5, NULL, true, -a, NOT (a>1), a IS NULL, a IN (1,2), a BETWEEN 1 AND 2 from s.t
-- ---
select b LIKE 'x%', b ILIKE 'x', b || 'x', coalesce(a, 1), nullif(a,1), extract(year from d), date '2024-01-01', interval 1 day from s.t
-- ---
select [1,2], {'k': 1}, s.f, s['f'], l[1], l[1:2] from s.t
-- ---
select count(DISTINCT a), string_agg(b, ',' ORDER BY a), sum(a) FILTER (WHERE a > 1), sum(x), avg(x), min(d), max(b) from s.t
-- ---
select row_number() OVER (PARTITION BY b ORDER BY a), sum(a) OVER (), lag(a) over (order by a), date_trunc('month', d) from s.t
-- ---
select t.a, u.c from s.t join s.u on t.a = u.a
-- ---
select * from s.t join s.u using (a)
-- ---
select * exclude (s, l) from s.t
-- ---
select b, count(*) from s.t group by all
-- ---
select b, sum(x) as total from s.t group by 1 order by total desc
-- ---
with c as (select a, b from s.t) select * from c where a > 1
-- ---
select a from s.t union all select big from s.t
-- ---
select a, b from s.t union by name select c as b, x from s.u
-- ---
select * from (values (1, 'a'), (2, 'b')) v(id, name)
-- ---
select a + 1 as y, y * 2 as z from s.t
-- ---
select a, (select max(x) from s.u where u.a = t.a) as mx from s.t
-- ---
select a from s.t where exists (select 1 from s.u where u.a = t.a) and a in (select a from s.u)
-- ---
select d + 1, d - interval 1 day, ts - ts, now(), current_date, round(x, 1), x * 2, a / 2, a // 2, ceil(x) from s.t
-- ---
select b, count(*) c from s.t group by b having count(*) > 1 qualify row_number() over (order by b) = 1
-- ---
with recursive r(n) as (select 1 union all select n + 1 from r where n < 10) select n from r
-- ---
select t.* from s.t
-- ---
select * replace (a + 1 as a) from s.t
-- ---
select a, b from s.t natural join s.u
-- ---
select x + 1.5, x * x, x / 3, dbl + x, big + a from s.t
-- ---
select cast(ts as date), ts::time, epoch(ts), strftime(ts, '%Y'), date_diff('day', d, d), age(ts) from s.t
-- ---
select a, b, sum(x) over (partition by b order by d rows between unbounded preceding and current row) running from s.t
-- ---
select l, list_transform(l, x -> x + 1), len(l), unnest(l) from s.t
-- ---
select a, sum(x) over w from s.t window w as (partition by b)
-- ---
select t1.a, t2.a from s.t t1 left join s.t t2 on t1.a = t2.a
-- ---
select * from s.t t1 join (s.u u1 join s.u u2 on u1.a = u2.a) on t1.a = u1.a
-- ---
select distinct b from s.t
-- ---
select distinct on (b) b, a from s.t
-- ---
select a from s.t intersect select a from s.u
-- ---
select a from s.t except select a from s.u
-- ---
select count(*) filter (where a > 1) as n, bool_or(a > 1), list(a), array_agg(b), first(b), any_value(d), arg_max(b, a), median(x), quantile_cont(dbl, 0.5) from s.t
-- ---
select stddev(dbl), variance(a), corr(dbl, a), approx_count_distinct(b), count(distinct b) from s.t
-- ---
select rank() over (order by a), dense_rank() over (order by a), ntile(4) over (order by a), percent_rank() over (order by a), cume_dist() over (order by a), first_value(b) over (order by a), last_value(b) over (order by a), nth_value(b, 2) over (order by a), lead(a, 2, 0) over (order by a) from s.t
-- ---
select x::double, x::int, x::bigint, a::decimal(18,3), cast(b as date), b::timestamp, d::timestamp, d::varchar from s.t
-- ---
select a * 1.5, a * 2.0, x + x, x - 1, x * 1.5, x / x, dbl * x, big * big, a % 3, -x, abs(x) from s.t
-- ---
select year(d), month(d), day(d), dayofweek(d), date_part('hour', ts), datediff('day', d, current_date), d + interval '1 month', ts + interval 2 hour, make_date(2024, 1, 1), strptime('2024', '%Y'), to_timestamp(1), ts::date from s.t
-- ---
select lower(b), length(b), concat(b, 'x', a), replace(b, 'a', 'b'), split_part(b, ',', 1), regexp_matches(b, 'x'), regexp_replace(b, 'a', 'b'), left(b, 2), right(b, 2), lpad(b, 5, ' '), starts_with(b, 'x'), b || a, md5(b), contains(b, 'x') from s.t
-- ---
select list_contains(l, 1), array_length(l), list_sum(l), l || l, list_distinct(l), l[1:2], len(l), list_sort(l), flatten([l, l]), unnest(l) as u from s.t
-- ---
select s.f + 1, s.g, struct_extract(s, 'f'), s['g'] from s.t
-- ---
select greatest(a, 1), least(x, 2), ifnull(a, 0), coalesce(x, 0), coalesce(a, big), nullif(b, ''), case when a > 0 then x else 0 end, case when a > 0 then a else dbl end from s.t
-- ---
select t.a, z.n from s.t, lateral (select t.a + 1 as n) z
-- ---
select * from s.t where a in (select a from s.u where u.x > t.x)
-- ---
select a, b, count(*) from s.t group by rollup (a, b)
-- ---
select a + 1 as k, count(*) from s.t group by k
-- ---
select b as g, count(*) from s.t group by g having count(*) > 1 order by g
-- ---
select upper(b) as ub, count(*) from s.t group by upper(b)
-- ---
select a, count(*) c from s.t group by a order by c desc limit 10 offset 2
-- ---
select * from s.t order by a nulls last
-- ---
with a as (select 1 as x), b as (select x + 1 as y from a) select * from a, b
-- ---
select x from (select 1 as x union all select 2) q
-- ---
select * from (select a, b from s.t) sub(a2, b2)
-- ---
select exists (select 1 from s.u) as e, (select count(*) from s.u) as cnt
-- ---
select a is not distinct from 1, b similar to 'x', a between 1 and 10, not a > 1, a > 1 and b = 'x' or d is null from s.t
-- ---
select sum(a)::double / count(*) as avg_a, round(avg(x), 2), count(*)::int from s.t
-- ---
select {'a': a, 'b': b} as st, [a, a] as arr, map([1],[2]) as m from s.t
-- ---
select uuid(), gen_random_uuid(), random(), hash(a), typeof(a) from s.t
-- ---
select date_trunc('day', ts), date_trunc('month', d), last_day(d), d - d, ts - interval 1 day, extract(epoch from ts), epoch_ms(ts) from s.t
-- ---
select a from s.t qualify row_number() over (partition by b order by a desc) = 1
-- ---
select *, a + 1 as a2 from s.t
-- ---
select u.* exclude (c), t.b from s.u u join s.t t using (a)
-- ---
select string_agg(distinct b, ',') from s.t
-- ---
select b, sum(x) filter (where a > 0) from s.t group by b
-- ---
select ti + si, si * i, i - bi, bi + hi, uti + ti, usi * 2, ui + 1, ubi + 1, f * 2, db / 3, f + db from s.types
-- ---
select d4 + d4, d4 * d4, d18 + d4, d38 * 2, d4 / 2, d18 - 1.5, d4 + i, d4 + f, d38 + d38 from s.types
-- ---
select -ti, -hi, abs(si), ti // 2, bi % 7, hi * hi, i & 3, i | 4, i << 2, ~i from s.types
-- ---
select v || 'x', length(v), upper(v), v like 'a%', v ilike 'A%', starts_with(v, 'a'), v = 'x', v is null from s.types
-- ---
select bo and true, not bo, bo or (i > 1), case when bo then 1 else 0 end, coalesce(bo, false) from s.types
-- ---
select dt + 1, dt - 1, dt - dt, dt + interval 1 month, dt > date '2024-01-01', year(dt), dayname(dt), date_trunc('week', dt) from s.types
-- ---
select tm, tm + interval 1 hour, hour(tm), ts + iv, tsz, tsz::timestamp, ts::timestamptz, ts::time, date_part('year', tsz) from s.types
-- ---
select iv, iv * 2, iv + iv, to_days(3), to_hours(i), epoch(ts), to_timestamp(bi), make_timestamp(2024, 1, 1, 0, 0, 0) from s.types
-- ---
select id, id::varchar, bl, octet_length(bl), m, m::varchar, m = 'ok', arr, arr[1], mp, mp['a'], st.k, st.n.z, vl[1] from s.types
-- ---
select len(vl), list_concat(vl, vl), array_length(arr), cardinality(mp), map_keys(mp), st['k'], struct_extract(st, 'n') from s.types
-- ---
select cast(i as varchar), cast(v as integer), cast(db as decimal(10,2)), cast(d4 as double), cast(ts as date), cast(dt as timestamp), try_cast(v as date) from s.types
-- ---
select i::bigint, i::hugeint, i::tinyint, f::double, db::float, d18::decimal(38,3), v::uuid, bo::integer, i::boolean from s.types
-- ---
select sum(ti), sum(si), sum(i), sum(bi), sum(hi), sum(f), sum(db), sum(d4), sum(d18), sum(d38), sum(uti), sum(ubi) from s.types
-- ---
select avg(ti), avg(i), avg(bi), avg(f), avg(d4), avg(d38), min(v), max(dt), min(ts), max(tsz), min(id), max(m) from s.types
-- ---
select count(*), count(i), count(distinct v), count(1), bit_and(i), bool_and(bo), string_agg(v, ','), list(i), array_agg(distinct v), histogram(v) from s.types
-- ---
select mode(v), median(d4), quantile_cont(db, 0.9), quantile_disc(i, 0.5), arg_min(v, i), max_by(v, db), first(i), last(v), any_value(ts), product(db), sumkahan(db) from s.types
-- ---
select i, sum(i) over (order by i), avg(db) over (partition by v), count(*) over (partition by bo order by ts rows 2 preceding), min(dt) over () from s.types
-- ---
select row_number() over w, rank() over w, lag(v) over w, lead(d4, 1) over w, first_value(ts) over w, ntile(2) over w from s.types window w as (order by i)
-- ---
select coalesce(ti, si), coalesce(i, bi, hi), coalesce(f, db), coalesce(d4, d18), coalesce(d4, i), coalesce(dt, ts), coalesce(v, 'none') from s.types
-- ---
select case when bo then i else bi end, case when bo then d4 else d18 end, case when bo then f else d4 end, case when bo then dt else ts end, case i when 1 then 'one' when 2 then 'two' end from s.types
-- ---
select greatest(i, bi), least(d4, d18), greatest(dt, date '2024-01-01'), nullif(i, 0), ifnull(v, '') from s.types
-- ---
select i in (1, 2, 3), v in ('a', 'b'), i between 1 and 10, dt between date '2024-01-01' and date '2024-12-31', v not like '%x' from s.types
-- ---
select [i, i], [v], [1, 2.5], {'a': i, 'b': v}, [[1, 2], [3]], map {'k': 1} from s.types
-- ---
select round(db, 2), round(d18, 1), ceil(db), floor(d4), trunc(db), sqrt(db), pow(db, 2), ln(db), exp(1), pi(), random() < 0.5 from s.types
-- ---
select concat(v, i), concat_ws('-', v, v), replace(v, 'a', 'b'), substr(v, 2), left(v, 1), reverse(v), repeat(v, 2), strpos(v, 'a'), regexp_extract(v, '[a-z]+'), format('{}', i) from s.types
-- ---
select strftime(ts, '%Y-%m'), strptime(v, '%Y'), date_diff('day', dt, current_date), date_add(dt, interval 3 day), last_day(dt), monthname(dt), week(dt), quarter(dt), isodow(dt) from s.types
-- ---
select o.order_id, c.name, o.amount from s.orders o join s.customers c on c.customer_id = o.customer_id
-- ---
select * from s.orders o join s.customers c using (customer_id)
-- ---
select c.*, o.amount from s.customers c left join s.orders o using (customer_id)
-- ---
select customer_id, count(*) as n, sum(amount) as total from s.orders group by customer_id having sum(amount) > 100
-- ---
select status, date_trunc('month', ordered_at) as month, sum(amount) from s.orders group by all order by month
-- ---
select c.country, count(distinct o.customer_id) as buyers, avg(o.amount) as avg_amount from s.orders o join s.customers c using (customer_id) group by c.country
-- ---
with per_customer as (select customer_id, sum(amount) as total from s.orders group by 1) select c.name, p.total from s.customers c join per_customer p using (customer_id)
-- ---
with recursive nums(n) as (select 1 union all select n + 1 from nums where n < 5) select n, n * n as sq from nums
-- ---
with a as (select customer_id from s.orders), b as (select customer_id from a where customer_id > 1) select count(*) from b
-- ---
select order_id, amount, sum(amount) over (partition by customer_id order by ordered_at) as running, amount / sum(amount) over (partition by customer_id) as share from s.orders
-- ---
select customer_id, order_id from s.orders qualify row_number() over (partition by customer_id order by ordered_at desc) = 1
-- ---
select * from (select customer_id, max(amount) as top from s.orders group by customer_id) t where top > 10
-- ---
select name, (select count(*) from s.orders o where o.customer_id = c.customer_id) as orders from s.customers c
-- ---
select * from s.customers c where exists (select 1 from s.orders o where o.customer_id = c.customer_id)
-- ---
select * from s.customers where customer_id not in (select customer_id from s.orders where status = 'returned')
-- ---
select customer_id from s.orders union select customer_id from s.customers
-- ---
select customer_id, amount from s.orders union all select customer_id, null from s.customers
-- ---
select customer_id from s.orders intersect all select customer_id from s.customers
-- ---
select customer_id, name from s.customers except select customer_id, status from s.orders
-- ---
select order_id as id, amount from s.orders union all by name select customer_id as id, name from s.customers
-- ---
select * from (values (1, 'a', 1.5), (2, 'b', null)) as v(n, letter, score)
-- ---
values (1, 2), (3, 4)
-- ---
select * exclude (amount) from s.orders
-- ---
select * replace (amount * 2 as amount) from s.orders
-- ---
select o.* exclude (status), c.name from s.orders o join s.customers c using (customer_id)
-- ---
select amount * 1.1 as gross, gross - amount as tax from s.orders
-- ---
select status, count(*) from s.orders group by 1 order by 2 desc
-- ---
select status as st, count(*) as n from s.orders group by st order by n
-- ---
select order_id from s.orders order by amount desc limit 5
-- ---
select distinct status from s.orders order by status
-- ---
select count(*) filter (where status = 'completed') as completed, count(*) as total from s.orders
-- ---
select customer_id, list(order_id order by ordered_at) as order_ids from s.orders group by customer_id
-- ---
select unnest([1, 2, 3]) as x
-- ---
select * from range(5)
-- ---
select range from range(3)
-- ---
select generate_series(1, 3)
-- ---
select t.a, t2.n from s.t, (select 1 as n) t2
-- ---
select t1.a from s.t t1 full outer join s.u u1 on t1.a = u1.a
-- ---
select t1.a, u1.c from s.t t1 right join s.u u1 on t1.a = u1.a
-- ---
select a from s.t semi join s.u using (a)
-- ---
select a from s.t anti join s.u using (a)
-- ---
select 1 + 1, 2 * 3.5, 10 / 4, 10 // 4, 7 % 3, 2 ^ 3, 'a' || 'b', 1 = 1, 1.0 = 1
-- ---
select 100000000000, 1e10, 0.1 + 0.2, 123456789012345678901234567890, -1, +5
-- ---
select date '2024-02-29' + 1, timestamp '2024-01-01 00:00:00' - interval 1 second, time '12:00:00', interval '1 day 2 hours'
-- ---
select current_date, current_timestamp, now(), today()
-- ---
select null is null, null::integer, coalesce(null, 1), [null, 1], cast(null as varchar)
-- ---
select a, sum(x) over (partition by b order by d rows between 1 preceding and 1 following) as s3 from s.t
-- ---
select b, avg(x) filter (where a > 0) as avg_pos from s.t group by b
-- ---
select s.f, s.g, l[1] as first_l, l[-1] as last_l, list_sum(l) from s.t
-- ---
select a from s.t where a > 1 and b <> 'x' or d is null
-- ---
select upper(b) as ub, count(*) from s.t group by upper(b)
-- ---
select "Name", lower("Name") from s.t
-- ---
select t."Name" from s.t as t
-- ---
select md5(b), sha256(b), hash(a), uuid() is not null from s.t
-- ---
select json_object('a', a), to_json(s), json_extract('{"a":1}', '$.a') from s.t
-- ---
select list_filter(l, x -> x > 1), list_transform(l, x -> x * 2), list_reduce(l, (a, b) -> a + b) from s.t
-- ---
select a::varchar || '-' || b as key from s.t
-- ---
select epoch_ms(ts), date_part(['year', 'month'], ts) from s.t
-- ---
select x * 100 / big, round(x * 1.0 / a, 3) from s.t
-- ---
select a from s.t order by b nulls first, a desc limit 10 offset 5
-- ---
select a, b from s.t where a in (select a from s.u) and exists (select * from s.u where s.u.a = s.t.a)
-- ---
select sum(a) as total, total * 2 as double_total from s.t
-- ---
select b, count(*) as n from s.t group by b having n > 1
-- ---
select a, row_number() over (partition by b order by a) as rn from s.t qualify rn = 1
-- ---
select case when a > 1 then 'x' else 1 end from s.t
-- ---
select a from s.t where a = 'abc'
-- ---
select a from s.t where d = '2024-01-01'
-- ---
select a from s.t where b in (1, 2)
-- ---
select struct_pack(a := a, b := b) as st from s.t
-- ---
select a, b, d, x from s.t where a > 0 and d >= date '2024-01-01'
-- ---
select count(*) as n, count(distinct b) as nb, sum(x) as sx, avg(x) as ax from s.t
-- ---
select b, min(d) as first_day, max(ts) as last_ts from s.t group by b
-- ---
select a, x, x - lag(x) over (order by d) as delta from s.t
-- ---
select a, percent_rank() over (order by x) as pr, cume_dist() over (order by x) as cd from s.t
-- ---
select o.order_id, o.amount, c.country from s.orders o left join s.customers c using (customer_id) where c.country is not null
-- ---
select c.customer_id, c.name, coalesce(sum(o.amount), 0) as spent from s.customers c left join s.orders o on o.customer_id = c.customer_id group by c.customer_id, c.name
-- ---
select status, count(*) filter (where amount > 10) as big from s.orders group by status
-- ---
select date_trunc('day', ordered_at) as day, sum(amount) as revenue, sum(sum(amount)) over (order by date_trunc('day', ordered_at)) as cumulative from s.orders group by 1
-- ---
select customer_id, amount, amount / sum(amount) over () as share from s.orders
-- ---
select customer_id, max(ordered_at) - min(ordered_at) as span from s.orders group by customer_id
-- ---
select customer_id, date_diff('day', min(ordered_at), max(ordered_at)) as days from s.orders group by customer_id
-- ---
select name, upper(country) as cc, signed_up + interval 30 day as trial_end from s.customers
-- ---
select name, year(signed_up) as y, month(signed_up) as m from s.customers
-- ---
select order_id, case status when 'completed' then amount when 'returned' then -amount else 0 end as net from s.orders
-- ---
select order_id, status in ('completed', 'shipped') as done from s.orders
-- ---
select customer_id, string_agg(status, ', ' order by ordered_at) as history from s.orders group by customer_id
-- ---
select customer_id, list(amount) as amounts, list_sum(list(amount)) as total from s.orders group by customer_id
-- ---
select o.*, c.name from s.orders o join s.customers c using (customer_id)
-- ---
select * from s.orders natural join s.customers
-- ---
select customer_id, count(*) from s.orders group by customer_id order by count(*) desc
-- ---
select customer_id, sum(amount) as total from s.orders group by customer_id order by total desc nulls last limit 3
-- ---
with ranked as (select *, row_number() over (partition by customer_id order by amount desc) as rn from s.orders) select order_id, customer_id, amount from ranked where rn = 1
-- ---
with totals as (select customer_id, sum(amount) as total from s.orders group by customer_id), avg_total as (select avg(total) as avg_total from totals) select t.customer_id, t.total > a.avg_total as above from totals t, avg_total a
-- ---
select (select max(amount) from s.orders) as top_amount, (select count(*) from s.customers) as customers
-- ---
select customer_id, amount from s.orders where amount > (select avg(amount) from s.orders)
-- ---
select c.name from s.customers c where c.customer_id in (select o.customer_id from s.orders o where o.amount > 100)
-- ---
select order_id, ordered_at::date as day, ordered_at::time as at_time from s.orders
-- ---
select order_id, cast(amount as integer) as whole, cast(amount as varchar) as text_amount from s.orders
-- ---
select order_id, amount::double * 1.21 as gross from s.orders
-- ---
select order_id, round(amount * 1.21, 2) as gross from s.orders
-- ---
select order_id, extract(hour from ordered_at) as h, extract(dow from ordered_at) as dow from s.orders
-- ---
select order_id, strftime(ordered_at, '%Y-%m-%d') as day from s.orders
-- ---
select customer_id from s.orders group by customer_id having count(*) > 1 and sum(amount) > 50
-- ---
select 'const' as kind, 42 as answer, 3.14 as pi_ish, true as yes, date '2024-01-01' as day
-- ---
select distinct customer_id, status from s.orders
-- ---
select * from s.customers order by signed_up desc, name
-- ---
select customer_id, name, country from s.customers where name like 'A%' or country ilike 'de'
-- ---
select order_id, amount from s.orders where ordered_at > now() - interval 30 day
-- ---
select sum(amount) / count(distinct customer_id) as per_customer from s.orders
-- ---
select t1.a, b, c from s.t t1 cross join s.u
-- ---
select if(a > 1, 'big', 'small') as size from s.t
-- ---
select a, b from s.t where a between 1 and 5 order by b
-- ---
-- DuckDB's tables have a virtual rowid column.
select rowid, o.rowid as r2, order_id from s.orders o
-- ---
select status, grouping(status) as g, grouping_id(status, customer_id) as gi, count(*) as n from s.orders group by rollup (status, customer_id)
-- ---
select try(amount * 2) as doubled from s.orders
-- ---
select array(select order_id from s.orders) as ids
-- ---
select [1, 2]::variant as v, 1.5::double::bignum as n, m::integer as mi, st::map(varchar, varchar) as sm from s.types
-- ---
select percentile_cont(0.5) within group (order by amount) as med, percentile_disc(0.5) within group (order by customer_id) as p from s.orders
-- ---
select quantile_cont(amount, [0.25, 0.75]) as q, quantile_disc(customer_id, [0.5]) as d from s.orders
-- ---
select b glob 'a*' as g, l && [1, 2] as o, b ^@ 'x' as sw from s.t
-- ---
select [x * 2 for x in l if x > 1] as doubled, [y for y in l] as same from s.t
-- ---
-- Lambda bodies are typed: `x + order_id` is BIGINT.
select list_transform([1, 2], x -> x + order_id) as t, list_transform([1, 2], lambda x, i: x + i) as ti, list_filter([amount], x -> x > 1) as f from s.orders
-- ---
select list_transform(l, x -> x::varchar || b) as strs from s.t
-- ---
select amount * 2 as x, alias.x + 1 as y from s.orders order by alias.y
-- ---
select b ilike 'a$%' escape '$' as i, b not like 'a$%' escape '$' as n from s.t
-- ---
select (order_id, customer_id) < any (select order_id, customer_id from s.orders) as r from s.orders
-- ---
select u as row_value from s.u
-- ---
with c as (select 1 as a) table c
-- ---
select status as x, count(*) as c from s.orders as alias group by alias.status having alias.c > 1
-- ---
select o.order_id, c.name from s.orders o asof join s.customers c on o.customer_id = c.customer_id and o.ordered_at >= c.signed_up
-- ---
select o.order_id, c.name from s.orders o asof left join s.customers c on o.customer_id = c.customer_id and o.ordered_at >= c.signed_up
-- ---
select t.a, u.c from s.t positional join s.u
-- ---
select o.order_id from s.orders o asof join s.customers c on o.customer_id = c.customer_id and o.ordered_at >= c.signed_up and o.amount > 10
-- ---
select b.lower() as lo, t.b.upper() as up, b.substr(2) as sub from s.t
-- ---
-- DuckDB's names for number literals: huge integers and exponents are DOUBLEs, decimals as written
select 0., 1e308, 1.5e3, 1e-5, 123456789012345678901234567890, 400000000000000000000000000000000000000, 1_000, 00.50
-- ---
-- identifiers keep capitals unquoted; keywords and other characters are quoted
select "Status" || 'x', upper(status), "order_id" + 1 from (select status as "Status", status, order_id from s.orders)
-- ---
-- lambda keyword form, ROW and ARRAY constructors, method calls, IS TRUE rewrites
select list_transform([1, 2], lambda x: x + 1), (1, 'a'), row(1, 2), ARRAY[1, 2], [3, 1].list_sort(), true is not true, 1 not between 0 and 2
-- ---
-- ordered aggregates keep ASC and NULLS as written; WITHIN GROUP becomes quantile
select string_agg(status, ',' order by status asc nulls first), percentile_disc(0.5) within group (order by amount desc), count(), grouping(status) from s.orders group by status
-- ---
-- subqueries in DuckDB's own rendering
select (select max(amount) from s.orders as o where o.customer_id = 1 limit 1), order_id in (select order_id from s.orders), exists (select 1 from s.orders o join s.customers c on o.customer_id = c.customer_id) from s.orders
-- ---
-- casts name their target as DuckDB prints it
select cast('1' as bit), cast(1 as decimal(9)), cast(1 as decimal(9, 0)), extract(microseconds from ordered_at), 'a' like 'b' escape '$', 'a' ~ 'b' from s.orders
-- ---
select * from s.t semi join s.u on t.a = u.a where a > 5
-- ---
select a from s.t anti join s.u using (a)
-- ---
select a from s.t union select x from s.u order by u.x
-- ---
select a % 2, b from s.t union select a % 2 as k, c from s.u order by a % 2
-- ---
select customer_id, sum(amount) as amount from s.orders group by customer_id order by amount
-- ---
select count(order_id) as order_id from s.orders having order_id > 5
-- ---
select o.customer_id * 2 from s.orders o group by customer_id * 2 order by customer_id * 2
-- ---
select pg_size_pretty(1024) as p
-- ---
select strptime('2020-01-01 +02', '%Y-%m-%d %z') as tz, try_strptime('2020', ['%Y', '%Y %Z']) as tz2, strptime('2020', '%Y') as plain
-- ---
select date_part('epoch', ts) as e, date_part('julian', d) as j, extract(julian from d) as j2 from s.t
-- ---
with recursive r as (select 1 as x union select sum(x) from r where x < 10) select x from r
-- ---
select arg_max(a, d, 2) as am, min(b, 3) as mb, approx_top_k(d, 2) as tk from s.t
-- ---
select list_zip(l, [b]) as z, list_zip(l, l, true) as z2, equi_width_bins(0, big, 4, false) as bins from s.t
-- ---
select unnest(s), a from s.t
-- ---
select unnest([{'x': 1}]) as s
-- ---
with c as (from s.u) select a, c from c
-- ---
select s.* from s.t
-- ---
select a % 2 as x, count(*) as n from s.t group by alias.x order by x
-- ---
select a as crs, b as tp, count(*) as n from s.t group by grouping sets (cube (crs)), (), tp
-- ---
select regexp_extract(b, '(\d)(a)', ['n', 'c']) as r, regexp_extract_all(b, '(\d)', ['n']) as ra from s.t
-- ---
select mad(d) as md, mad(a) as ma from s.t
-- ---
select trunc(x, 1) as tx from s.t
-- ---
select a as outer_a, (select max(x) from s.u where u.a <> outer_a) as m from s.t
-- ---
select array_value(a, big) as av, cast_to_type(b, a) as ct from s.t
-- ---
select try_cast(array_value(1, 2) as integer[3]) as t
-- ---
select a - 10 as k from s.t union select a - 10 as m from s.t order by m
-- ---
(select a from s.t union all select c from s.u) union all by name select 5 order by c
-- ---
select exists(select a from s.u where a > min(t.a)) as e from s.t
-- ---
select exists(select a + min(t.a) from s.u where a = 3) as e from s.t
-- ---
select b, weighted_avg(a, a) as w from s.t group by b
-- ---
select [{'i': [1, 2]}, {'i': NULL}] as x, [[[1, 2]], [], [NULL], NULL] as y, [{'a': 42}, {'b': 84}] as z, [NULL] as n
-- ---
select d.table_name, d.estimated_size, c.relname, i.column_name, i.ordinal_position from duckdb_tables d, pg_class c, information_schema.columns i
-- ---
select [100::VARIANT, 1.2] as x, a::VARIANT < 4 as y, unlist([42]) as z from s.t
-- ---
select count_if(a = 1) as n, count_if(a=2) from s.t
-- ---
select s.u as whole, packed from s.u, (select u as packed)
-- ---
select unnamed_subquery.a, unnamed_subquery2.b from (select 42 as a), (select 43 as b)
-- ---
select try_cast([1, 2] as date[]) as d from s.t
-- ---
select null::bigint::varchar::int[]::row(i integer, k integer) as n, ((null) - (a))::date as d from s.t
-- ---
select row(0, 0) < any(select 1, 0) as lt, (1, 2) = any(select a, big from s.t) as eq
-- ---
select t.a from s.t, s.u where t.a = u.a order by a
-- ---
select 'AbC' as s, alias.s.lower() as low
-- ---
select * exclude (t.a, u.a) from s.t join s.u using (a)
-- ---
select (select tbl.a['i'] + tbl.b['j'] from (values ({'i': 1, 'j': 2})) tbl(b)) as s from (values ({'i': 1, 'j': 2})) tbl(a)
-- ---
select lag(b, 10, 3) over () as p, lead(a, 1, '7') over (order by a) as q from s.t
-- ---
select 1 as 🦆, a as næstved, null::struct(🦆 varchar, 🦤 integer) as s from s.t
-- ---
unpivot s.t on a as first, big second_one into name k value v
-- ---
from (unpivot s.t on * exclude (b, d, s, l, "Name", ts, x))
-- ---
unpivot (select a, b from s.t) on (a + 100)::varchar as c, b
-- ---
unpivot s.u on (a, c) into name k values n, s
-- ---
select * from s.t pivot (sum(dbl) for a in (1, 2) b in ('x', 'y') group by big) as p
-- ---
select * from s.types pivot (count(*) for m in mood) as p
-- ---
select * from s.t pivot (sum(dbl) as total, count(*) as n for a in (1, 2) b in ('x' as ex, 'y')) as p
-- ---
select * from s.orders pivot (sum(amount) for status in ('open', 'paid') group by customer_id) as p
-- ---
pivot s.orders on status in ('open', 'paid') using max(amount) group by customer_id
-- ---
from s.u pivot (min(x) for a in (1, -2, null))
-- ---
select l[:-:-1] as r, l[2:-:2] as e from s.t
-- ---
select * from values (1, 'a'), (2, 'b'), as v(n, s)
-- ---
select (json '{"key": 1}')->b as v, (json '[1, 2]')->a as w from s.t
-- ---
select a, b from s.t using sample 50% (bernoulli, 7)
-- ---
select b, count(*) as n from s.t group by all using sample reservoir(10 rows) repeatable (3)
-- ---
select array_to_string_comma_default(l) as s from s.t
-- ---
select interval 1 millennia as m, interval 2 centuries as c, interval (3) decades as d, interval 1 quarters as q from s.t
-- ---
select b::interval day to second as i, cast(null as setof integer) as n from s.t
-- ---
select * as k from s.u
-- ---
select date(d) as d2, date('2021-03-01') as d3, a isnull as n from s.t
-- ---
select t.a, u.c from s.t left join s.u join s.u u2 on u.a = u2.a on t.a = u.a
-- ---
select split_part(b, ',', 1) as p, list_min(l) as m, list_sum(l) as s, list_aggr(l, 'max') as x, roundbankers(x, 1) as r, list_aggr(l, 'string_agg', '-') as j from s.t
-- ---
select * from sql_auto_complete('SELE')
-- ---
select name, value, input_type from duckdb_settings() where name = 'threads'
-- ---
select r.range, g.generate_series from range(timestamp '2024-01-01', timestamp '2024-01-03', interval 1 day) r, generate_series(1, 3) g
-- ---
select union_tag(u) as t, union_extract(u, 'n') as n, struct_update(s, g := 1, h := 'x') as su, map_concat(map([a], [b]), map([1], ['z'])) as m, date_part(['year', 'epoch'], d) as p, list_histogram(l) as lh from (select t.*, a::union(n int, s varchar) as u from s.t)
-- ---
select histogram(a) as h, histogram(x, [1, 2]) as hb from s.t
-- ---
select * from s.t, unnest(l)
-- ---
select u.* from unnest([1, 2]) as u(v)
-- ---
select distinct on (b) a, b as c from s.t order by b, a
-- ---
select sum(a) export_state as s, count(*) export_state as c, finalize(avg(a) export_state) as f, combine(min(d) export_state, min(d) export_state) as cb from s.t
-- ---
select b ~ 'a.*' as m, b !~ 'a' as n from s.t
-- ---
select struct_insert(s, h := 2) as i, struct_extract(s, 'g') as e, regexp_extract(b, '(a)(b)', ['x', 'y']) as r, date_part(['year', 'epoch'], d) as p from s.t
-- ---
select lead(a, (select unnest([1]))) over (order by a) as l, sum(a) over (rows between 1 preceding and 1 following) as s from s.t
-- ---
select row(a, b) as r, (a, d) as t2, row(a, b)[2] as second, [row(a, b), {'k': 1, 'v': 'x'}] as mixed, struct_extract(row(a, x), 2) as e from s.t
-- ---
select (a, b) in (select a, c from s.u) as two, (a, 'x') = (1, 2) as eq, struct_position(row(a, 2), 2) as pos from s.t
-- ---
select list_reduce(l, lambda x, y: x + y, 2.5) as r, list_reduce(l, lambda x, y: x + y, 0::BIGINT) as b from s.t
-- ---
select nth_value(a, 2) over (order by a) as n, ntile(3) over (order by a) as t, lag(a) over (order by a) as l1, fill(a order by a) over (order by a) as f from s.t
-- ---
select flatten([null]) as f, flatten([[a], null]) as g from s.t
-- ---
select extract(DOW from d), extract(Year from d), extract(Epoch from d), extract(isodow from ts) from s.t
-- ---
select * replace (a + 1 as "A") from s.u
-- ---
select * from s.u, s.t left join s.u u2 using (a)
-- ---
select map([1, 2], ['x', b])['1'] as v, map([a], [b])[a] as w from s.t
-- ---
select array_to_string(l, ', ') as s, list_aggr(l, 'string_agg', '-') as t, list_aggr(l, 'sum') as u from s.t
-- ---
select 1.5 + null as a, b || null as b2, null::int + 1 as c, upper(null::varchar) as d, [a] || null as e, null::date - 1 as f, (null::int + 1) * 2.5 as h, ceil(null::decimal) as i, list_distinct(null::int[]) as j, abs(null::int) as k, upper('a' || null) as m, repeat(null::int[], 2) as n, l[null] as o from s.t
-- ---
select list_transform(null, x -> x + 1) as t, list_filter(null, x -> x > 1) as f, list_transform(l, x -> x + a) as g, list_reduce(null, (x, y) -> x + y) as r from s.t
-- ---
select list_resize(null, 1, 1) as r, map_from_entries(null) as m, greatest(null, b) as g, list_resize(l, 2) as k, struct_values(null) as v from s.t
-- ---
select remap_struct({'i': a, 'j': 2}, null::struct(v1 int, v2 varchar), {'v1': 'i'}, {'v2': null::varchar}) as r, struct_values({'x': a, 'y': b}) as v, replace_type({'d': 1.5::double, 'l': [2.5::double]}, null::double, null::decimal(15, 2)) as t, replace_type(b, null::varchar, null::int) as s from s.t
-- ---
select -170141183460469231731687303715884105728 * a as m, -170141183460469231731687303715884105728 - -1 as d, -170141183460469231731687303715884105728 // 2 as q from s.t
-- ---
select sum(null) as s, first(null) as f, arbitrary(null) as a, list_aggr([], 'sum') as ls, list_aggr([null], 'last') as ll from s.t
-- ---
select null::timestamp(0) as s, null::timestamp(3) as ms, null::timestamp(6) as us, null::timestamp(9) as ns, date_trunc('day', ts::timestamp_ns) as d, ts::timestamp_ns + interval 1 day as p from s.t
