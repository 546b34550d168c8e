"""The four dashboards (Executive, Product, Customer, Geographic) over the warehouse's bi views."""
