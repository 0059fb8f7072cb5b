-- Completed orders and spend per customer.
select
    c.customer_id,
    c.name,
    count(o.order_id) as orders,
    coalesce(sum(o.amount), 0) as total_spent,
    max(o.updated_at) as last_order_at
from stg_customers c
left join stg_orders o
    on o.customer_id = c.customer_id
    and o.status = 'completed'
group by c.customer_id, c.name
