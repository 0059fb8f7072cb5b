-- Broken PostgreSQL analytics queries over seed.sql's `shop` schema, one statement per query
-- (each ends with `;` at the end of a line). A `-- category: NAME` line starts a category.
-- PostgreSQL is the truth: preparing each must fail with an SQLSTATE of class 42 and usually a
-- position; the analysis must report the Rocky code that SQLSTATE maps to, on a span containing
-- that position.

-- category: unknown columns
select id, nmae from shop.customers;
select c.id, c.emial from shop.customers c;
select id from shop.orders where stauts = 'shipped';
select customer_id, sum(amout) from shop.orders group by customer_id;
select o.id, c.name from shop.orders o join shop.customers c on c.id = o.customerid;
select id from shop.orders order by ordered_on;
select id, total from (select id, amount as revenue from shop.orders) t;
with t as (select id from shop.customers) select id, name from t;
select id from shop.customers c where exists (select 1 from shop.orders o where o.customer_id = c.cid);
select order_id, line_no from shop.order_items join shop.payments using (line_id);
select id, row_number() over (partition by segmnt order by id) from shop.customers;
select country, count(*) from shop.customers group by contry;

-- category: unknown tables
select id from shop.customer;
select * from shop.orders o join shop.order_item i on i.order_id = o.id;
select id from orders;
select x.id from shop.orders o;
select c.name from shop.orders o where o.customer_id = 1;
with a as (select 1 as n) select n from b;
select id from shop.customers where id in (select customer_id from shop.order);
with "Recent" as (select id from shop.orders) select id from recent;
with recent as (select id from shop.orders) select id from "Recent";

-- category: ambiguous columns
select id from shop.orders o join shop.customers c on c.id = o.customer_id;
select o.id, amount, customer_id from shop.orders o join shop.payments p on p.order_id = o.id;
select order_id from shop.order_items i join shop.payments p on p.order_id = i.order_id;

-- category: functions and operators
select frobnicate(amount) from shop.orders;
select id, sum_if(amount, status = 'shipped') from shop.orders group by id;
select datediff('day', ordered_at, shipped_at) from shop.orders;
select name + 1 from shop.customers;
select amount || 1 + 2 from shop.orders;
select id from shop.customers where name > 5;
select id from shop.orders where ordered_at = 42;
select upper(id) from shop.customers;
select round(tax_rate, 2) from shop.orders;
select length(id) from shop.orders;
select signup_date + created_at from shop.customers;
select is_active + 1 from shop.customers;
select date_trunc(ordered_at, 'month') from shop.orders;
select substr(name) from shop.customers;
select id from shop.customers where is_active = 1;
select id - name from shop.customers;

-- category: type mismatches
select case when amount > 10 then status else amount end from shop.orders;
select coalesce(email, id) from shop.customers;
select id from shop.customers union select name from shop.customers;
select id from shop.orders where amount;
select id from shop.orders o join shop.customers c on c.name;
select id, name from shop.customers union all select id from shop.products;
select case status when 1 then 'one' end from shop.orders;
select id from shop.customers where signup_date in (name, email);

-- category: grouping
select customer_id, status, count(*) from shop.orders group by customer_id;
select id, sum(amount) from shop.orders;
select country, name from shop.customers group by country;
select id from shop.orders where sum(amount) > 10;
select customer_id from shop.orders group by sum(amount);
select sum(count(*)) from shop.orders;
select id from shop.orders where row_number() over () = 1;
select status, count(*) from shop.orders group by 3;
select id from shop.orders order by 4;

-- category: syntax
select id, from shop.customers;
select id frm shop.customers;
select id from shop.customers where;
select id from shop.customers group id;
select count(* from shop.orders;
select id from shop.customers order by;

-- category: casts and clauses
select cast(signup_date as integer) from shop.customers;
select is_active::date from shop.customers;
select tags::int from shop.customers;
select id from shop.orders order by ordered_at union select customer_id from shop.events;
select ordered_at from shop.orders union select id from shop.orders;
select id from shop.orders o join shop.payments p on sum(p.amount) > 0;
select sum(amount) over (order by sum(amount) over ()) from shop.orders;
select customer_id from shop.orders group by customer_id having amount > 10;
select id, count(*) over (partition by sum(id)) from shop.orders;
select avg(status) from shop.orders;
select status from shop.orders where status ilike 5;

-- category: common mistakes
select o.id from shop.orders o join shop.customers c on c.id = o.cust_id;
select id from shop.orders where count(*) > 1;
select id, status from shop.orders union select id from shop.customers;
select id from shop.customers where name = 42;
select id from shop.orders where status = 5;
select to_date_str(ordered_at) from shop.orders;
select round(amount, 2, 3) from shop.orders;
select left(name) from shop.customers;
select customer_id, status, sum(amount) from shop.orders group by customer_id;
with b as (select * from a), a as (select 1 as x) select * from b;
select avg(amount) from shop.orders group by avg(amount);
select id from shop.orders having amount > 1;
select c.id from shop.customers c join shop.orders o using (customer_id);
select sum(name) from shop.customers;
select id from shop.customers c where c.created_at > now() - 7;
select date_trunc('month') from shop.orders;
select amount::jsonb from shop.orders;
select id, count(*) from shop.orders group by 2;
select tags[1] + 1 from shop.customers;
select name from shop.customers where id in (select id, name from shop.customers);
select lower(created_at) from shop.customers;
select coalesce(amount, status) from shop.orders;
select id from shop.orders o where o.amount > (select amount, id from shop.orders limit 1);
select nosuch.* from shop.orders;
