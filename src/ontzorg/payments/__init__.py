"""Monthly payment runs: compute, approve (four eyes), export to pain.001 and book."""
