"""Detection: which cells are headers, fields, units, periods and responses, with reasons."""
