"""Services: use cases that combine the domain with the ports. They never pick an adapter."""
