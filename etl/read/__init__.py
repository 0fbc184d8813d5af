"""Reading: bytes of an uploaded file -> sheets of cells, and Kokemus's own template."""
