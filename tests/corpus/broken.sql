-- Broken queries, separated by `-- ---` lines. Each starts with `-- expect: CODE "text"`:
-- DuckDB must reject it, and the analysis must report CODE exactly on `text`.
-- expect: E102 "custmer"
select custmer from s.t
-- ---
-- expect: E102 "t.zz"
select t.zz from s.t
-- ---
-- expect: E103 "a"
select a from s.t, s.u
-- ---
-- expect: E104 "frobnicate"
select frobnicate(a) from s.t
-- ---
-- expect: E201 "b < 1"
select a from s.t where b < 1
-- ---
-- expect: E202 "b + 1"
select b + 1 from s.t
-- ---
-- expect: E203 "coalesce(b, a)"
select coalesce(b, a) from s.t
-- ---
-- expect: E204 "select a from s.u"
select a, b from s.t union select a from s.u
-- ---
-- expect: E205 "substring(a, 1)"
select substring(a, 1) from s.t
-- ---
-- expect: E301 "a"
select b, a from s.t group by b
-- ---
-- expect: E302 "sum(a)"
select a from s.t where sum(a) > 1
-- ---
-- expect: E303 "3"
select a from s.t group by 3
-- ---
-- expect: E303 "5"
select a from s.t order by 5
-- ---
-- expect: E101 "nope"
select a from nope
-- ---
-- expect: E001 "s"
select a frm s.t
-- ---
-- expect: E101 "q"
select q.a from s.t
-- ---
-- expect: E105 "s.zz"
select s.zz from s.t
-- ---
-- expect: E102 "zz"
select a from s.t join s.u using (zz)
-- ---
-- expect: E102 "zz"
select * exclude (zz) from s.t
-- ---
-- expect: E201 "d > 5"
select a from s.t where d > 5
-- ---
-- expect: E202 "x + d"
select x + d from s.t
-- ---
-- expect: E302 "row_number() over ()"
select row_number() over () from s.t group by a having row_number() over () > 1
-- ---
-- expect: E205 "avg(b)"
select avg(b) from s.t
-- ---
-- expect: E302 "sum(a)"
select sum(sum(a)) from s.t
-- ---
-- expect: E301 "a"
select a, count(*) from s.t
-- ---
-- expect: E205 "upper(a)"
select upper(a) from s.t
-- ---
-- expect: E205 "date_trunc('month', a)"
select date_trunc('month', a) from s.t
-- ---
-- expect: E102 "zz"
select b from s.t order by zz
-- ---
-- expect: E102 "b"
with c as (select a from s.t) select b from c
-- ---
-- expect: E204 "(select a, b from s.t)"
select (select a, b from s.t) from s.t
-- ---
-- expect: E201 "a > (select max(c) from s.u)"
select a from s.t where a > (select max(c) from s.u)
-- ---
-- expect: E202 "l[1] + 'x'"
select l[1] + 'x' from s.t
-- ---
-- expect: E105 "s.f.zz"
select s.f.zz from s.t
-- ---
-- expect: E102 "amout"
select order_id, amout from s.orders
-- ---
-- expect: E102 "c.nme"
select c.nme from s.customers c
-- ---
-- expect: E103 "customer_id"
select customer_id from s.orders o join s.customers c on o.customer_id = c.customer_id
-- ---
-- expect: E301 "status"
select customer_id, status, sum(amount) from s.orders group by customer_id
-- ---
-- expect: E302 "count(*)"
select customer_id from s.orders where count(*) > 2 group by customer_id
-- ---
-- expect: E302 "rank() over (order by amount)"
select order_id from s.orders where rank() over (order by amount) = 1
-- ---
-- expect: E203 "customer_id"
select case when amount > 1 then ordered_at else customer_id end from s.orders
-- ---
-- expect: E203 "status"
select case when amount > 1 then amount else status end from s.orders
-- ---
-- expect: E205 "round(status, 2)"
select round(status, 2) from s.orders
-- ---
-- expect: E201 "ordered_at < 5"
select order_id from s.orders where ordered_at < 5
-- ---
-- expect: E202 "status * 2"
select status * 2 from s.orders
-- ---
-- expect: E204 "select customer_id, name, country from s.customers"
select customer_id from s.orders union all select customer_id, name, country from s.customers
-- ---
-- expect: E101 "s.nope"
select * from s.orders o join s.nope n on n.id = o.order_id
-- ---
-- expect: E102 "missing"
select * from s.orders where missing = 1
-- ---
-- expect: E001 ","
select order_id,, amount from s.orders
-- ---
-- expect: E104 "sume"
select sume(amount) from s.orders
-- ---
-- expect: E303 "0"
select order_id from s.orders order by 0
-- ---
-- expect: E205 "date_diff('day', status, ordered_at)"
select date_diff('day', status, ordered_at) from s.orders
-- ---
-- expect: E102 "c.amount"
select c.amount from s.orders o join s.customers c using (customer_id)
-- ---
-- expect: E302 "grouping(status)"
select grouping(status) as g from s.orders
-- ---
-- expect: E204 "array(select 1, 2)"
select array(select 1, 2) as a
-- ---
-- expect: E205 "unnest(unnest([[1, 2]]))"
select unnest(unnest([[1, 2]])) as a
-- ---
-- expect: E205 "unnest([1, 2], rec := true)"
select unnest([1, 2], rec := true) as a
-- ---
-- expect: E302 "sum(amount)"
select percentile_disc(sum(amount)) within group (order by 1) as p from s.orders
-- ---
-- expect: E206 "'0.1'::decimal(3, 4)"
select '0.1'::decimal(3, 4) as d
-- ---
-- expect: E205 "approx_count_distinct(*)"
select approx_count_distinct(*) as n from s.orders
-- ---
-- expect: E302 "unnest(x)"
select list_transform([[1]], x -> unnest(x)) as a
-- ---
-- expect: E102 "k"
select * from histogram_values(s.orders, k)
-- ---
-- expect: E001 "asof"
select o.order_id from s.orders o asof join s.customers c on o.customer_id = c.customer_id
-- ---
-- expect: E001 "asof"
select o.order_id from s.orders o asof join s.customers c on o.ordered_at >= c.signed_up and o.customer_id > c.customer_id
-- ---
-- expect: E205 "count(distinct *)"
select count(distinct *) as n from s.orders
-- ---
-- expect: E102 "nope"
pivot s.orders on nope using sum(amount)
-- ---
-- expect: E302 "sum(amount) + count(*)"
pivot s.orders on status using sum(amount) + count(*)
-- ---
-- expect: E204 "(customer_id, amount)"
unpivot s.orders on (customer_id, amount), order_id
-- ---
-- expect: E101 "u"
select u.c from s.t semi join s.u on t.a = u.a
-- ---
-- expect: E103 "a + 1"
select 1, a + 1 from s.t union select a + 1, 1 from s.t order by a + 1
-- ---
-- expect: E102 "a + 2"
select a from s.t union select a from s.u order by a + 2
-- ---
-- expect: E102 "m"
select (select max(a) from s.u) as m, (select c from s.u where u.a = m) as n from s.t
-- ---
-- expect: E303 "'hello'"
select a from s.t order by 'hello', a
-- ---
-- expect: E303 "null"
select a from s.t union select a from s.u order by null
-- ---
-- expect: E106 "c, d"
select * from (select 1 as a, 2 as b) v(a, b, c, d)
-- ---
-- expect: E203 "c"
unpivot s.u on a, c
-- ---
-- expect: E302 "unnest(l)"
select a from s.t group by a, l having unnest(l) > 1
-- ---
-- expect: E205 "-0.1"
select approx_quantile(a, -0.1) from s.t
-- ---
-- expect: E205 "a"
select quantile_cont(a, a) from s.t
-- ---
-- expect: E205 "NULL"
select quantile_disc(a, NULL) from s.t
-- ---
-- expect: E205 "[-0.25, 0.5]"
select quantile_cont(a, [-0.25, 0.5]) from s.t
-- ---
-- expect: E205 "quantile_disc"
select quantile_disc(a) from s.t
-- ---
-- expect: E205 "list_aggr(l, 'corr')"
select list_aggr(l, 'corr') from s.t
-- ---
-- expect: E104 "'nope'"
select list_aggr(l, 'nope') from s.t
-- ---
-- expect: E205 "list_mad([INTERVAL 1 YEAR])"
select list_mad([INTERVAL 1 YEAR]) from s.t
-- ---
-- expect: E205 "list_reduce(l, (x) -> x)"
select list_reduce(l, (x) -> x) from s.t
-- ---
-- expect: E205 "list_transform(l, 5)"
select list_transform(l, 5) from s.t
-- ---
-- expect: E205 "list_filter(l, x -> x > 1, 3)"
select list_filter(l, x -> x > 1, 3) from s.t
-- ---
-- expect: E205 "b"
select string_agg(a::varchar, b) from s.t
-- ---
-- expect: E205 "enum_first('bla')"
select enum_first('bla') from s.t
-- ---
-- expect: E205 "date_part('julian', interval 1 day)"
select date_part('julian', interval 1 day) from s.t
-- ---
-- expect: E302 "unnest(l)"
select sum(unnest(l)) from s.t
-- ---
-- expect: E302 "unnest(l)"
select a from s.t where unnest(l) > 1
-- ---
-- expect: E302 "(select x)"
select list_transform(l, x -> (select x)) from s.t
-- ---
-- expect: E303 "-1"
select a from s.t order by -1
-- ---
-- expect: E102 "nope"
select distinct on (nope) a from s.t
-- ---
-- expect: E303 "2"
select distinct on (2) a from s.t
-- ---
-- expect: E205 "'x'"
select * from s.t, unnest('x')
-- ---
-- expect: E205 "array_distance([1, 2, 3]::FLOAT[3], [1, 2, 3, 4]::FLOAT[4])"
select array_distance([1, 2, 3]::FLOAT[3], [1, 2, 3, 4]::FLOAT[4]) from s.t
-- ---
-- expect: E205 "['year', 'month', 'year']"
select date_part(['year', 'month', 'year'], d) from s.t
-- ---
-- expect: E205 "regexp_extract(b, '(a)(b)', ['x', 'y', 'z'])"
select regexp_extract(b, '(a)(b)', ['x', 'y', 'z']) from s.t
-- ---
-- expect: E205 "regexp_extract_all(b, '(a)(b)', ['x', 'X'])"
select regexp_extract_all(b, '(a)(b)', ['x', 'X']) from s.t
-- ---
-- expect: E205 "a"
select struct_pack(a := 1, a := 2) from s.t
-- ---
-- expect: E205 "f"
select struct_insert(s, f := 2) from s.t
-- ---
-- expect: E105 "'zz'"
select struct_extract(s, 'zz') from s.t
-- ---
-- expect: E205 "[1]"
select l[1:[1]] from s.t
-- ---
-- expect: E205 "x -> x + 1"
select cos(x -> x + 1) from s.t
-- ---
-- expect: E205 "x -> x"
select [l, x -> x] from s.t
-- ---
-- expect: E101 "r"
with recursive r as (select 1 as x intersect select x + 1 from r where x < 3) select * from r
-- ---
-- expect: E205 "a[1]"
select a[1] from s.t
-- ---
-- expect: E202 "+d"
select +d from s.t
-- ---
-- expect: E205 "finalize(a)"
select finalize(a) from s.t
-- ---
-- expect: E205 "list_zip(a, 4)"
select list_zip(a, 4) from s.t
-- ---
-- expect: E302 "unnest([1])"
select sum(a) over (rows between unnest([1]) preceding and 1 following) from s.t
-- ---
-- expect: E302 "unnest([1])"
select lead(a, unnest([1])) over (order by a) from s.t
-- ---
-- expect: E102 "nope"
select sum(a) over (rows between nope preceding and current row) from s.t
-- ---
-- expect: E103 "t"
select t.a from s.t, s.t
-- ---
-- expect: E103 "t"
select t.a from s.t, (select 1 as a) t
-- ---
-- expect: E103 "*"
select * from s.t, s.t
-- ---
-- expect: E103 "x"
select x.* from s.t x, s.u x
-- ---
-- expect: E304 "-1"
select a from s.t limit -1
-- ---
-- expect: E304 "-2"
select a from s.t limit 5 offset -2
-- ---
-- expect: E102 "*"
select * exclude (a, c, x) from s.u
-- ---
-- expect: E102 "u.a"
select * exclude (u.a) from s.t
-- ---
-- expect: E105 "row(a, b)['a']"
select row(a, b)['a'] from s.t
-- ---
-- expect: E105 "row(a, b)[3]"
select row(a, b)[3] from s.t
-- ---
-- expect: E105 "s[1]"
select s[1] from s.t
-- ---
-- expect: E205 "struct_contains(s, 2)"
select struct_contains(s, 2) from s.t
-- ---
-- expect: E201 "a in (select c from s.u)"
select a in (select c from s.u) from s.t
-- ---
-- expect: E201 "(a, b) in (select (a, a) from s.u)"
select (a, b) in (select (a, a) from s.u) from s.t
-- ---
-- expect: E205 "'text'"
select list_reduce(l, lambda x, y: x + y, 'text') from s.t
-- ---
-- expect: E302 "row_number() over ()"
select avg(row_number() over ()) over () from s.t
-- ---
-- expect: E302 "d"
select (select count(c) over (order by d) from s.u limit 1) from s.t
-- ---
-- expect: E205 "nth_value(a) over (order by a)"
select nth_value(a) over (order by a) from s.t
-- ---
-- expect: E205 "fill(b order by a) over (order by a)"
select fill(b order by a) over (order by a) from s.t
-- ---
-- expect: E103 "x"
select * from s.u join s.t using (a) join s.u u2 using (x)
-- ---
-- expect: E302 "sum(a)"
select * from s.t, (select sum(a)) t2(total)
-- ---
-- expect: E305 "(select s.t.a as y)"
select * from s.t full join lateral (select s.t.a as y) t2 on true
-- ---
-- expect: E204 "a"
select a, a from s.t union all by name select c from s.u
-- ---
-- expect: E302 "n > 1"
select b, count(*) as n from s.t group by b qualify n > 1
-- ---
-- expect: E205 "a + 1"
select struct_pack(a + 1) from s.t
-- ---
-- expect: E205 "0"
select map(['a', 'b'], [a, 2])[0] from s.t
-- ---
-- expect: E205 "array_to_string(l, b)"
select array_to_string(l, b) from s.t
