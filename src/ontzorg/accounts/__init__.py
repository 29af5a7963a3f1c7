"""Users, organisations, roles (shipped as data) and the access scoping every list uses."""
